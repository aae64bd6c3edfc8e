import { VoiceResponse } from '../twiml';
import { addMessage } from './message-rule';
import { isTruthy } from './params';
import type { TwimletRequest } from './request';
import { redirect, twiml, type TwimletResult } from './result';
import { redirectTarget } from './validate';

/**
 * `/menu`: a one-level IVR. `Options[<digits>]=<url>` maps keys to URLs; the `<Gather>` has no
 * action, so Twilio posts the digits back to this same URL, which redirects to the option.
 */
export function menuTwimlet({ get, request }: TwimletRequest): TwimletResult {
  const raw = request.array('Options') ?? (request.has('Options') ? [['0', request.str('Options')] as const] : []);
  const options = new Map(raw.filter(([, url]) => isTruthy(url)));
  for (const [key, url] of options) redirectTarget(`Options[${key}]`, url);

  const response = new VoiceResponse();
  const digits = request.str('Digits');
  if (digits !== '') {
    const location = options.get(digits);
    if (location !== undefined) return redirect(location);
    response.say("I'm sorry, that wasn't a valid option.");
  }
  const numDigits = Math.max(1, ...[...options.keys()].map((key) => key.length));
  addMessage(response.gather({ numDigits }), get.str('Message'));
  response.redirect('');
  return twiml(response.toString());
}
