export type TwimlErrorCode = 'INVALID_CHARACTER' | 'INVALID_NAME' | 'INVALID_COMMENT';

/**
 * Thrown when a value cannot be written as well-formed XML 1.0. Twilio rejects such documents
 * with error 12100, so we fail at the call site instead. The message never echoes the value
 * itself (it may be untrusted input); it names the element, the attribute and the position.
 */
export class TwimlError extends Error {
  override readonly name = 'TwimlError';

  constructor(
    readonly code: TwimlErrorCode,
    /** Element being built, e.g. `Say` or `say-as`. */
    readonly element: string,
    message: string,
    /** Attribute name, when the bad value was an attribute (or an attribute name). */
    readonly attribute?: string,
  ) {
    super(`<${element}>${attribute === undefined ? '' : ` attribute "${attribute}"`}: ${message}`);
  }
}
