import { VoiceResponse } from '../twiml';
import { addMessage } from './message-rule';

export const NO_BUCKET_XML = new VoiceResponse().say('An S 3 bucket is required.').toString();
export const FETCH_FAILED_XML = new VoiceResponse().say('Failed to fetch the hold music.').toString();

/**
 * `/holdmusic`'s answer once the tracks are known: each track in random order, the optional
 * `Message` after each, and an empty `<Redirect/>` that fetches a fresh shuffle when done.
 */
export function holdMusicTwiml(tracks: readonly string[], message: string, random: () => number = Math.random): string {
  const response = new VoiceResponse();
  for (const track of shuffle(tracks, random)) {
    response.play(track);
    addMessage(response, message);
  }
  response.redirect('');
  return response.toString();
}

/** Fisher-Yates, like PHP's shuffle(). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** S3 bucket naming rules (dots allowed, as in the original `com.twilio.music.rock`). */
export function isBucketName(value: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes('..');
}
