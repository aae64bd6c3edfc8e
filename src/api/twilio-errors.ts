import { TwilioApiError, TwilioConnectionError, TwilioError, TwilioUnknownOutcomeError } from '../twilio';
import { ApiError } from './errors';

/** A Twilio client failure as an API error: 404 passes through, everything else is a 502. */
export function fromTwilioError(err: unknown): ApiError | undefined {
  if (!(err instanceof TwilioError)) return undefined;
  if (err instanceof TwilioApiError) {
    const details = { ...(err.code !== null && { twilioCode: err.code }), ...(err.moreInfo && { moreInfo: err.moreInfo }) };
    return new ApiError(err.status === 404 ? 404 : 502, err.message, details);
  }
  if (err instanceof TwilioUnknownOutcomeError) {
    return new ApiError(502, `No usable answer from Twilio (${err.reason}); the outcome is unknown`);
  }
  if (err instanceof TwilioConnectionError) {
    return new ApiError(502, `Could not connect to Twilio (${err.causeCode ?? 'no connection'}); nothing was sent`);
  }
  return new ApiError(502, `Not sent to Twilio: ${err.message}`);
}
