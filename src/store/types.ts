import type { StatusStore } from './status-types';

export type Direction = 'inbound' | 'outbound-api' | 'outbound-dial';

export interface CallRecord {
  sid: string;
  direction: Direction;
  from: string;
  to: string;
  status: string;
  duration: number | null;
  price: string | null;
  priceUnit: string | null;
  errorCode: number | null;
  recordingUrl: string | null;
  answeredBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MessageRecord {
  sid: string;
  direction: Direction;
  from: string;
  to: string;
  body: string;
  numMedia: number;
  mediaUrls: string[];
  status: string;
  errorCode: number | null;
  price: string | null;
  priceUnit: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InboundCall {
  sid: string;
  from: string;
  to: string;
  status: string;
}

export interface InboundMessage {
  sid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

export interface LifecycleStore {
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CallStore {
  /** Records a call the first time a webhook sees it; later webhooks for the same call change nothing. */
  recordInboundCall(call: InboundCall): Promise<void>;
  getCall(sid: string): Promise<CallRecord | undefined>;
}

export interface MessageStore {
  /** Records a message the first time its webhook arrives (Twilio retries deliver it again). */
  recordInboundMessage(message: InboundMessage): Promise<void>;
  getMessage(sid: string): Promise<MessageRecord | undefined>;
}

export interface VoicemailRecord {
  id: number;
  callSid: string;
  recordingSid: string | null;
  from: string;
  to: string;
  recordingUrl: string | null;
  duration: number | null;
  transcription: string | null;
  transcriptionStatus: string | null;
  /** What took the message: a config flow node, or a twimlet. */
  source: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewVoicemail {
  callSid: string;
  recordingSid: string | null;
  from: string;
  to: string;
  recordingUrl: string | null;
  duration: number | null;
  source: string;
}

export interface VoicemailStore {
  /**
   * Stores a voicemail once per recording: Twilio may post the same recording to the `<Record>`
   * action and a recording status callback, and retries either. Returns the stored row.
   */
  saveVoicemail(voicemail: NewVoicemail): Promise<VoicemailRecord>;
  /**
   * Attaches a transcription to the voicemail of that recording, creating the row when the
   * transcription arrives first. Returns the stored row.
   */
  saveTranscription(transcription: {
    recordingSid: string;
    callSid: string;
    from: string;
    to: string;
    recordingUrl: string | null;
    text: string | null;
    status: string;
    source: string;
  }): Promise<VoicemailRecord>;
  getVoicemailByRecording(recordingSid: string): Promise<VoicemailRecord | undefined>;
  /** Newest first; `before` is the id of the last row of the previous page. */
  listVoicemails(page: { limit: number; before?: number }): Promise<VoicemailRecord[]>;
}

export type OptAction = 'opt-out' | 'opt-in';

export interface OptOutRecord {
  ourNumber: string;
  theirNumber: string;
  optedOut: boolean;
  updatedAt: string;
}

export interface OptOutChange {
  /** Our number (or messaging service SID) the person wrote to. */
  ourNumber: string;
  theirNumber: string;
  action: OptAction;
  /** What caused it: the keyword they sent (`STOP`), or `21610` when Twilio refused a send. */
  keyword: string;
  source: 'inbound-sms' | 'twilio-error' | 'api';
  messageSid: string | null;
}

export interface OptOutStore {
  /** Records the change in the ledger and sets the current state. Returns the new state. */
  applyOptChange(change: OptOutChange): Promise<OptOutRecord>;
  /** With `ourNumber` undefined, whether they opted out of any of our numbers. */
  isOptedOut(theirNumber: string, ourNumber?: string): Promise<boolean>;
  /** People currently opted out, most recent first. */
  listOptedOut(page: { limit: number }): Promise<OptOutRecord[]>;
}

/**
 * Everything Switchboard keeps. The SQL lives behind this interface (one implementation per
 * database), so that a shared database can replace the embedded one for multi-instance setups.
 * Each area has its own interface and, for SQLite, its own file.
 */
export type Store = LifecycleStore & CallStore & MessageStore & VoicemailStore & OptOutStore & StatusStore;
