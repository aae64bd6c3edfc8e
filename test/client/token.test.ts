import { decodeProtectedHeader, jwtVerify } from 'jose';
import twilio from 'twilio';
import { buildVoiceToken, type VoiceTokenInput } from '../../src/client/token';

const NOW = new Date('2026-01-02T03:04:05.000Z');
const IAT = Math.floor(NOW.getTime() / 1000);
const ACCOUNT = 'AC' + 'a'.repeat(32);
const KEY = 'SK' + 'b'.repeat(32);
const SECRET = 'the-api-key-secret-0123456789abcdef';
const APP = 'AP' + 'c'.repeat(32);

const INPUT: VoiceTokenInput = {
  accountSid: ACCOUNT,
  apiKeySid: KEY,
  apiKeySecret: SECRET,
  identity: 'alice',
  outgoingApplicationSid: APP,
  incomingAllow: true,
  ttlSeconds: 3600,
  now: NOW,
};
const secret = new TextEncoder().encode(SECRET);

describe('buildVoiceToken', () => {
  test('signs HS256 with the API key secret, with the claims Twilio expects', async () => {
    const { token, expiresAt } = buildVoiceToken(INPUT);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], currentDate: NOW });
    expect(payload).toEqual({
      jti: `${KEY}-${IAT}`,
      grants: { identity: 'alice', voice: { incoming: { allow: true }, outgoing: { application_sid: APP } } },
      iat: IAT,
      exp: IAT + 3600,
      iss: KEY,
      sub: ACCOUNT,
    });
    expect(expiresAt).toEqual(new Date('2026-01-02T04:04:05.000Z'));
  });

  test('outgoing only, with params and a shorter lifetime', async () => {
    const { token } = buildVoiceToken({ ...INPUT, incomingAllow: false, outgoingParams: { team: 'sales' }, ttlSeconds: 600 });
    const { payload } = await jwtVerify(token, secret, { currentDate: NOW });
    expect(payload.grants).toEqual({ identity: 'alice', voice: { outgoing: { application_sid: APP, params: { team: 'sales' } } } });
    expect(payload.exp).toBe(IAT + 600);
  });

  test('is byte for byte the token twilio-node builds from the same inputs', () => {
    const spy = jest.spyOn(Date, 'now').mockReturnValue(NOW.getTime());
    try {
      const { AccessToken } = twilio.jwt;
      const official = new AccessToken(ACCOUNT, KEY, SECRET, { identity: 'alice', ttl: 3600 });
      official.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: APP }));
      expect(buildVoiceToken(INPUT).token).toBe(official.toJwt());

      const outgoingOnly = new AccessToken(ACCOUNT, KEY, SECRET, { identity: 'bob', ttl: 900 });
      outgoingOnly.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: APP, outgoingApplicationParams: { a: '1' } }));
      const ours = buildVoiceToken({ ...INPUT, identity: 'bob', incomingAllow: false, outgoingParams: { a: '1' }, ttlSeconds: 900 });
      expect(ours.token).toBe(outgoingOnly.toJwt());
    } finally {
      spy.mockRestore();
    }
  });

  test('an expired token is rejected by a verifier', async () => {
    const { token } = buildVoiceToken({ ...INPUT, ttlSeconds: 60 });
    await expect(jwtVerify(token, secret, { currentDate: new Date(NOW.getTime() + 59_000) })).resolves.toBeDefined();
    await expect(jwtVerify(token, secret, { currentDate: new Date(NOW.getTime() + 61_000) })).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
  });

  test('a tampered token, or one signed with another secret, is rejected', async () => {
    const { token } = buildVoiceToken(INPUT);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // Grant a different identity without re-signing.
    const forged = Buffer.from(payload, 'base64url').toString('utf8').replace('"alice"', '"mallo"');
    const tampered = `${header}.${Buffer.from(forged).toString('base64url')}.${signature}`;
    await expect(jwtVerify(tampered, secret, { currentDate: NOW })).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });

    // One flipped bit in the signature.
    const sig = Buffer.from(signature, 'base64url');
    sig[0] = (sig[0] as number) ^ 1;
    await expect(jwtVerify(`${header}.${payload}.${sig.toString('base64url')}`, secret, { currentDate: NOW })).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });

    const other = new TextEncoder().encode('another-secret-entirely-0123456789');
    await expect(jwtVerify(token, other, { currentDate: NOW })).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });
});
