/** The Binance error table, driven by the real and documented error bodies in test/fixtures/binance/rest. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { ErrorCode, VenueError } from '../../../src/core/errors.js';
import type { RawResponse, RestRequest } from '../../../src/core/venue.js';
import { decodeBinanceError } from '../../../src/exchanges/binance/errors.js';
import { fixtureText } from '../../helpers/wait.js';

const READ: RestRequest = { method: 'GET', api: 'usdm', path: '/fapi/v1/depth', query: { symbol: 'BTCUSDT' }, signed: false, costs: [] };
const COMMAND: RestRequest = { method: 'POST', api: 'spot', path: '/api/v3/order', signed: true, costs: [], command: true };

function response(status: number, body: string, headers: Record<string, string> = {}): RawResponse {
  return { status, body, headers };
}

function decoded(status: number, body: string, request: RestRequest = READ, headers: Record<string, string> = {}): VenueError {
  const err = decodeBinanceError(response(status, body, headers), request);
  assert.ok(err, `HTTP ${status} ${body.slice(0, 60)} is an error`);
  return err;
}

test('maps every recorded and documented error body to its stable code', () => {
  // [fixture, HTTP status the venue answered with (from PROVENANCE.md or the docs), request, expected code]
  const table: Array<[string, number, RestRequest, ErrorCode]> = [
    ['spot-error-1003-ip-banned-recorded-2018.json', 418, READ, 'rate-limited'],
    ['spot-error-1003-too-many-requests-429-recorded-2020.json', 429, READ, 'rate-limited'],
    ['spot-error-1021-outside-recvwindow-recorded.json', 400, READ, 'clock-skew'],
    ['spot-error-1021-timestamp-ahead-recorded.json', 400, COMMAND, 'clock-skew'],
    ['spot-error-invalid-symbol.json', 400, READ, 'not-found'],
    ['spot-order-cancel-error-cancel-restrictions-invalid.json', 400, COMMAND, 'invalid-argument'],
    ['spot-order-cancel-error-cancel-restrictions-not-met.json', 400, COMMAND, 'rejected'],
    ['spot-order-cancel-replace-error-new-failed.json', 409, COMMAND, 'outcome-unknown'],
    ['spot-order-cancel-replace-error-too-many-orders.json', 400, COMMAND, 'rate-limited'],
    ['usdm-error-1021-timestamp-ahead-recorded.json', 400, READ, 'clock-skew'],
    ['usdm-error-1102-missing-symbol-recorded.json', 400, READ, 'invalid-argument'],
    ['usdm-error-1102-timeinforce-recorded.json', 400, COMMAND, 'invalid-argument'],
    ['usdm-error-1121-invalid-symbol-recorded.json', 400, READ, 'not-found'],
    ['usdm-error-2015-invalid-api-key-recorded.json', 401, READ, 'auth'],
    ['usdm-error-5000-invalid-path-recorded.json', 400, READ, 'not-found'],
    ['usdm-error-invalid-symbol.json', 400, READ, 'not-found'],
    ['usdm-order-cancel-error-2011-recorded.json', 400, COMMAND, 'not-found'],
    ['usdm-order-query-error-2013-recorded.json', 400, READ, 'not-found'],
  ];
  for (const [file, status, request, code] of table) {
    const body = fixtureText(`binance/rest/${file}`);
    const err = decoded(status, body, request);
    assert.equal(err.code, code, file);
    assert.equal(err.venue, 'binance');
    assert.equal(err.httpStatus, status);
    assert.equal(err.venueCode, String((JSON.parse(body) as { code: number }).code), file);
    assert.equal(err.operation, `${request.method} ${request.path}`);
  }
});

test('takes retryAfterMs from the Retry-After header in seconds on 429 and 418', () => {
  const tooMany = decoded(429, fixtureText('binance/rest/spot-error-1003-too-many-requests-429-recorded-2020.json'), READ, { 'retry-after': '7' });
  assert.equal(tooMany.retryAfterMs, 7000);
  assert.equal(tooMany.retryable, true);
  const banned = decoded(418, fixtureText('binance/rest/spot-error-1003-ip-banned-recorded-2018.json'), READ, { 'Retry-After': '120' });
  assert.equal(banned.code, 'rate-limited');
  assert.equal(banned.retryAfterMs, 120_000);
});

test('measures an "IP banned until" message against the Date header when Retry-After is missing', () => {
  const body = fixtureText('binance/rest/spot-error-1003-ip-banned-recorded-2018.json'); // until 1544570770441
  const date = new Date(1544570770441 - 90_000).toUTCString(); // second resolution: up to 999 ms more
  const err = decoded(418, body, READ, { date });
  assert.ok(err.retryAfterMs !== undefined && err.retryAfterMs >= 90_000 && err.retryAfterMs < 91_000, String(err.retryAfterMs));
  assert.equal(decoded(418, body).retryAfterMs, undefined);
});

test('treats 5xx and -1007 as outcome-unknown for commands and as retryable failures for reads', () => {
  const timeout = '{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}';
  assert.equal(decoded(408, timeout, COMMAND).code, 'outcome-unknown');
  assert.equal(decoded(400, timeout, COMMAND).code, 'outcome-unknown');
  assert.equal(decoded(400, timeout, READ).code, 'timeout');
  const unknown = '{"code":-1000,"msg":"Unknown error, please check your request or try again later."}';
  assert.equal(decoded(503, unknown, COMMAND).code, 'outcome-unknown');
  assert.equal(decoded(503, unknown, READ).code, 'network');
  assert.equal(decoded(502, '<html>Bad Gateway</html>', COMMAND).code, 'outcome-unknown');
  assert.equal(decoded(500, '', READ).code, 'network');
});

test('treats USD-M 503 "Service Unavailable." and -1008 throttling as definite failures', () => {
  assert.equal(decoded(503, 'Service Unavailable.', COMMAND).code, 'network');
  assert.equal(decoded(503, '{"code":-1008,"msg":"Request throttled by system-level protection."}', COMMAND).code, 'rate-limited');
});

test('maps WAF blocks, auth failures and order rejections', () => {
  const waf = decoded(403, '<html>403 Forbidden</html>');
  assert.equal(waf.code, 'rejected');
  assert.match(waf.message, /firewall/);
  assert.equal(decoded(400, '{"code":-1022,"msg":"Signature for this request is not valid."}', COMMAND).code, 'auth');
  assert.equal(decoded(401, '{"code":-2014,"msg":"API-key format invalid."}').code, 'auth');
  assert.equal(decoded(400, '{"code":-2010,"msg":"Account has insufficient balance for requested action."}', COMMAND).code, 'rejected');
  assert.equal(decoded(400, '{"code":-2019,"msg":"Margin is insufficient."}', COMMAND).code, 'rejected');
  assert.equal(decoded(400, '{"code":-1013,"msg":"Filter failure: NOTIONAL"}', COMMAND).code, 'rejected');
  assert.equal(decoded(404, 'Not Found').code, 'not-found');
});

test('finds nothing wrong in successful responses, including USD-M {"code":200} acknowledgements', () => {
  assert.equal(decodeBinanceError(response(200, fixtureText('binance/rest/spot-depth.json')), READ), undefined);
  assert.equal(decodeBinanceError(response(200, '{"code":200,"msg":"success"}'), COMMAND), undefined);
  assert.equal(decodeBinanceError(response(200, '[]'), READ), undefined);
  const inBody = decodeBinanceError(response(200, '{"code":-2011,"msg":"Unknown order sent."}'), COMMAND);
  assert.equal(inBody?.code, 'not-found');
});

test('never puts the signed query string in the error', () => {
  const request: RestRequest = { ...COMMAND, query: { symbol: 'BTCUSDT', signature: 'deadbeef' } };
  const err = decoded(400, '{"code":-1022,"msg":"Signature for this request is not valid."}', request);
  assert.doesNotMatch(err.message, /deadbeef/);
  assert.equal(err.operation, 'POST /api/v3/order');
});
