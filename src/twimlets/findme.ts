import { VoiceResponse } from '../twiml';
import { HANGUP_XML } from './dial-result';
import { phpUrlencode } from './params';
import type { TwimletRequest } from './request';
import { redirect, twiml, type TwimletResult } from './result';
import { phoneNumber, redirectTarget, timeout } from './validate';

/** The original's limit on `PhoneNumbers[]`. */
export const FINDME_MAX_NUMBERS = 10;

/**
 * `/findme`: dials `PhoneNumbers[]` one after another. Each `<Dial>` action carries the numbers
 * not yet tried, so a busy or unanswered call comes back here and moves on to the next one.
 */
export function findmeTwimlet({ request, self }: TwimletRequest): TwimletResult {
  // The original kept the numbers AFTER the 10th (array_splice returns what it removes); the
  // first ten are what its comment and the documentation promise.
  const numbers = request.list('PhoneNumbers').slice(0, FINDME_MAX_NUMBERS);
  for (const number of numbers) phoneNumber('PhoneNumbers[]', number);
  const failUrl = request.str('FailUrl');
  const timeoutParam = request.str('Timeout');
  const seconds = timeout(timeoutParam, 60);

  if (request.has('Dial') && (request.str('DialStatus') === 'answered' || request.str('DialCallStatus') === 'completed')) {
    return twiml(HANGUP_XML);
  }
  const [next, ...rest] = numbers;
  if (next === undefined) return failUrl === '' ? twiml(HANGUP_XML) : redirect(redirectTarget('FailUrl', failUrl));

  const message = request.str('Message');
  let action = `${self}?Dial=true&FailUrl=${phpUrlencode(failUrl)}&Timeout=${phpUrlencode(timeoutParam)}&Message=${phpUrlencode(message)}`;
  for (const number of rest) action += `&PhoneNumbers%5B%5D=${phpUrlencode(number)}`;
  const response = new VoiceResponse();
  response.dial({ action, timeout: seconds }).number({ url: `whisper?Message=${phpUrlencode(message)}&HumanCheck=1` }, next);
  return twiml(response.toString());
}
