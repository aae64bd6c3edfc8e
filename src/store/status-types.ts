import type { CallRecord, Direction, MessageRecord } from './types';

/** Everything Twilio posted, as received; kept verbatim in the event history. */
export type RawParams = Readonly<Record<string, string>>;

/** A call status callback, validated. `dedupeKey` identifies the event across Twilio's retries. */
export interface CallStatusEvent {
  callSid: string;
  status: string;
  sequenceNumber: number | null;
  dedupeKey: string;
  /** Used only when the callback creates the row (a call we have not seen yet). */
  direction: Direction | null;
  from: string | null;
  to: string | null;
  duration: number | null;
  price: string | null;
  priceUnit: string | null;
  errorCode: number | null;
  recordingUrl: string | null;
  answeredBy: string | null;
  params: RawParams;
}

export interface MessageStatusEvent {
  messageSid: string;
  status: string;
  sequenceNumber: number | null;
  dedupeKey: string;
  direction: Direction | null;
  from: string | null;
  to: string | null;
  body: string | null;
  errorCode: number | null;
  price: string | null;
  priceUnit: string | null;
  params: RawParams;
}

export interface RecordingEvent {
  /** Absent for recordings that belong to no call (e.g. some conference recordings). */
  callSid: string | null;
  recordingSid: string;
  status: string | null;
  recordingUrl: string | null;
  duration: number | null;
  dedupeKey: string;
  params: RawParams;
}

export interface TranscriptionEvent {
  callSid: string | null;
  recordingSid: string;
  status: string | null;
  dedupeKey: string;
  params: RawParams;
}

export interface ApplyResult<T> {
  /** The same event was stored before: nothing changed. */
  duplicate: boolean;
  /** The callback was the first we heard of the resource; the row was made from it. */
  created: boolean;
  /** The event moved the resource to its status (false for stale or out-of-order events). */
  statusApplied: boolean;
  record: T | undefined;
}

export type StatusResource = 'call' | 'message' | 'recording' | 'transcription';

export interface StatusEventRecord {
  id: number;
  resource: StatusResource;
  /** The call or message the event is about (for recordings without a call: the recording sid). */
  sid: string;
  status: string | null;
  sequenceNumber: number | null;
  params: Record<string, string>;
  receivedAt: string;
}

export interface HistoryFilter {
  status?: string;
  /** Matches either the from or the to number, exactly. */
  number?: string;
  direction?: Direction;
  /** Created at or after. */
  since?: Date;
  /** Created strictly before. */
  until?: Date;
  /** Default 50, at most 200. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface CallHistory {
  call: CallRecord;
  /** Oldest first (in the order Switchboard received them). */
  events: StatusEventRecord[];
}

export interface MessageHistory {
  message: MessageRecord;
  events: StatusEventRecord[];
}

export interface StatusStore {
  /**
   * Stores the event and, in the same transaction, updates (or creates) the call row. A status
   * never moves backwards; durations, prices, error codes and URLs are filled in, never erased.
   */
  applyCallStatus(event: CallStatusEvent): Promise<ApplyResult<CallRecord>>;
  applyMessageStatus(event: MessageStatusEvent): Promise<ApplyResult<MessageRecord>>;
  /** Stores the event and sets the call's recording URL; never creates a call. */
  recordRecording(event: RecordingEvent): Promise<{ duplicate: boolean; callUpdated: boolean }>;
  recordTranscription(event: TranscriptionEvent): Promise<{ duplicate: boolean }>;
  /** Newest first. Throws `InvalidCursorError` for a cursor this store did not hand out. */
  listCalls(filter?: HistoryFilter): Promise<Page<CallRecord>>;
  listMessages(filter?: HistoryFilter): Promise<Page<MessageRecord>>;
  getCallHistory(sid: string): Promise<CallHistory | undefined>;
  getMessageHistory(sid: string): Promise<MessageHistory | undefined>;
  /** Newest first; `before` is the id of the last event of the previous page. */
  listStatusEvents(page?: { limit?: number; before?: number }): Promise<StatusEventRecord[]>;
}
