/** The Bybit error table, driven by the recorded error bodies in test/fixtures/bybit/rest and the documented codes. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { ErrorCode, VenueError } from '../../../src/core/errors.js';
import type { RawResponse, RestRequest } from '../../../src/core/venue.js';
import { BYBIT_ERROR_TABLE, bybitErrorCode, decodeBybitError } from '../../../src/exchanges/bybit/errors.js';
import { endpointLimitOf } from '../../../src/exchanges/bybit/rest.js';
import { fixtureText } from '../../helpers/wait.js';

const READ: RestRequest = { method: 'GET', api: 'rest', path: '/v5/order/realtime', query: { category: 'linear' }, signed: true, costs: [] };
const COMMAND: RestRequest = { method: 'POST', api: 'rest', path: '/v5/order/create', body: { category: 'linear' }, signed: true, costs: [], command: true };

function response(status: number, body: string, headers: Record<string, string> = {}): RawResponse {
  return { status, body, headers };
}

function decoded(status: number, body: string, request: RestRequest = READ, headers: Record<string, string> = {}): VenueError {
  const err = decodeBybitError(response(status, body, headers), request);
  assert.ok(err, `HTTP ${status} ${body.slice(0, 60)} is an error`);
  return err;
}

test('maps every recorded error body (HTTP 200 with a retCode) to its stable code', () => {
  const table: Array<[string, ErrorCode, string]> = [
    ['error-10002-recv-window-recorded.json', 'clock-skew', '10002'],
    ['error-10003-api-key-invalid-recorded.json', 'auth', '10003'],
    ['error-10006-too-many-visits-recorded.json', 'rate-limited', '10006'],
  ];
  for (const [file, code, venueCode] of table) {
    const err = decoded(200, fixtureText(`bybit/rest/${file}`));
    assert.equal(err.code, code, file);
    assert.equal(err.venueCode, venueCode, file);
    assert.equal(err.venue, 'bybit');
    assert.equal(err.httpStatus, 200);
    assert.equal(err.operation, 'GET /v5/order/realtime');
  }
});

test('a successful envelope and an OK body without an envelope are not errors', () => {
  assert.equal(decodeBybitError(response(200, fixtureText('bybit/rest/server-time.json')), READ), undefined);
  assert.equal(decodeBybitError(response(200, '{"foo":1}'), READ), undefined);
  assert.equal(decodeBybitError(response(200, ''), READ), undefined);
});

test('10006 waits until X-Bapi-Limit-Reset-Timestamp, measured against the server time of the body', () => {
  const body = fixtureText('bybit/rest/error-10006-too-many-visits-recorded.json'); // time 1693924869139
  const err = decoded(200, body, READ, { 'x-bapi-limit': '50', 'x-bapi-limit-status': '0', 'x-bapi-limit-reset-timestamp': '1693924869800' });
  assert.equal(err.retryAfterMs, 661);
  assert.equal(err.retryLimit, endpointLimitOf(READ), 'only the spent endpoint waits');
  const past = decoded(200, body, READ, { 'X-Bapi-Limit-Reset-Timestamp': '1693924869000' });
  assert.equal(past.retryAfterMs, 0, 'never negative');
});

test('HTTP 403 without a body is an IP rate limit with a ten-minute wait', () => {
  const err = decoded(403, '');
  assert.equal(err.code, 'rate-limited');
  assert.equal(err.retryAfterMs, 600_000);
  assert.equal(err.retryLimit, undefined, 'an IP ban holds every request');
  assert.match(err.message, /too frequent/);
});

test('HTTP statuses without an envelope: 401 auth, 404 not-found, 429 rate-limited, 5xx network or outcome-unknown', () => {
  assert.equal(decoded(401, '').code, 'auth');
  assert.equal(decoded(404, 'Not Found').code, 'not-found');
  assert.equal(decoded(429, '').code, 'rate-limited');
  assert.equal(decoded(502, '<html>bad gateway</html>').code, 'network');
  assert.equal(decoded(502, '', COMMAND).code, 'outcome-unknown');
  assert.equal(decoded(400, 'bad').code, 'invalid-argument');
});

test('ambiguous retCodes: 10016 is outcome-unknown for commands, network for reads; 10000 times out', () => {
  const body = (code: number): string => JSON.stringify({ retCode: code, retMsg: 'server error', result: {}, retExtInfo: {}, time: 1 });
  assert.equal(decoded(200, body(10016), COMMAND).code, 'outcome-unknown');
  assert.equal(decoded(200, body(10016), READ).code, 'network');
  assert.equal(decoded(200, body(10000), READ).code, 'timeout');
});

test('the documented retCodes map to the codes the issue asks for', () => {
  const expected: Array<[number, ErrorCode]> = [
    [10001, 'invalid-argument'],
    [10002, 'clock-skew'],
    [10003, 'auth'],
    [10004, 'auth'],
    [10005, 'auth'],
    [33004, 'auth'],
    [10006, 'rate-limited'],
    [10018, 'rate-limited'],
    [10017, 'not-found'],
    [110001, 'not-found'],
    [110007, 'rejected'],
    [110004, 'rejected'],
    [110072, 'rejected'],
    [170131, 'rejected'],
    [170213, 'not-found'],
    [170999, 'rejected'],
    [119999, 'rejected'],
  ];
  for (const [code, want] of expected) assert.equal(bybitErrorCode(code, 200, true), want, String(code));
  assert.ok(BYBIT_ERROR_TABLE.size > 20);
});

test('error messages carry the venue text and never a signature or key', () => {
  const body = JSON.stringify({ retCode: 10004, retMsg: 'error sign! origin_string[1658384314791XXXX5000category=spot] X-BAPI-SIGN: abcdef0123', result: {}, time: 1 });
  const err = decoded(200, body);
  assert.equal(err.code, 'auth');
  assert.doesNotMatch(err.message, /abcdef0123/);
  assert.match(err.message, /error sign/);
});
