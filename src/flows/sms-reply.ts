import type { SmsSettings } from '../settings';
import { MessagingResponse, xmlSafe } from '../twiml';

/** The keywords carriers and Twilio treat as opting out of, or back in to, messages. */
export const OPT_OUT_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
export const OPT_IN_KEYWORDS = new Set(['START', 'YES', 'UNSTOP']);
export const HELP_KEYWORDS = new Set(['HELP', 'INFO']);

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  mediaUrls: readonly string[];
  /** Whether the sender had opted out before this message. */
  optedOut: boolean;
}

export interface SmsPlan {
  /** The first word, upper-cased, as carriers read keywords. */
  keyword: string;
  optChange: 'opt-out' | 'opt-in' | undefined;
  twiml: string;
}

/**
 * Decides the answer to an inbound message. Twilio's Advanced Opt-Out already answers STOP and
 * HELP on most numbers, so those get a reply from us only when one is configured.
 */
export function planSmsReply(settings: SmsSettings, sms: InboundSms): SmsPlan {
  const keyword = firstWord(sms.body);
  const optChange = OPT_OUT_KEYWORDS.has(keyword) ? 'opt-out' : OPT_IN_KEYWORDS.has(keyword) ? 'opt-in' : undefined;
  const twiml = new MessagingResponse();

  if (settings.forwardTo !== undefined && settings.forwardTo !== sms.from) {
    const forward = twiml.message({ to: settings.forwardTo });
    forward.body(xmlSafe(`From ${sms.from}: ${sms.body}`));
    for (const url of sms.mediaUrls) forward.media(xmlSafe(url));
  }

  const reply = chooseReply(settings, sms, keyword, optChange);
  if (reply !== undefined) twiml.message(reply);
  return { keyword, optChange, twiml: twiml.toString() };
}

function chooseReply(settings: SmsSettings, sms: InboundSms, keyword: string, optChange: SmsPlan['optChange']): string | undefined {
  if (optChange === 'opt-out') return settings.optOutReply;
  if (optChange === 'opt-in') return settings.optInReply;
  // Twilio refuses to deliver to someone who opted out (error 21610); do not try.
  if (sms.optedOut) return undefined;
  if (HELP_KEYWORDS.has(keyword)) return settings.helpText;
  const keywordReply = keywordReplyFor(settings, keyword);
  if (keywordReply !== undefined) return keywordReply;
  if (sms.mediaUrls.length > 0 && settings.mediaReply !== undefined) return settings.mediaReply;
  return settings.autoReply;
}

function keywordReplyFor(settings: SmsSettings, keyword: string): string | undefined {
  for (const [word, reply] of Object.entries(settings.keywords ?? {})) {
    if (word.toUpperCase() === keyword) return reply;
  }
  return undefined;
}

function firstWord(body: string): string {
  const word = body.trim().split(/\s+/, 1)[0] ?? '';
  return word.replace(/[^\p{L}\p{N}]+$/u, '').toUpperCase();
}
