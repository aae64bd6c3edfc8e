// Why a TwiML request failed, named by the code Twilio's debugger logs for it and sends to the
// fallback URL as ErrorCode: https://www.twilio.com/docs/api/errors/11200 (a 4xx or 5xx answer),
// /11205 (no connection, or no answer within the timeout), /11750 (a body too large to be
// TwiML), /12100 (a body that is not a TwiML document).

export type TwimlErrorCode = 11200 | 11205 | 11750 | 12100;

export const TWIML_ERROR_NAMES: Readonly<Record<TwimlErrorCode, string>> = {
  11200: 'HTTP retrieval failure',
  11205: 'HTTP connection failure',
  11750: 'TwiML response body too large',
  12100: 'Document parse failure',
};

export interface TwimlFailure {
  code: TwimlErrorCode;
  method: 'GET' | 'POST';
  /** The public URL that failed (what Twilio sends as ErrorUrl). */
  url: string;
  /** One line saying what went wrong, for the transcript and the log. */
  message: string;
}
