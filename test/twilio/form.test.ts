import { CREATE_CALL_PARAMS, encodeForm, formatIsoDateTime, SEND_MESSAGE_PARAMS } from '../../src/twilio/form';
import { TwilioInputError } from '../../src/twilio';

describe('encodeForm', () => {
  test('repeats array keys, writes booleans as true/false and percent-encodes +', () => {
    const form = encodeForm(
      { to: '+15551230000', from: '+15559870000', url: 'https://example.com/a?b=c', statusCallbackEvent: ['initiated', 'completed'], record: true, timeout: 30 },
      CREATE_CALL_PARAMS,
    );
    expect(form.toString()).toBe(
      'To=%2B15551230000&From=%2B15559870000&Url=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc' +
        '&StatusCallbackEvent=initiated&StatusCallbackEvent=completed&Timeout=30&Record=true',
    );
  });

  test('orders keys by the parameter table, not by the input object', () => {
    const a = encodeForm({ body: 'hi', from: '+1', to: '+2' }, SEND_MESSAGE_PARAMS).toString();
    const b = encodeForm({ to: '+2', from: '+1', body: 'hi' }, SEND_MESSAGE_PARAMS).toString();
    expect(a).toBe(b);
    expect(a).toBe('To=%2B2&From=%2B1&Body=hi');
  });

  test('leaves out undefined fields and keeps empty strings', () => {
    expect(encodeForm({ to: '+2', from: undefined, body: '' }, SEND_MESSAGE_PARAMS).toString()).toBe('To=%2B2&Body=');
  });

  test('serialises Date as ISO 8601 without milliseconds and objects as JSON', () => {
    const form = encodeForm(
      { to: '+2', sendAt: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678)), contentVariables: { 1: 'Ann' } },
      SEND_MESSAGE_PARAMS,
    );
    expect([...form]).toEqual([
      ['To', '+2'],
      ['ContentVariables', '{"1":"Ann"}'],
      ['SendAt', '2030-01-02T03:04:05Z'],
    ]);
  });

  test('rejects unknown fields and non-finite numbers before anything is sent', () => {
    expect(() => encodeForm({ to: '+2', bogus: 'x' } as never, SEND_MESSAGE_PARAMS)).toThrow(TwilioInputError);
    expect(() => encodeForm({ to: '+2', validityPeriod: Number.NaN }, SEND_MESSAGE_PARAMS)).toThrow(/ValidityPeriod/);
    expect(() => formatIsoDateTime(new Date('nope'))).toThrow(TwilioInputError);
  });
});
