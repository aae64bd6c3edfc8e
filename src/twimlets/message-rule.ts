import { xmlSafe } from '../twiml';
import { stripslashes } from './params';

/** Anything with `<Play>` and `<Say>` children: the response, or a `<Gather>`. */
export interface Speaker {
  play(url: string): unknown;
  say(text: string): unknown;
}

/**
 * The twimlets' "is it a URL?" rule: a value whose trimmed, lower-cased first four characters
 * are `http` is played (as given); any other non-blank value is spoken. Returns whether
 * something was added, so callers can fall back to a default text.
 */
export function addMessage(target: Speaker, raw: string): boolean {
  const value = xmlSafe(raw);
  const trimmed = value.trim();
  if (trimmed.slice(0, 4).toLowerCase() === 'http') {
    target.play(value);
    return true;
  }
  if (trimmed === '') return false;
  target.say(stripslashes(value));
  return true;
}

export function looksLikeUrl(value: string): boolean {
  return value.trim().slice(0, 4).toLowerCase() === 'http';
}
