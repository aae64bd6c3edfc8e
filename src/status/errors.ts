/** A callback Twilio would never send: answered 400 with a message naming the parameter. */
export class CallbackInputError extends Error {
  constructor(
    readonly param: string,
    problem: string,
  ) {
    super(`${param} ${problem}`);
    this.name = 'CallbackInputError';
  }
}

/**
 * The database failed while storing a callback. Unlike other failures this one is worth a retry,
 * so the route answers 5xx and Twilio delivers the callback again.
 */
export class CallbackStoreError extends Error {
  constructor(cause: unknown) {
    super(`could not store callback: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CallbackStoreError';
  }
}
