import { webhookUrl } from '../../src/security';
import type { WebhookUrlSource } from '../../src/security';

const request = { originalUrl: '/twilio/voice?x=1', headers: { host: 'internal:3000' }, encrypted: false };

describe('webhookUrl', () => {
  it.each<[string, Partial<WebhookUrlSource>, string | undefined]>([
    ['PUBLIC_BASE_URL wins', { publicBaseUrl: 'https://sb.example.com', trustProxy: true }, 'https://sb.example.com/twilio/voice?x=1'],
    ['PUBLIC_BASE_URL trailing slash', { publicBaseUrl: 'https://sb.example.com/' }, 'https://sb.example.com/twilio/voice?x=1'],
    ['PUBLIC_BASE_URL with a path prefix', { publicBaseUrl: 'https://example.com/sb' }, 'https://example.com/sb/twilio/voice?x=1'],
    ['PUBLIC_BASE_URL ignores forwarded headers', {
      publicBaseUrl: 'https://sb.example.com',
      trustProxy: true,
      headers: { host: 'internal', 'x-forwarded-host': 'evil.com', 'x-forwarded-proto': 'http' },
    }, 'https://sb.example.com/twilio/voice?x=1'],
    ['own protocol and Host', {}, 'http://internal:3000/twilio/voice?x=1'],
    ['own TLS', { encrypted: true }, 'https://internal:3000/twilio/voice?x=1'],
    ['forwarded headers ignored without trust', {
      headers: { host: 'internal:3000', 'x-forwarded-host': 'sb.example.com', 'x-forwarded-proto': 'https' },
    }, 'http://internal:3000/twilio/voice?x=1'],
    ['trusted proxy', {
      trustProxy: true,
      headers: { host: 'internal:3000', 'x-forwarded-host': 'sb.example.com', 'x-forwarded-proto': 'https' },
    }, 'https://sb.example.com/twilio/voice?x=1'],
    ['trusted proxy, first of several hops', {
      trustProxy: true,
      headers: { host: 'internal:3000', 'x-forwarded-host': 'sb.example.com, lb.internal', 'x-forwarded-proto': 'https, http' },
    }, 'https://sb.example.com/twilio/voice?x=1'],
    ['trusted proxy, proto only', {
      trustProxy: true,
      headers: { host: 'sb.example.com', 'x-forwarded-proto': 'https' },
    }, 'https://sb.example.com/twilio/voice?x=1'],
    ['trusted proxy, no forwarded headers', { trustProxy: true }, 'http://internal:3000/twilio/voice?x=1'],
    ['query kept byte for byte', { originalUrl: "/v?x=it's+ok&y=%7E" }, "http://internal:3000/v?x=it's+ok&y=%7E"],
    ['no Host header', { headers: {} }, undefined],
  ])('%s', (_name, override, expected) => {
    expect(webhookUrl({ trustProxy: false, ...request, ...override })).toBe(expected);
  });
});
