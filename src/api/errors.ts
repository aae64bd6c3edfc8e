import { shown, type Received } from './received';

/** An API answer other than success; the message is safe to show the client. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: { field?: string; received?: Received; twilioCode?: number; moreInfo?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

export interface ApiErrorBody {
  error: { message: string; field?: string; received?: Received; twilioCode?: number; moreInfo?: string };
}

export function errorBody(err: ApiError): ApiErrorBody {
  const { field, received, twilioCode, moreInfo } = err.details;
  return {
    error: {
      message: err.message,
      ...(field !== undefined && { field }),
      ...(received !== undefined && { received }),
      ...(twilioCode !== undefined && { twilioCode }),
      ...(moreInfo !== undefined && { moreInfo }),
    },
  };
}

/** A 400 about a field that is missing, or about the request as a whole. */
export function invalid(field: string, message: string): ApiError {
  return new ApiError(400, message, { field });
}

/** A 400 about a value the client sent, shown back to them (truncated, credentials hidden). */
export function invalidValue(field: string, message: string, raw: unknown): ApiError {
  return new ApiError(400, message, { field, received: shown(raw) });
}
