/** An API answer other than success; the message is safe to show the client. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: { field?: string; twilioCode?: number; moreInfo?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

export interface ApiErrorBody {
  error: { message: string; field?: string; twilioCode?: number; moreInfo?: string };
}

export function errorBody(err: ApiError): ApiErrorBody {
  const { field, twilioCode, moreInfo } = err.details;
  return {
    error: {
      message: err.message,
      ...(field !== undefined && { field }),
      ...(twilioCode !== undefined && { twilioCode }),
      ...(moreInfo !== undefined && { moreInfo }),
    },
  };
}

export function invalid(field: string, message: string): ApiError {
  return new ApiError(400, message, { field });
}
