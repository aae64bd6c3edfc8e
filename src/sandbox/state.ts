import type { CallResource, MessageResource } from '../twilio/types';
import type { RecordingRef } from './recordings';

/** What "Twilio" holds: the calls and messages it was asked for or made, oldest first. */
export interface SandboxState {
  calls: Map<string, CallResource>;
  messages: Map<string, MessageResource>;
  /** Recordings made by `<Record>` in a call's TwiML, served as audio. */
  recordings: Map<string, RecordingRef>;
}

export function createSandboxState(): SandboxState {
  return { calls: new Map(), messages: new Map(), recordings: new Map() };
}
