/** OKX signing: the REST and WebSocket-login vectors of protocols.md §4.2/§4.3 verbatim, headers, demo, secrets. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { VenueError } from '../../../src/core/errors.js';
import type { Credentials, RestRequest } from '../../../src/core/venue.js';
import { isoTimestamp, okxSign, restPrehash, signRestRequest, wsLoginRequest, wsLoginSign } from '../../../src/exchanges/okx/auth.js';
import { fixtureText } from '../../helpers/wait.js';

const SECRET = '22582BD0CFF14C41EDBF1AB98506286D';
const CREDS: Credentials = { apiKey: 'test-api-key', secret: SECRET, passphrase: 'test-passphrase' };
/** 2020-12-08T09:08:57.715Z */
const TS_MS = Date.UTC(2020, 11, 8, 9, 8, 57, 715);

const balance: RestRequest = { method: 'GET', api: 'rest', path: '/api/v5/account/balance', query: { ccy: 'BTC' }, signed: true, costs: [] };

test('signs the documented REST pre-hash (timestamp + METHOD + path?query + body) to the §4.2 vector', () => {
  assert.equal(isoTimestamp(TS_MS), '2020-12-08T09:08:57.715Z');
  const prehash = restPrehash(isoTimestamp(TS_MS), 'get', '/api/v5/account/balance?ccy=BTC', '');
  assert.equal(prehash, '2020-12-08T09:08:57.715ZGET/api/v5/account/balance?ccy=BTC');
  assert.equal(okxSign(prehash, SECRET), 'HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=');
});

test('puts the signature, ISO timestamp, key and passphrase in the OK-ACCESS headers of a signed request', () => {
  const wire = signRestRequest(balance, CREDS, TS_MS);
  assert.equal(wire.pathAndQuery, '/api/v5/account/balance?ccy=BTC');
  assert.equal(wire.body, undefined);
  assert.deepEqual(wire.headers, {
    'OK-ACCESS-KEY': 'test-api-key',
    'OK-ACCESS-SIGN': 'HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=',
    'OK-ACCESS-TIMESTAMP': '2020-12-08T09:08:57.715Z',
    'OK-ACCESS-PASSPHRASE': 'test-passphrase',
    'Content-Type': 'application/json',
  });
});

test('signs a POST over the exact JSON body sent', () => {
  const order = JSON.parse(fixtureText('okx/ws/op-order-request.json')) as { args: Array<Record<string, unknown>> };
  const req: RestRequest = { method: 'POST', api: 'rest', path: '/api/v5/trade/order', body: order.args[0] as Record<string, unknown>, signed: true, costs: [], command: true };
  const wire = signRestRequest(req, CREDS, TS_MS);
  assert.equal(wire.body, JSON.stringify(order.args[0]));
  assert.equal(wire.headers['OK-ACCESS-SIGN'], okxSign(`2020-12-08T09:08:57.715ZPOST/api/v5/trade/order${wire.body as string}`, SECRET));
});

test('sends public requests unsigned, with the demo header only when configured for demo trading', () => {
  const time: RestRequest = { method: 'GET', api: 'rest', path: '/api/v5/public/time', signed: false, costs: [] };
  assert.deepEqual(signRestRequest(time, undefined, TS_MS), { method: 'GET', pathAndQuery: '/api/v5/public/time', headers: {} });
  assert.deepEqual(signRestRequest(time, undefined, TS_MS, { simulatedTrading: true }).headers, { 'x-simulated-trading': '1' });
  assert.equal(signRestRequest(balance, CREDS, TS_MS, { simulatedTrading: true }).headers['x-simulated-trading'], '1');
});

test('signs the WebSocket login (unix seconds + GET/users/self/verify) to the §4.3 vector', () => {
  assert.equal(wsLoginSign(SECRET, 1538054050), '+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=');
  assert.deepEqual(wsLoginRequest(CREDS, 1538054050.9), {
    op: 'login',
    args: [{ apiKey: 'test-api-key', passphrase: 'test-passphrase', timestamp: '1538054050', sign: '+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=' }],
  });
});

test('refuses credentials without a passphrase, and the error never holds the secret', () => {
  for (const creds of [{ apiKey: 'k', secret: SECRET }, { apiKey: 'k', secret: SECRET, passphrase: '' }] as Credentials[]) {
    for (const attempt of [() => signRestRequest(balance, creds, TS_MS), () => wsLoginRequest(creds, 1)]) {
      assert.throws(attempt, (err: unknown) => {
        assert.ok(VenueError.is(err, 'auth'));
        assert.match(err.message, /passphrase/);
        assert.ok(!err.message.includes(SECRET) && !JSON.stringify(err.toJSON()).includes(SECRET));
        return true;
      });
    }
  }
  assert.throws(() => signRestRequest(balance, undefined, TS_MS), (err: unknown) => VenueError.is(err, 'auth'));
});
