import type { ApplyResult, StatusStore } from '../store/status-types';
import type { CallRecord, CallStore, MessageRecord, VoicemailRecord, VoicemailStore } from '../store/types';
import { CallbackStoreError } from './errors';
import { recordingIsUsable } from './recording';
import { parseCallStatus, parseMessageStatus, parseRecording, parseTranscription, type CallbackInput } from './parse';

export type CallbackStore = StatusStore & VoicemailStore & Pick<CallStore, 'getCall'>;

/** Marks database failures so the route can tell them from bugs (see CallbackStoreError). */
async function stored<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw new CallbackStoreError(err);
  }
}

export async function handleCallStatus(store: CallbackStore, input: CallbackInput): Promise<ApplyResult<CallRecord>> {
  const event = parseCallStatus(input);
  return stored(() => store.applyCallStatus(event));
}

export async function handleMessageStatus(store: CallbackStore, input: CallbackInput): Promise<ApplyResult<MessageRecord>> {
  const event = parseMessageStatus(input);
  return stored(() => store.applyMessageStatus(event));
}

export interface RecordingOutcome {
  duplicate: boolean;
  callUpdated: boolean;
  voicemail: VoicemailRecord | undefined;
}

/**
 * A recording is not necessarily a voicemail: only a voicemail the flow already created gets the
 * URL and duration. That step runs for duplicates too: it is idempotent, and a retry after a
 * failure between the two writes must still complete it.
 */
export async function handleRecording(store: CallbackStore, input: CallbackInput): Promise<RecordingOutcome> {
  const event = parseRecording(input);
  return stored(async () => {
    const result = await store.recordRecording(event);
    const existing = await store.getVoicemailByRecording(event.recordingSid);
    if (!existing || !recordingIsUsable(event.status)) return { ...result, voicemail: existing };
    const voicemail = await store.saveVoicemail({
      callSid: existing.callSid,
      recordingSid: event.recordingSid,
      from: existing.from,
      to: existing.to,
      recordingUrl: event.recordingUrl,
      duration: event.duration,
      source: existing.source,
    });
    return { ...result, voicemail };
  });
}

export interface TranscriptionOutcome {
  duplicate: boolean;
  voicemail: VoicemailRecord | undefined;
}

/**
 * Attaches the text to the recording's voicemail. When the transcription beats the voicemail,
 * it creates one only if the callback URL names the flow that took it (`?voicemail=<source>`).
 */
export async function handleTranscription(
  store: CallbackStore,
  input: CallbackInput,
  voicemailSource: string | null,
): Promise<TranscriptionOutcome> {
  const event = parseTranscription(input);
  const { params } = input;
  return stored(async () => {
    const { duplicate } = await store.recordTranscription(event);
    const existing = await store.getVoicemailByRecording(event.recordingSid);
    const source = existing?.source ?? voicemailSource;
    if (source === null) return { duplicate, voicemail: undefined };
    const call = event.callSid === null ? undefined : await store.getCall(event.callSid);
    const voicemail = await store.saveTranscription({
      recordingSid: event.recordingSid,
      callSid: existing?.callSid ?? event.callSid ?? '',
      from: existing?.from ?? params.From ?? call?.from ?? '',
      to: existing?.to ?? params.To ?? call?.to ?? '',
      recordingUrl: params.RecordingUrl || null,
      text: params.TranscriptionText || null,
      status: event.status ?? (params.TranscriptionText ? 'completed' : 'unknown'),
      source,
    });
    return { duplicate, voicemail };
  });
}
