/** The OKX error table on the real recorded error bodies and the documented codes. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RawResponse, RestRequest } from '../../../src/core/venue.js';
import { decodeOkxError, okxError, okxErrorCode } from '../../../src/exchanges/okx/errors.js';
import { fixtureText } from '../../helpers/wait.js';

const READ: RestRequest = { method: 'GET', api: 'rest', path: '/api/v5/market/books', signed: false, costs: [] };
const ORDER: RestRequest = { method: 'POST', api: 'rest', path: '/api/v5/trade/order', signed: true, costs: [], command: true };

function response(status: number, file: string): RawResponse {
  return { status, headers: {}, body: fixtureText(`okx/rest/${file}`) };
}

test('decodes the recorded error bodies into stable codes with the venue code kept', () => {
  const cases: Array<[number, string, string, string | undefined]> = [
    [429, 'error-50011-too-many-requests-recorded-2023-08.json', 'rate-limited', '50011'],
    [429, 'error-50011-too-many-requests.json', 'rate-limited', '50011'],
    [429, 'error-50011-requests-too-frequent-numeric-code-recorded-2021.json', 'rate-limited', '50011'],
    [200, 'error-50011-requests-too-frequent-numeric-code-recorded-2021.json', 'rate-limited', '50011'],
    [401, 'error-50102-timestamp-expired-recorded.json', 'clock-skew', '50102'],
    [401, 'error-50111-invalid-access-key-recorded.json', 'auth', '50111'],
    [404, 'error-404-unknown-path-recorded.json', 'not-found', '404'],
  ];
  for (const [status, file, code, venueCode] of cases) {
    const err = decodeOkxError(response(status, file), READ);
    assert.equal(err?.code, code, file);
    assert.equal(err?.venueCode, venueCode, file);
    assert.equal(err?.httpStatus, status);
    assert.equal(err?.operation, 'GET /api/v5/market/books');
  }
});

test('waits one 2 s window after a rate limit unless the response says otherwise', () => {
  assert.equal(decodeOkxError(response(429, 'error-50011-too-many-requests.json'), READ)?.retryAfterMs, 2000);
  const withHeader = { ...response(429, 'error-50011-too-many-requests.json'), headers: { 'retry-after': '5' } };
  assert.equal(decodeOkxError(withHeader, READ)?.retryAfterMs, 5000);
});

test('takes the failing item of a rejected batch (code "1", sCode 51008) as the reason', () => {
  const err = decodeOkxError(response(200, 'trade-order-place-rejected-51008-recorded.json'), ORDER);
  assert.equal(err?.code, 'rejected');
  assert.equal(err?.venueCode, '51008');
  assert.match(err?.message ?? '', /Insufficient USDT margin/);
});

test('passes successful envelopes, including recorded order and data responses', () => {
  for (const file of ['market-books.json', 'time.json', 'trade-order-place-recorded.json', 'instruments.json']) {
    assert.equal(decodeOkxError(response(200, file), READ), undefined, file);
  }
});

test('maps the documented codes', () => {
  const table: Array<[string, string]> = [
    ['50001', 'network'],
    ['50013', 'rate-limited'],
    ['50061', 'rate-limited'],
    ['50105', 'auth'],
    ['50112', 'clock-skew'],
    ['50113', 'auth'],
    ['51000', 'invalid-argument'],
    ['51001', 'not-found'],
    ['51020', 'rejected'],
    ['51603', 'not-found'],
    ['51999', 'rejected'],
    ['60012', 'invalid-argument'],
    ['60014', 'rate-limited'],
    ['60018', 'not-found'],
    ['60024', 'auth'],
  ];
  for (const [code, expected] of table) assert.equal(okxErrorCode(code, undefined, false), expected, code);
});

test('an endpoint timeout (50004) is outcome-unknown for a command and a timeout for a read', () => {
  const body = JSON.stringify({ code: '50004', msg: 'Endpoint request timeout', data: [] });
  assert.equal(decodeOkxError({ status: 400, headers: {}, body }, ORDER)?.code, 'outcome-unknown');
  assert.equal(decodeOkxError({ status: 400, headers: {}, body }, READ)?.code, 'timeout');
  assert.equal(decodeOkxError({ status: 500, headers: {}, body: JSON.stringify({ code: '50026', msg: 'System error' }) }, ORDER)?.code, 'outcome-unknown');
});

test('decodes statuses without a JSON body by status, never crashing on odd bodies', () => {
  assert.equal(decodeOkxError({ status: 502, headers: {}, body: '<html>bad gateway</html>' }, READ)?.code, 'network');
  assert.equal(decodeOkxError({ status: 403, headers: {}, body: '' }, READ)?.code, 'rejected');
  assert.equal(decodeOkxError({ status: 200, headers: {}, body: '{"code":"0","data":[],"extra":true}' }, READ), undefined);
  assert.equal(decodeOkxError({ status: 200, headers: {}, body: 'not json' }, READ), undefined);
});

test('builds WebSocket errors from event codes', () => {
  const e = okxError('60014', 'Requests too frequent');
  assert.deepEqual([e.code, e.venue, e.venueCode, e.retryAfterMs], ['rate-limited', 'okx', '60014', 2000]);
  assert.equal(okxError('60009', 'Login failed.').code, 'auth');
});
