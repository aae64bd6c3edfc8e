/** The `twimlets` section of the config file. */
export interface TwimletsSettings {
  /** Hold-music genre → audio URLs, played by `/twimlets/holdmusic?Music=<genre>` and conference's `Music=<genre>`. */
  readonly holdMusic: Readonly<Record<string, readonly string[]>>;
}

/**
 * No music is shipped: until the config file names some URLs, conference's `Music=<genre>`
 * leaves Twilio's own wait music on, and holdmusic with a genre says it has none.
 */
export const DEFAULT_TWIMLETS_SETTINGS: TwimletsSettings = Object.freeze({ holdMusic: Object.freeze({}) });

/** The six genres the originals served from Twilio's public S3 buckets. */
export const ORIGINAL_GENRES: readonly string[] = ['classical', 'ambient', 'electronica', 'guitars', 'rock', 'soft-rock'];

export function genreUrls(settings: TwimletsSettings, genre: string): readonly string[] {
  return Object.hasOwn(settings.holdMusic, genre) ? (settings.holdMusic[genre] ?? []) : [];
}
