// `curl -d to=+15551234567` sends a raw "+", which form decoding turns into a space: the 400
// shows what arrived and says how to send the "+".
import request from 'supertest';
import { AUTH, startApiTest, type ApiTest } from './setup';

let api: ApiTest;
beforeEach(async () => {
  api = await startApiTest();
});
afterEach(() => api.close());

const hint = (field: string) =>
  `its "+" arrived as a space, which is what a "+" sent unencoded in a form body decodes to: send it as %2B (curl --data-urlencode '${field}=+15551234567') or send JSON`;

function postForm(path: string, form: string) {
  return request(api.t.app).post(path).set('Authorization', AUTH).type('form').send(form);
}

test.each([
  ['/api/messages', 'to=+15557654321&body=hi', 'to', 'Expected `to` to be an E.164 number such as +15551234567'],
  ['/api/messages', 'to=%2B15557654321&from=+15005550006&body=hi', 'from', 'Expected `from` to be an E.164 number such as +15551234567'],
  ['/api/calls', 'to=+15557654321&say=hi', 'to', 'Expected `to` to be an E.164 number (+15551234567), client:name or a sip: URI'],
  ['/api/calls', 'to=%2B15557654321&from=+15005550006&say=hi', 'from', 'Expected `from` to be an E.164 number (+15551234567) or client:name'],
])('%s with %s: a 400 naming `%s`, showing the space, saying to send %%2B', async (path, form, field, expected) => {
  const res = await postForm(path, form);
  const received = field === 'to' ? ' 15557654321' : ' 15005550006';
  expect([res.status, res.body]).toEqual([400, { error: { message: `${expected}; ${hint(field)}`, field, received } }]);
  expect(api.fake.requests).toEqual([]);
  // The message is logged; the number is only in the answer.
  expect(api.t.logText()).not.toContain(received.trim());
});

test('bulk recipients in a form: the entry whose "+" was lost is named', async () => {
  const res = await postForm('/api/messages/bulk', 'to=%2B15557654321&to=+15557654322&body=hi');
  expect([res.status, res.body]).toEqual([
    400,
    { error: { message: `Expected \`to[1]\` to be an E.164 number such as +15551234567; ${hint('to[1]')}`, field: 'to[1]', received: ' 15557654322' } },
  ]);
  const one = await postForm('/api/messages/bulk', 'to=+15557654321&body=hi');
  expect([one.status, one.body]).toEqual([
    400,
    { error: { message: `Expected \`to\` to be an E.164 number such as +15551234567; ${hint('to')}`, field: 'to', received: ' 15557654321' } },
  ]);
});

test('bulk recipients in JSON with a leading space get the same explanation', async () => {
  const res = await request(api.t.app)
    .post('/api/messages/bulk')
    .set('Authorization', AUTH)
    .send({ recipients: [{ to: ' 15557654321', body: 'hi' }] });
  expect([res.status, res.body]).toEqual([
    400,
    {
      error: {
        message: `recipients[0]: Expected \`to\` to be an E.164 number such as +15551234567; ${hint('to')}`,
        field: 'recipients[0].to',
        received: ' 15557654321',
      },
    },
  ]);
});

test('the same form with the "+" encoded is accepted', async () => {
  const res = await postForm('/api/messages', 'to=%2B15557654321&body=hi');
  expect(res.status).toBe(201);
});
