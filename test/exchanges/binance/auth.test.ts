/** Binance signing against the documented vectors (protocols.md §1.2, §1.3, §2.2) and with generated Ed25519/RSA keys. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { generateKeyPairSync, verify } from 'node:crypto';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { Credentials, RestRequest } from '../../../src/core/venue.js';
import { keyTypeOf, signPayload, signRestRequest, signWsApiParams, wsApiSignaturePayload } from '../../../src/exchanges/binance/auth.js';
import { fixtureText } from '../../helpers/wait.js';

const SPOT_DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const SPOT_DOC_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';

function order(symbol: string, extra: Partial<RestRequest> = {}): RestRequest {
  return {
    method: 'POST',
    api: 'spot',
    path: '/api/v3/order',
    query: { symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1' },
    signed: true,
    costs: [{ limit: 'REQUEST_WEIGHT', weight: 1 }],
    command: true,
    ...extra,
  };
}

function signatureOf(pathAndQuery: string): string | null {
  return new URLSearchParams(pathAndQuery.split('?')[1] ?? '').get('signature');
}

test('signs the spot REST doc example with HMAC-SHA256, appending recvWindow and timestamp', () => {
  const creds: Credentials = { apiKey: SPOT_DOC_KEY, secret: SPOT_DOC_SECRET };
  const wire = signRestRequest(order('LTCBTC'), creds, 1499827319559);
  assert.equal(
    wire.pathAndQuery,
    '/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559' +
      '&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
  );
  assert.equal(wire.headers['X-MBX-APIKEY'], SPOT_DOC_KEY);
  assert.equal(wire.body, undefined);
});

test('percent-encodes a non-ASCII symbol before signing, matching the documented signature', () => {
  const wire = signRestRequest(order('１２３４５６'), { apiKey: 'k', secret: SPOT_DOC_SECRET }, 1499827319559);
  assert.ok(wire.pathAndQuery.startsWith('/api/v3/order?symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY'));
  assert.equal(signatureOf(wire.pathAndQuery), 'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3');
});

test('signs query string plus body with no separator and puts the signature in the body (doc example 3)', () => {
  const request = order('LTCBTC', {
    query: { symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC' },
    body: { quantity: '1', price: '0.1' },
  });
  const wire = signRestRequest(request, { apiKey: 'k', secret: SPOT_DOC_SECRET }, 1499827319559);
  assert.equal(wire.pathAndQuery, '/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC');
  assert.equal(wire.body, 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77');
  assert.equal(wire.headers['Content-Type'], 'application/x-www-form-urlencoded');
});

test('signs the USD-M REST doc example and keeps an explicit recvWindow', () => {
  const request: RestRequest = {
    method: 'POST',
    api: 'usdm',
    path: '/fapi/v1/order',
    query: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: 1, price: 9000, timeInForce: 'GTC', recvWindow: 5000 },
    signed: true,
    costs: [],
  };
  const creds = { apiKey: 'k', secret: '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9' };
  const wire = signRestRequest(request, creds, 1591702613943, { recvWindowMs: 60000 });
  assert.match(wire.pathAndQuery, /&recvWindow=5000&timestamp=1591702613943&signature=/);
  assert.equal(signatureOf(wire.pathAndQuery), '3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9');
});

test('builds the WebSocket API payload sorted by name without percent-encoding and reproduces the doc signature', () => {
  const request = parseJson(fixtureText('binance/ws/wsapi-request-order-place-hmac-signed.json')) as { params: Record<string, unknown> };
  assert.equal(
    wsApiSignaturePayload(request.params),
    `apiKey=${SPOT_DOC_KEY}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT`,
  );
  const { signature, ...unsigned } = request.params;
  const signed = signWsApiParams(unsigned, { apiKey: SPOT_DOC_KEY, secret: SPOT_DOC_SECRET });
  assert.equal(signed['signature'], signature);
  assert.equal(signed['signature'], 'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
});

test('adds apiKey and timestamp to WebSocket API params that lack them', () => {
  const signed = signWsApiParams({ symbol: 'BTCUSDT' }, { apiKey: 'key1', secret: 'secret' }, 1700000000000);
  assert.equal(signed['apiKey'], 'key1');
  assert.equal(signed['timestamp'], 1700000000000);
  assert.equal(signed['signature'], signPayload('apiKey=key1&symbol=BTCUSDT&timestamp=1700000000000', { apiKey: 'key1', secret: 'secret' }));
  assert.throws(() => signWsApiParams({}, { apiKey: 'k', secret: 's' }), (e: unknown) => VenueError.is(e, 'invalid-argument'));
});

test('signs with an Ed25519 PEM key in base64, verifiable with the public key, percent-encoded in the URL', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const creds: Credentials = { apiKey: 'k', secret: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  assert.equal(keyTypeOf(creds), 'ed25519');
  const wire = signRestRequest(order('BTCUSDT'), creds, 1700000000000);
  const [path = '', query = ''] = wire.pathAndQuery.split('?');
  assert.equal(path, '/api/v3/order');
  const raw = query.slice(query.indexOf('&signature=') + '&signature='.length);
  assert.doesNotMatch(raw, /[+/=]/, 'base64 is percent-encoded in the URL');
  const payload = query.slice(0, query.indexOf('&signature='));
  const signature = Buffer.from(decodeURIComponent(raw), 'base64');
  assert.ok(verify(null, Buffer.from(payload), publicKey, signature));
  assert.ok(!verify(null, Buffer.from(payload + '0'), publicKey, signature));
});

test('signs with an RSA PEM key using PKCS#1 v1.5 SHA-256 in base64', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const creds: Credentials = { apiKey: 'k', secret: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  assert.equal(keyTypeOf(creds), 'rsa');
  const payload = 'symbol=BTCUSDT&timestamp=1700000000000';
  const signature = signPayload(payload, creds);
  assert.match(signature, /^[A-Za-z0-9+/]+=*$/);
  assert.ok(verify('sha256', Buffer.from(payload), publicKey, Buffer.from(signature, 'base64')));
  const ws = signWsApiParams({ timestamp: 1 }, creds);
  assert.ok(verify('sha256', Buffer.from('apiKey=k&timestamp=1'), publicKey, Buffer.from(String(ws['signature']), 'base64')));
});

test('sends unsigned requests without timestamp or signature, with the key header only when credentials exist', () => {
  const request: RestRequest = { method: 'GET', api: 'spot', path: '/api/v3/depth', query: { symbol: 'BTCUSDT', limit: 100, skip: undefined }, signed: false, costs: [] };
  const anonymous = signRestRequest(request, undefined, 1);
  assert.equal(anonymous.pathAndQuery, '/api/v3/depth?symbol=BTCUSDT&limit=100');
  assert.deepEqual(anonymous.headers, {});
  assert.equal(signRestRequest(request, { apiKey: 'abc', secret: 's' }, 1).headers['X-MBX-APIKEY'], 'abc');
  assert.equal(signRestRequest({ ...request, query: undefined }, undefined, 1).pathAndQuery, '/api/v3/depth');
});

test('refuses to sign without credentials or with an unreadable key, without echoing the secret', () => {
  assert.throws(() => signRestRequest(order('BTCUSDT'), undefined, 1), (e: unknown) => VenueError.is(e, 'auth'));
  const secret = '-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETMATERIAL\n-----END PRIVATE KEY-----';
  assert.throws(
    () => signRestRequest(order('BTCUSDT'), { apiKey: 'k', secret }, 1),
    (e: unknown) => VenueError.is(e, 'auth') && !e.message.includes('SECRETMATERIAL'),
  );
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ec = { apiKey: 'k', secret: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  assert.throws(() => keyTypeOf(ec), (e: unknown) => VenueError.is(e, 'auth') && e.message.includes('ec'));
});
