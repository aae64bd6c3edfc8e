
/** What a Voice access token is made of. `now` is injected so tokens are reproducible in tests. */
export interface VoiceTokenInput {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  identity: string;
  /** The TwiML App whose Voice URL answers the browser's outgoing calls. */
  outgoingApplicationSid: string;
  /** Sent to the TwiML App with every outgoing call. */
  outgoingParams?: Readonly<Record<string, string>> | undefined;
  /** Whether calls to `client:<identity>` ring this browser. */
  incomingAllow: boolean;
  ttlSeconds: number;
  now: Date;
}

export interface VoiceToken {
  token: string;
  expiresAt: Date;
}

export interface VoiceGrant {
  incoming?: { allow: true };
  outgoing: { application_sid: string; params?: Readonly<Record<string, string>> };
}

/** The claims, in the order and shape twilio-node's AccessToken signs them. */
export interface VoiceTokenClaims {
  jti: string;
  grants: { identity: string; voice: VoiceGrant };
  iat: number;
  exp: number;
  iss: string;
  sub: string;
}

/**
 * A Twilio Voice access token: an HS256 JWT signed with the API key's secret, carrying the
 * `twilio-fpa;v=1` content type Twilio requires, exactly as Twilio's own helper libraries build it.
 */
export function buildVoiceToken(input: VoiceTokenInput): VoiceToken {
  const iat = Math.floor(input.now.getTime() / 1000);
  const outgoing: VoiceGrant['outgoing'] = { application_sid: input.outgoingApplicationSid };
  if (input.outgoingParams !== undefined) outgoing.params = input.outgoingParams;
  const voice: VoiceGrant = input.incomingAllow ? { incoming: { allow: true }, outgoing } : { outgoing };
  // Loaded on the first token: browser calling is optional, and the library costs 9 MB.
  const jwt = require('jsonwebtoken') as typeof import('jsonwebtoken');
  const token = jwt.sign({ jti: `${input.apiKeySid}-${iat}`, grants: { identity: input.identity, voice }, iat }, input.apiKeySecret, {
    algorithm: 'HS256',
    header: { alg: 'HS256', cty: 'twilio-fpa;v=1', typ: 'JWT' },
    issuer: input.apiKeySid,
    subject: input.accountSid,
    expiresIn: input.ttlSeconds,
  });
  return { token, expiresAt: new Date((iat + input.ttlSeconds) * 1000) };
}
