// What a 400 shows of the value it refused: enough to see the mistake, never a secret or a
// whole body. Kept out of the error's message, which is logged, so the log holds no caller data.

/** A refused value as the error body shows it. */
export type Received = string | number | boolean | null;

/** Longer strings are cut here; a 1,600-character body or 4,000 characters of TwiML help no one. */
export const MAX_SHOWN_CHARS = 80;

/** `https://user:password@host/…` → `https://***@host/…`, anywhere in the text (a list's JSON too). */
function withoutCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"]*@/gi, '$1***@');
}

function truncated(text: string): string {
  return text.length <= MAX_SHOWN_CHARS ? text : `${text.slice(0, MAX_SHOWN_CHARS)}… (${text.length} characters)`;
}

export function shown(raw: unknown): Received {
  if (typeof raw === 'string') return truncated(withoutCredentials(raw));
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return raw;
  return truncated(withoutCredentials(JSON.stringify(raw) ?? String(raw)));
}

/**
 * A phone number whose `+` was sent unencoded in a form (`curl -d to=+1555…`): form decoding
 * turns it into a space. The one mistake every new user makes, so it gets its own explanation.
 */
export function lostPlus(raw: unknown): boolean {
  return typeof raw === 'string' && /^ [1-9]\d{1,14}$/.test(raw);
}

/** Names no value (the message is logged); the error's `received` shows it. */
export function lostPlusHint(field: string): string {
  return (
    `; its "+" arrived as a space, which is what a "+" sent unencoded in a form body decodes to: ` +
    `send it as %2B (curl --data-urlencode '${field}=+15551234567') or send JSON`
  );
}
