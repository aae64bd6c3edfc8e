import { HttpError } from '../http/errors';
import { FETCH_FAILED_XML, NO_BUCKET_XML, holdMusicTwiml, isBucketName } from './holdmusic';
import type { TwimletRequest } from './request';
import { twiml, type TwimletResult } from './result';
import { listBucketAudio, ListingError } from './s3-listing';
import { genreUrls, type TwimletsSettings } from './settings';

export interface HoldMusicOptions {
  readonly settings: TwimletsSettings;
  readonly endpoint: string;
  /** Told why the music could not be played (the caller only hears that it failed). */
  readonly warn: (reason: string) => void;
  readonly random?: () => number;
}

/** `/holdmusic`: `Music=<genre>` plays the config file's tracks, `Bucket=<name>` lists an S3 bucket. */
export async function holdmusicTwimlet({ get }: TwimletRequest, options: HoldMusicOptions): Promise<TwimletResult> {
  const message = get.str('Message');
  const genre = get.str('Music').trim();
  if (genre !== '') {
    const tracks = genreUrls(options.settings, genre);
    if (tracks.length > 0) return twiml(holdMusicTwiml(tracks, message, options.random));
    options.warn(`no hold music configured for genre "${genre}"`);
    return twiml(FETCH_FAILED_XML);
  }

  const bucket = get.str('Bucket').trim();
  if (bucket === '') return twiml(NO_BUCKET_XML);
  if (!isBucketName(bucket)) throw new HttpError(400, 'Bucket must be an S3 bucket name (lower-case letters, digits, dots and hyphens)', 'Bucket');
  let tracks: string[];
  try {
    tracks = await listBucketAudio(options.endpoint, bucket);
  } catch (err) {
    if (!(err instanceof ListingError)) throw err;
    options.warn(err.message);
    return twiml(FETCH_FAILED_XML);
  }
  if (tracks.length === 0) {
    options.warn('bucket has no .mp3, .wav or .ul files');
    return twiml(FETCH_FAILED_XML);
  }
  return twiml(holdMusicTwiml(tracks, message, options.random));
}
