import { VoiceResponse } from '../twiml';
import type { PhpParams } from './params';
import { redirect, twiml, type TwimletResult } from './result';
import { redirectTarget } from './validate';

export const HANGUP_XML = new VoiceResponse().hangup().toString();

/**
 * The second step of forward, simulring and callme: Twilio is back from the `<Dial>` when
 * `Dial` is set and a dial status arrived. Answered calls and calls without a FailUrl end;
 * the others are handed to FailUrl by HTTP redirect. Undefined on a first request.
 */
export function dialResult(params: PhpParams): TwimletResult | undefined {
  const status = params.str('DialCallStatus');
  const legacyStatus = params.str('DialStatus');
  if (!params.has('Dial') || (status === '' && legacyStatus === '')) return undefined;
  const failUrl = params.str('FailUrl');
  if (status === 'completed' || legacyStatus === 'answered' || failUrl === '') return twiml(HANGUP_XML);
  return redirect(redirectTarget('FailUrl', failUrl));
}
