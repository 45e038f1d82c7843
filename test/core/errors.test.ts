import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, toVenueError, VenueError } from '../../src/core/errors.js';

test('says who, what and where in the message', () => {
  const e = new VenueError('rejected', 'Account has insufficient balance', { venue: 'binance', venueCode: '-2010', operation: 'POST /api/v3/order' });
  assert.equal(e.message, 'binance rejected -2010: Account has insufficient balance (POST /api/v3/order)');
  assert.equal(e.retryable, false);
  assert.ok(new VenueError('rate-limited', 'x').retryable);
});

test('never carries secrets in its message', () => {
  const e = new VenueError('auth', 'bad request symbol=BTCUSDT&timestamp=1&signature=abcdef0123&apiKey=KEY123', {});
  assert.ok(!e.message.includes('abcdef0123'));
  assert.ok(!e.message.includes('KEY123'));
  assert.equal(redact('{"passphrase":"hunter2"}'), '{"passphrase":"[redacted]"}');
});

test('recognises its instances across copies and wraps foreign errors', () => {
  const e = toVenueError(new Error('ECONNRESET'));
  assert.ok(VenueError.is(e, 'network'));
  assert.ok(!VenueError.is(new Error('x')));
  assert.equal(JSON.parse(JSON.stringify(new VenueError('decode', 'x', { venue: 'okx' }))).code, 'decode');
});
