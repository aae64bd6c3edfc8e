import type { Pool } from 'pg';
import type { Clock } from '../clock';
import type { PgGroupCommit } from './postgres-commit';
import { toVoicemailRecord, type VoicemailRow } from './sqlite-voicemails';
import type { VoicemailStore } from './types';

export function postgresVoicemailStore(pool: Pool, clock: Clock, writes: PgGroupCommit): VoicemailStore {
  return {
    async saveVoicemail(v) {
      const values = [v.callSid, v.recordingSid, v.from, v.to, v.recordingUrl, v.duration, v.source, clock.now().toISOString()];
      // A repeat fills in what the first post lacked and never erases what is known.
      const { rows } = await writes.statement<VoicemailRow>(
        `INSERT INTO voicemails (call_sid, recording_sid, from_number, to_number, recording_url, duration, source, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (recording_sid) DO UPDATE SET
           recording_url = coalesce(excluded.recording_url, voicemails.recording_url),
           duration      = coalesce(excluded.duration, voicemails.duration),
           updated_at    = excluded.updated_at
         RETURNING *`,
        values,
      );
      return toVoicemailRecord(rows[0] as VoicemailRow);
    },
    async saveTranscription(t) {
      const values = [t.callSid, t.recordingSid, t.from, t.to, t.recordingUrl, t.text, t.status, t.source, clock.now().toISOString()];
      const { rows } = await writes.statement<VoicemailRow>(
        `INSERT INTO voicemails (call_sid, recording_sid, from_number, to_number, recording_url, transcription, transcription_status, source, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (recording_sid) DO UPDATE SET
           transcription        = coalesce(excluded.transcription, voicemails.transcription),
           transcription_status = excluded.transcription_status,
           recording_url        = coalesce(voicemails.recording_url, excluded.recording_url),
           updated_at           = excluded.updated_at
         RETURNING *`,
        values,
      );
      return toVoicemailRecord(rows[0] as VoicemailRow);
    },
    async getVoicemailByRecording(recordingSid) {
      const { rows } = await pool.query<VoicemailRow>('SELECT * FROM voicemails WHERE recording_sid = $1', [recordingSid]);
      return rows[0] && toVoicemailRecord(rows[0]);
    },
    async listVoicemails({ limit, before, callSid }) {
      const { rows } = await pool.query<VoicemailRow>(
        `SELECT * FROM voicemails WHERE ($1::text IS NULL OR call_sid = $1) AND id < $2 ORDER BY id DESC LIMIT $3`,
        [callSid ?? null, before ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return rows.map(toVoicemailRecord);
    },
  };
}
