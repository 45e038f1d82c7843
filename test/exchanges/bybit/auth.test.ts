/**
 * Bybit signing against the documented strings to sign (protocols.md §3.2, §3.3). Bybit publishes no secret
 * with its examples, so the expected HMACs are computed here with node:crypto from the documented recipe.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { VenueError } from '../../../src/core/errors.js';
import { Decimal } from '../../../src/core/decimal.js';
import type { Credentials, RestRequest } from '../../../src/core/venue.js';
import { keyTypeOf, restSignaturePayload, signRestRequest, wsAuthArgs, wsAuthFrame, wsAuthPayload } from '../../../src/exchanges/bybit/auth.js';
import { fixtureText } from '../../helpers/wait.js';

const DOC_KEY = 'XXXXXXXXXX';
const SECRET = 'test-secret-not-from-bybit';
const creds: Credentials = { apiKey: DOC_KEY, secret: SECRET };
const hmac = (payload: string): string => createHmac('sha256', SECRET).update(payload).digest('hex');

const optionQuery: RestRequest = {
  method: 'GET',
  api: 'rest',
  path: '/v5/order/realtime',
  query: { category: 'option', symbol: 'BTC-29JUL22-25000-C' },
  signed: true,
  costs: [],
};

test('GET: the signed string is timestamp + apiKey + recvWindow + query string, exactly as documented', () => {
  assert.equal(restSignaturePayload(1658384314791, DOC_KEY, 5000, 'category=option&symbol=BTC-29JUL22-25000-C'), '1658384314791XXXXXXXXXX5000category=option&symbol=BTC-29JUL22-25000-C');
  const wire = signRestRequest(optionQuery, creds, 1658384314791);
  assert.equal(wire.pathAndQuery, '/v5/order/realtime?category=option&symbol=BTC-29JUL22-25000-C');
  assert.equal(wire.body, undefined);
  assert.deepEqual(wire.headers, {
    'X-BAPI-API-KEY': DOC_KEY,
    'X-BAPI-TIMESTAMP': '1658384314791',
    'X-BAPI-RECV-WINDOW': '5000',
    'X-BAPI-SIGN': hmac('1658384314791XXXXXXXXXX5000category=option&symbol=BTC-29JUL22-25000-C'),
    'X-BAPI-SIGN-TYPE': '2',
  });
  assert.match(wire.headers['X-BAPI-SIGN'] ?? '', /^[0-9a-f]{64}$/, 'lowercase hex');
});

test('POST: the signed string ends with the JSON body, exactly the bytes sent', () => {
  assert.equal(restSignaturePayload(1658385579423, DOC_KEY, 5000, '{"category": "option"}'), '1658385579423XXXXXXXXXX5000{"category": "option"}');
  const request: RestRequest = {
    method: 'POST',
    api: 'rest',
    path: '/v5/order/create',
    body: { category: 'option', symbol: 'BTC-29JUL22-25000-C', qty: Decimal.from('0.10'), price: undefined },
    signed: true,
    costs: [],
    command: true,
  };
  const wire = signRestRequest(request, creds, 1658385579423, { recvWindowMs: 10000 });
  assert.equal(wire.body, '{"category":"option","symbol":"BTC-29JUL22-25000-C","qty":"0.10"}', 'decimals as exact strings, undefined dropped');
  assert.equal(wire.pathAndQuery, '/v5/order/create');
  assert.equal(wire.headers['Content-Type'], 'application/json');
  assert.equal(wire.headers['X-BAPI-RECV-WINDOW'], '10000');
  assert.equal(wire.headers['X-BAPI-SIGN'], hmac(`1658385579423${DOC_KEY}10000${wire.body}`));
});

test('unsigned requests carry no credentials; a signed one without credentials is an auth error', () => {
  const wire = signRestRequest({ ...optionQuery, signed: false }, creds, 1);
  assert.deepEqual(wire.headers, {});
  assert.throws(() => signRestRequest(optionQuery, undefined, 1), (e: unknown) => VenueError.is(e, 'auth'));
  assert.throws(() => signRestRequest(optionQuery, { apiKey: 'k', secret: '' }, 1), (e: unknown) => VenueError.is(e, 'auth'));
});

test('an RSA key signs with RSA-SHA256 in base64 and no HMAC sign type', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa: Credentials = { apiKey: 'rsa-key', secret: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  assert.equal(keyTypeOf(rsa), 'rsa');
  const wire = signRestRequest(optionQuery, rsa, 1658384314791);
  const sig = wire.headers['X-BAPI-SIGN'] ?? '';
  assert.match(sig, /^[A-Za-z0-9+/]+=*$/);
  assert.equal(wire.headers['X-BAPI-SIGN-TYPE'], undefined);
  assert.ok(verify('sha256', Buffer.from('1658384314791rsa-key5000category=option&symbol=BTC-29JUL22-25000-C'), publicKey, Buffer.from(sig, 'base64')));
});

test('an unreadable PEM or a non-RSA key is an auth error that does not echo the key', () => {
  const broken: Credentials = { apiKey: 'k', secret: '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----' };
  assert.throws(() => signRestRequest(optionQuery, broken, 1), (e: unknown) => VenueError.is(e, 'auth') && !e.message.includes('not-a-key'));
  const { privateKey } = generateKeyPairSync('ed25519');
  const ed: Credentials = { apiKey: 'k', secret: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  assert.throws(() => keyTypeOf(ed), (e: unknown) => VenueError.is(e, 'auth') && /ed25519/.test(e.message));
});

test('WebSocket auth signs GET/realtime{expires} and builds the documented frame shape', () => {
  assert.equal(wsAuthPayload(1662350400000), 'GET/realtime1662350400000');
  const args = wsAuthArgs(creds, 1662350400000);
  assert.deepEqual(args, [DOC_KEY, 1662350400000, hmac('GET/realtime1662350400000')]);
  const frame = JSON.parse(wsAuthFrame(creds, 1662350400000, '10001')) as Record<string, unknown>;
  const doc = JSON.parse(fixtureText('bybit/ws/auth-request.json')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(frame).sort(), Object.keys(doc).sort());
  assert.equal(frame['op'], 'auth');
  assert.throws(() => wsAuthArgs(creds, 0), (e: unknown) => VenueError.is(e, 'invalid-argument'));
});
