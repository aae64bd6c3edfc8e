// What a `<Record>` leaves behind: a recording the sandbox serves as audio/wav at the URL it
// gave the app, as Twilio serves RecordingUrl (a WAV when no extension is asked for).
import { wav } from '../client/tones';
import type { RawAnswer } from './answer';

/** The simulator's recordings last 7 s; the audio matches: a 1 s tone, then silence. */
const RECORDING_MS = 7000;
const TONE_MS = 1000;

export interface RecordingRef {
  sid: string;
  callSid: string;
}

export function recordingPath(accountSid: string, recordingSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`;
}

/** GET /2010-04-01/Accounts/AC…/Recordings/RE…[.wav] of a known recording → the audio; else null. */
export function recordingAnswer(method: string, pathname: string, known: ReadonlyMap<string, RecordingRef>): RawAnswer | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  const match = /^\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}\/Recordings\/(RE[0-9a-fA-F]{32})(\.wav)?$/.exec(pathname);
  if (match?.[1] === undefined || !known.has(match[1])) return null;
  return {
    status: 200,
    contentType: 'audio/wav',
    payload: wav([{ freqs: [440], ms: TONE_MS }, { freqs: [], ms: RECORDING_MS - TONE_MS }]),
  };
}
