import { HttpError } from '../http/errors';
import { VoiceResponse } from '../twiml';
import { dialResult } from './dial-result';
import { phpUrlencode } from './params';
import type { TwimletRequest } from './request';
import { twiml, type TwimletResult } from './result';
import { phoneNumber, timeout } from './validate';

/** `/simulring`: rings every `PhoneNumbers[]` at once; the first to accept the whisper gets the call. */
export function simulringTwimlet({ request, self }: TwimletRequest): TwimletResult {
  const result = dialResult(request);
  if (result) return result;

  const numbers = request.list('PhoneNumbers');
  if (numbers.length === 0) throw new HttpError(400, 'PhoneNumbers[] is required', 'PhoneNumbers');
  for (const number of numbers) phoneNumber('PhoneNumbers[]', number);
  const seconds = timeout(request.str('Timeout'), 20);

  const response = new VoiceResponse();
  const dial = response.dial({ action: `${self}?Dial=true&FailUrl=${phpUrlencode(request.str('FailUrl'))}`, timeout: seconds });
  const url = `whisper?Message=${phpUrlencode(request.str('Message'))}`;
  // PHP's sort(): byte order, as the original (and so the live service) did.
  for (const number of [...numbers].sort(byteOrder)) dial.number({ url }, number);
  return twiml(response.toString());
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
