// Twilio's magic test numbers (shared/reference/TWILIO-REST.md §10): fixed refusals at create
// time. Unlike Twilio's test credentials, any other From is accepted, as a live account accepts
// its own numbers; only the listed values fail.
import { twilioError, type ErrorAnswer } from './errors';

type Refusal = readonly [code: number, message: string];

const MESSAGE_FROM: Record<string, Refusal> = {
  '+15005550001': [21212, "The 'From' number +15005550001 is not a valid phone number, shortcode, or alphanumeric sender ID."],
  '+15005550007': [21606, "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination."],
  '+15005550008': [21611, "This 'From' number has exceeded the maximum number of queued messages."],
};

const MESSAGE_TO: Record<string, Refusal> = {
  '+15005550001': [21211, "The 'To' number +15005550001 is not a valid phone number."],
  '+15005550002': [21612, "The 'To' phone number is not currently reachable via SMS."],
  '+15005550003': [21408, 'Permission to send an SMS has not been enabled for the region indicated by the \'To\' number.'],
  '+15005550004': [21610, 'Attempt to send to unsubscribed recipient'],
  '+15005550009': [21614, "'To' number is not a valid mobile number"],
};

const CALL_FROM: Record<string, Refusal> = {
  '+15005550001': [21212, "The 'From' number +15005550001 is not a valid phone number."],
};

const CALL_TO: Record<string, Refusal> = {
  '+15005550001': [21217, "The 'To' number +15005550001 is not a valid phone number."],
  '+15005550002': [21214, "The 'To' number +15005550002 cannot be reached."],
  '+15005550003': [21215, 'Geographic permission is not enabled for the \'To\' number.'],
  '+15005550004': [21216, "The 'To' number +15005550004 has been blocked."],
};

function refuse(refusal: Refusal | undefined): ErrorAnswer | null {
  return refusal === undefined ? null : twilioError(400, refusal[0], refusal[1]);
}

/** The refusal Twilio answers a CreateMessage with for a magic number, or null. From is checked first. */
export function magicMessageRefusal(from: string | null, to: string | null): ErrorAnswer | null {
  return refuse(from === null ? undefined : MESSAGE_FROM[from]) ?? refuse(to === null ? undefined : MESSAGE_TO[to]);
}

export function magicCallRefusal(from: string | null, to: string | null): ErrorAnswer | null {
  return refuse(from === null ? undefined : CALL_FROM[from]) ?? refuse(to === null ? undefined : CALL_TO[to]);
}
