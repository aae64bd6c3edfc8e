// What a `<Record>` leaves behind: a recording the sandbox serves as audio/wav at the URL it
// gave the app, as Twilio serves RecordingUrl (a WAV when no extension is asked for).
import { wav } from '../client/tones';
import type { RawAnswer } from './answer';

/** The call simulator's `<Record>` reports 7 s (RecordingDuration); the audio matches. */
export const RECORD_VERB_SECONDS = 7;
/** A recording is a tone of up to a second, then silence. */
const TONE_MS = 1000;

export interface RecordingRef {
  sid: string;
  callSid: string;
  seconds: number;
}

export function recordingPath(accountSid: string, recordingSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`;
}

/** GET /2010-04-01/Accounts/AC…/Recordings/RE…[.wav] of a known recording → the audio; else null. */
export function recordingAnswer(method: string, pathname: string, known: ReadonlyMap<string, RecordingRef>): RawAnswer | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  const match = /^\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}\/Recordings\/(RE[0-9a-fA-F]{32})(\.wav)?$/.exec(pathname);
  const recording = match?.[1] === undefined ? undefined : known.get(match[1]);
  if (recording === undefined) return null;
  const ms = recording.seconds * 1000;
  const tone = Math.min(TONE_MS, ms);
  return {
    status: 200,
    contentType: 'audio/wav',
    payload: wav([{ freqs: [440], ms: tone }, { freqs: [], ms: ms - tone }]),
  };
}
