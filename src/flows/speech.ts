import type { Speech } from '../settings';
import type { TwimlElement, VoiceResponse } from '../twiml';

/** Adds what the caller hears: `<Say>` with its voice and language, or `<Play>`. */
export function appendSpeech(parent: VoiceResponse | TwimlElement<'Gather'>, speech: Speech | undefined): void {
  if (speech === undefined) return;
  if ('play' in speech) parent.play(speech.play);
  else parent.say({ voice: speech.voice, language: speech.language }, speech.say);
}
