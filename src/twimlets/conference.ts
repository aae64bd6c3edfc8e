import { createHash } from 'node:crypto';
import { HttpError } from '../http/errors';
import { VoiceResponse } from '../twiml';
import { addMessage, looksLikeUrl } from './message-rule';
import type { TwimletRequest } from './request';
import { twiml, type TwimletResult } from './result';
import { genreUrls, type TwimletsSettings } from './settings';
import { normalizeUsNumber } from './validate';

/** How conference points at this server's hold music for a genre (relative, like the other self-references). */
export interface ConferenceOptions {
  readonly settings: TwimletsSettings;
  /** Absolute URL of `/twimlets/holdmusic` as Twilio reaches it. */
  readonly holdMusicUrl: string;
}

/**
 * `/conference`: an optional pass code, then the caller joins the room. With `Moderators[]`
 * the room only starts when a moderator (by `From` or `To`) is in it.
 */
export function conferenceTwimlet({ get, request }: TwimletRequest, options: ConferenceOptions): TwimletResult {
  const password = get.str('Password');
  if (password !== '' && !/^\d+$/.test(password)) {
    throw new HttpError(400, 'Password must be digits only (callers enter it on the keypad)', 'Password');
  }
  const response = new VoiceResponse();
  if (password !== '' && request.str('Digits') !== password) {
    response.gather({ numDigits: Math.max(3, password.length) }).say('Please enter your conference pass code');
    response.redirect('');
    return twiml(response.toString());
  }

  // Only the array form counts, as in the original (`is_array($_GET['Moderators'])`).
  const moderatorParam = get.array('Moderators');
  const moderators = moderatorParam?.map(([, value]) => normalizeUsNumber(value));
  let isModerator: boolean | undefined;
  if (moderators !== undefined) {
    const from = normalizeUsNumber(request.str('From') || request.str('Caller'));
    const to = normalizeUsNumber(request.str('To') || request.str('Called'));
    isModerator = moderators.includes(from) || moderators.includes(to);
    if (!isModerator && get.str('EnableSmsNotifications') !== '' && get.str('EnableSmsNotifications') !== '0') {
      const text = `${request.str('Caller')} has entered your conference.  Call the number this text came from to join.`;
      // The live service answers <Message>, the 2012 source <Sms>; both are legacy in a voice call.
      for (const moderator of moderators) response.addChild('Message', { to: moderator }).addText(text);
    }
  }

  const message = get.str('Message');
  if (!addMessage(response, message)) response.say('You are now entering the conference line.');

  const name = get.str('Name') || md5(message + (moderators ?? []).join(''));
  const music = get.str('Music');
  let waitUrl: string | undefined;
  if (genreUrls(options.settings, music).length > 0) waitUrl = `${options.holdMusicUrl}?Music=${encodeURIComponent(music)}`;
  else if (looksLikeUrl(music)) waitUrl = music;

  response.dial().conference(
    {
      ...(waitUrl !== undefined && { waitUrl, waitMethod: 'GET' }),
      ...(isModerator !== undefined && { startConferenceOnEnter: isModerator }),
    },
    name,
  );
  return twiml(response.toString());
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
