import { VoiceResponse } from '../twiml';
import { addMessage } from './message-rule';
import type { TwimletRequest } from './request';
import { twiml, type TwimletResult } from './result';

/** `/message`: plays or says each `Message` (or `Message[]`) in order. */
export function messageTwimlet({ get }: TwimletRequest): TwimletResult {
  const response = new VoiceResponse();
  for (const message of get.list('Message')) addMessage(response, message);
  return twiml(response.toString());
}
