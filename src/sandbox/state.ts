import type { CallResource, MessageResource } from '../twilio/types';

/** What "Twilio" holds: the calls and messages it was asked for or made, oldest first. */
export interface SandboxState {
  calls: Map<string, CallResource>;
  messages: Map<string, MessageResource>;
}

export function createSandboxState(): SandboxState {
  return { calls: new Map(), messages: new Map() };
}
