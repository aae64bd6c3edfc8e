import { HttpError } from '../http/errors';
import { VoiceResponse } from '../twiml';
import { dialResult } from './dial-result';
import { phpUrlencode, type PhpParams } from './params';
import type { TwimletRequest } from './request';
import { twiml, type TwimletResult } from './result';
import { normalizeUsNumber, phoneNumber, timeout } from './validate';

const RESTRICTED_XML = new VoiceResponse().say('Sorry, you are calling from a restricted number. Good bye.').toString();

/** `/forward`: dials `PhoneNumber`, optionally only for `AllowedCallers`, then hangs up or hands over to `FailUrl`. */
export function forwardTwimlet({ get, request, self }: TwimletRequest): TwimletResult {
  const result = dialResult(request);
  if (result) return result;

  const number = get.str('PhoneNumber');
  if (number === '') throw new HttpError(400, 'PhoneNumber is required', 'PhoneNumber');
  phoneNumber('PhoneNumber', number);
  const callerId = get.str('CallerId');
  if (callerId !== '') phoneNumber('CallerId', callerId);
  const seconds = timeout(request.str('Timeout'), 20);
  if (!isAllowed(get, request)) return twiml(RESTRICTED_XML);

  const failUrl = request.str('FailUrl');
  const action = `${self}?Dial=true` + (failUrl === '' ? '' : `&FailUrl=${phpUrlencode(failUrl)}`);
  const response = new VoiceResponse();
  response.dial({ action, timeout: seconds, ...(callerId !== '' && { callerId }) }, number);
  return twiml(response.toString());
}

/**
 * With a non-empty `AllowedCallers` list, the caller or the called number must be on it.
 * Both sides are compared as digits with the US leading 1 ignored: the original compared the
 * raw E.164 `From` (`+1415...`) with digits-only entries, so modern callers never matched.
 */
function isAllowed(get: PhpParams, request: PhpParams): boolean {
  const allowed = (get.array('AllowedCallers') ?? []).map(([, value]) => value).filter((value) => value !== '');
  if (allowed.length === 0) return true;
  const list = new Set(allowed.map(normalizeUsNumber).filter((value) => value !== ''));
  const from = request.str('From') || request.str('Caller');
  const to = request.str('To') || request.str('Called');
  return [from, to].some((number) => number !== '' && list.has(normalizeUsNumber(number)));
}
