import { VoiceResponse, xmlSafe } from '../twiml';
import { HANGUP_XML } from './dial-result';
import { addMessage } from './message-rule';
import { isTruthy } from './params';
import type { TwimletRequest } from './request';
import { twiml, type TwimletResult } from './result';

const ACCEPTED_XML = new VoiceResponse().toString();

/**
 * `/whisper`: what the called party hears before being connected (the `url` of a `<Number>`).
 * A key press bridges the call; with `HumanCheck`, silence (an answering machine) hangs up.
 */
export function whisperTwimlet({ request }: TwimletRequest): TwimletResult {
  if (request.has('Digits')) return twiml(request.str('Digits') === '' ? HANGUP_XML : ACCEPTED_XML);

  const response = new VoiceResponse();
  const gather = response.gather({ numDigits: 1 });
  if (!addMessage(gather, request.str('Message'))) {
    const caller = xmlSafe(request.str('From') || request.str('Caller'));
    // Spelled out character by character, so that the number is read as digits.
    const spelled = [...caller].map((char) => `${char}. `).join('');
    gather.say(`You are receiving a call from ${spelled}.  Press any key to accept.`);
  }
  if (isTruthy(request.str('HumanCheck'))) response.hangup();
  return twiml(response.toString());
}
