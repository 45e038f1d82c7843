/** `startSimulator` checks its options at run time: a typo or a wrong kind is invalid-argument naming it, before any port opens. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VenueError } from '../../../src/core/errors.js';
import { startSimulator } from '../../../src/testing/sim/server.js';

test('unknown options and values of the wrong kind are refused naming the option', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ tickms: 0 }, /startSimulator options has an unknown option "tickms" \(allowed: seed, depth, symbols, tickMs,/],
    [{ depth: 0 }, /depth must be an integer from 1 to 5000; got 0/],
    [{ depth: 6000 }, /depth must be an integer from 1 to 5000; got 6000/],
    [{ symbols: 'BTC/USDT' }, /symbols must be an array; got "BTC\/USDT"/],
    [{ symbols: [] }, /symbols must hold at least 1 item/],
    [{ tickMs: '50' }, /tickMs must be an integer from 0 to \d+; got "50"/],
    [{ venues: ['kraken'] }, /venues\[0\] must be one of "binance", "bybit", "okx"; got "kraken"/],
    [{ portBase: Number.NaN }, /portBase must be an integer from 1 to 65531; got NaN/],
    [{ rateLimits: { spotweight: 10 } }, /rateLimits has an unknown option "spotweight"/],
    [{ okxChecksums: 'yes' }, /okxChecksums must be true or false/],
    ['fast', /startSimulator options must be an options object; got "fast"/],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(startSimulator(options as never), (e: unknown) => VenueError.is(e, 'invalid-argument') && message.test(e.message), String(message));
  }
});
