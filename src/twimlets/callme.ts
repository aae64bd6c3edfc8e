import { HttpError } from '../http/errors';
import { VoiceResponse } from '../twiml';
import { dialResult } from './dial-result';
import { phpUrlencode } from './params';
import type { TwimletRequest } from './request';
import { twiml, type TwimletResult } from './result';
import { phoneNumber, timeout } from './validate';

/** `/callme`: like forward, but the callee hears a whisper and must press a key to take the call. */
export function callmeTwimlet({ get, request, self }: TwimletRequest): TwimletResult {
  const result = dialResult(request);
  if (result) return result;

  const number = get.str('PhoneNumber');
  if (number === '') throw new HttpError(400, 'PhoneNumber is required', 'PhoneNumber');
  phoneNumber('PhoneNumber', number);
  const seconds = timeout(request.str('Timeout'), 20);
  // isset(): an empty FailUrl= still travels along.
  const failParam = request.has('FailUrl') ? `&FailUrl=${phpUrlencode(request.str('FailUrl'))}` : '';

  const response = new VoiceResponse();
  response
    .dial({ action: `${self}?Dial=true${failParam}`, timeout: seconds })
    .number({ url: `whisper?Message=${phpUrlencode(get.str('Message'))}` }, number);
  return twiml(response.toString());
}
