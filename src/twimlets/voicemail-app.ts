import type { Logger } from '../logger';
import type { Mailer } from '../mail';
import type { Store } from '../store';
import type { TwimletRequest } from './request';
import { EMPTY, twiml, type TwimletResult } from './result';
import { voicemailMail, voicemailRecipients, voicemailStep } from './voicemail';

export const VOICEMAIL_SOURCE = 'twimlet:voicemail';

export interface VoicemailOptions {
  readonly store: Store;
  readonly mailer: Mailer | undefined;
  readonly logger: Logger;
  /** Absolute URL of this twimlet, for the transcribe callback. */
  readonly selfUrl: string;
}

/**
 * Runs one voicemail step: the voicemail is stored first, then the e-mail is sent in the
 * background, so a slow or failing mail server never delays or breaks the caller's TwiML.
 */
export async function voicemailTwimlet(req: TwimletRequest, options: VoicemailOptions): Promise<TwimletResult> {
  const step = voicemailStep(req, options.selfUrl);
  if (step.kind === 'greeting') return twiml(step.xml);

  const { request, get } = req;
  const { store, logger } = options;
  const from = request.str('From') || request.str('Caller');
  const to = request.str('To') || request.str('Called');
  const callSid = request.str('CallSid');
  const recordingSid = request.str('RecordingSid');
  const recordingUrl = request.str('RecordingUrl');
  const recipients = voicemailRecipients(get.str('Email'));

  if (step.kind === 'recorded') {
    const duration = /^\d+$/.test(request.str('RecordingDuration')) ? Number(request.str('RecordingDuration')) : null;
    await storeSafely(logger, callSid, () =>
      store.saveVoicemail({ callSid, recordingSid: recordingSid || null, from, to, recordingUrl, duration, source: VOICEMAIL_SOURCE }),
    );
    if (step.mailNow) mailInBackground(options, recipients, voicemailMail(recipients, from, recordingUrl));
    return twiml(step.xml);
  }

  const text = step.status === 'completed' ? request.str('TranscriptionText') : undefined;
  if (recordingSid === '') {
    logger.warn({ callSid }, 'voicemail transcription without RecordingSid: not stored');
  } else {
    await storeSafely(logger, callSid, () =>
      store.saveTranscription({
        recordingSid,
        callSid,
        from,
        to,
        recordingUrl: recordingUrl || null,
        text: text ?? null,
        status: step.status,
        source: VOICEMAIL_SOURCE,
      }),
    );
  }
  mailInBackground(options, recipients, voicemailMail(recipients, from, recordingUrl, text));
  return EMPTY;
}

async function storeSafely(logger: Logger, callSid: string, save: () => Promise<unknown>): Promise<void> {
  try {
    await save();
  } catch (err) {
    logger.error({ err, callSid }, 'could not store voicemail');
  }
}

function mailInBackground(options: VoicemailOptions, recipients: readonly string[], mail: ReturnType<typeof voicemailMail>): void {
  if (recipients.length === 0) return;
  const { mailer, logger } = options;
  if (mailer === undefined) {
    logger.info('voicemail e-mail not sent: SMTP_URL is not set');
    return;
  }
  mailer.send(mail).then(
    () => logger.info({ recipients: recipients.length }, 'voicemail e-mail sent'),
    (err: unknown) => logger.error({ err: { message: err instanceof Error ? err.message : String(err) } }, 'voicemail e-mail failed'),
  );
}
