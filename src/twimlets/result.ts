/** What a twimlet answers: TwiML, an HTTP redirect (FailUrl, a menu option), or an empty 200. */
export type TwimletResult =
  | { readonly kind: 'twiml'; readonly xml: string }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'empty' };

export const twiml = (xml: string): TwimletResult => ({ kind: 'twiml', xml });
export const redirect = (location: string): TwimletResult => ({ kind: 'redirect', location });
export const EMPTY: TwimletResult = { kind: 'empty' };
