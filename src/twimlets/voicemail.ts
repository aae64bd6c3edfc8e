import { HttpError } from '../http/errors';
import type { Mail } from '../mail';
import { VoiceResponse } from '../twiml';
import { addMessage } from './message-rule';
import type { TwimletRequest } from './request';

export const DEFAULT_VOICEMAIL_GREETING = 'Please leave a message after the beep.';
// The live service's text; the 2012 source had two spaces after "Thanks.".
export const VOICEMAIL_THANKS_XML = (() => {
  const response = new VoiceResponse();
  response.say('Thanks. Good bye.');
  response.hangup();
  return response.toString();
})();

/** What one voicemail request is, and what it needs done besides the answer. */
export type VoicemailStep =
  | { readonly kind: 'greeting'; readonly xml: string }
  /** Back from `<Record>`: store it; mail now only when no transcription will follow. */
  | { readonly kind: 'recorded'; readonly xml: string; readonly mailNow: boolean }
  /** The transcribe callback: store the text (if any) and mail. Answered with an empty body. */
  | { readonly kind: 'transcribed'; readonly status: 'completed' | 'failed' };

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;

/** The `Email` parameter: one address or a comma-separated list (PHP mail() took both). */
export function voicemailRecipients(value: string): string[] {
  if (value.trim() === '') return [];
  const addresses = value.split(',').map((address) => address.trim());
  if (!addresses.every((address) => EMAIL.test(address))) {
    throw new HttpError(400, 'Email must be an e-mail address, or several separated by commas', 'Email');
  }
  return addresses;
}

/**
 * `/voicemail`: greeting and `<Record>`, then "Thanks. Good bye.". `selfUrl` is the absolute
 * URL of this twimlet (the transcribe callback must be absolute, as in the original).
 */
export function voicemailStep({ get, request }: TwimletRequest, selfUrl: string): VoicemailStep {
  const email = get.str('Email');
  voicemailRecipients(email);
  const transcribe = transcribing(get.str('Transcribe'));
  const status = request.str('TranscriptionStatus').toLowerCase();
  if (status === 'completed' || status === 'failed') return { kind: 'transcribed', status };
  if (request.str('RecordingUrl') !== '') return { kind: 'recorded', xml: VOICEMAIL_THANKS_XML, mailNow: !transcribe };

  const response = new VoiceResponse();
  if (!addMessage(response, get.str('Message'))) response.say(DEFAULT_VOICEMAIL_GREETING);
  if (transcribe) {
    // The original appended Email unencoded; `@` stays readable, but `+` or `&` would have broken the URL.
    const encoded = encodeURIComponent(email).replace(/%40/g, '@');
    response.record({ transcribe: true, transcribeCallback: `${selfUrl}?Email=${encoded}` });
  } else {
    response.record();
  }
  return { kind: 'greeting', xml: response.toString() };
}

/** Default on; any value other than `true` turns transcription off. */
function transcribing(value: string): boolean {
  return value === '' || value.toLowerCase() === 'true';
}

/** The original's notification e-mail. */
export function voicemailMail(to: readonly string[], from: string, recordingUrl: string, transcription?: string): Mail {
  const caller = formatPhone(from);
  let text = `You have a new voicemail from ${caller}\n\n`;
  if (transcription !== undefined) text += `Text of the transcribed voicemail:\n${transcription}.\n\n`;
  text += `Click this link to listen to the message:\n${recordingUrl}.mp3`;
  return { to, subject: `New Voicemail Message from ${caller}`, text };
}

/** `(415) 555-1212` for US numbers, `555-1212` for 7 digits, the digits otherwise. */
export function formatPhone(value: string): string {
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length === 10) return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
  if (digits.length === 7) return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  return digits;
}
