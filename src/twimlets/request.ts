import type { PhpParams } from './params';

/** A twimlet request, already split the way the PHP originals read it. */
export interface TwimletRequest {
  /** `$_GET`: the query string, where the twimlet's configuration lives. */
  readonly get: PhpParams;
  /** `$_REQUEST`: the query, then the POST body that Twilio adds (`Digits`, `DialCallStatus`, ...). */
  readonly request: PhpParams;
  /** This twimlet's own path (`/twimlets/forward`), for the self-referencing actions. */
  readonly self: string;
}
