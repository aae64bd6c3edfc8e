import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { GroupCommit } from './group-commit';
import type { VoicemailRecord, VoicemailStore } from './types';

export interface VoicemailRow {
  id: number;
  call_sid: string;
  recording_sid: string | null;
  from_number: string;
  to_number: string;
  recording_url: string | null;
  duration: number | null;
  transcription: string | null;
  transcription_status: string | null;
  source: string;
  created_at: string;
  updated_at: string;
}

export function toVoicemailRecord(row: VoicemailRow): VoicemailRecord {
  return {
    id: row.id,
    callSid: row.call_sid,
    recordingSid: row.recording_sid,
    from: row.from_number,
    to: row.to_number,
    recordingUrl: row.recording_url,
    duration: row.duration,
    transcription: row.transcription,
    transcriptionStatus: row.transcription_status,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function sqliteVoicemailStore(db: Database.Database, clock: Clock, writes: GroupCommit): VoicemailStore {
  // A repeat fills in what the first post lacked and never erases what is known.
  const upsert = db.prepare<Record<string, unknown>, VoicemailRow>(
    `INSERT INTO voicemails (call_sid, recording_sid, from_number, to_number, recording_url, duration, source, created_at, updated_at)
     VALUES (@callSid, @recordingSid, @from, @to, @recordingUrl, @duration, @source, @now, @now)
     ON CONFLICT (recording_sid) DO UPDATE SET
       recording_url = coalesce(excluded.recording_url, recording_url),
       duration      = coalesce(excluded.duration, duration),
       updated_at    = excluded.updated_at
     RETURNING *`,
  );
  const transcribe = db.prepare<Record<string, unknown>, VoicemailRow>(
    `INSERT INTO voicemails (call_sid, recording_sid, from_number, to_number, recording_url, transcription, transcription_status, source, created_at, updated_at)
     VALUES (@callSid, @recordingSid, @from, @to, @recordingUrl, @text, @status, @source, @now, @now)
     ON CONFLICT (recording_sid) DO UPDATE SET
       transcription        = coalesce(excluded.transcription, transcription),
       transcription_status = excluded.transcription_status,
       recording_url        = coalesce(recording_url, excluded.recording_url),
       updated_at           = excluded.updated_at
     RETURNING *`,
  );
  const byRecording = db.prepare<[string], VoicemailRow>('SELECT * FROM voicemails WHERE recording_sid = ?');
  const page = db.prepare<[number, number], VoicemailRow>('SELECT * FROM voicemails WHERE id < ? ORDER BY id DESC LIMIT ?');
  const callPage = db.prepare<[string, number, number], VoicemailRow>(
    'SELECT * FROM voicemails WHERE call_sid = ? AND id < ? ORDER BY id DESC LIMIT ?',
  );

  return {
    async saveVoicemail(voicemail) {
      const row = await writes.run(() => upsert.get({ ...voicemail, now: clock.now().toISOString() }) as VoicemailRow);
      return toVoicemailRecord(row);
    },
    async saveTranscription(transcription) {
      const row = await writes.run(() => transcribe.get({ ...transcription, now: clock.now().toISOString() }) as VoicemailRow);
      return toVoicemailRecord(row);
    },
    async getVoicemailByRecording(recordingSid) {
      const row = byRecording.get(recordingSid);
      return row && toVoicemailRecord(row);
    },
    async listVoicemails({ limit, before, callSid }) {
      const rows =
        callSid === undefined
          ? page.all(before ?? Number.MAX_SAFE_INTEGER, limit)
          : callPage.all(callSid, before ?? Number.MAX_SAFE_INTEGER, limit);
      return rows.map(toVoicemailRecord);
    },
  };
}
