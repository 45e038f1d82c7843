/** Binance environment presets: every segment has a REST, stream and WS-API endpoint of the right scheme. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BINANCE_DEMO, BINANCE_MAINNET, BINANCE_SEGMENTS, BINANCE_TESTNET, DEPTH_SNAPSHOT_LIMIT, isBinanceSegment } from '../../../src/exchanges/binance/config.js';

test('gives every preset and segment https REST and wss stream roots without a trailing slash or path', () => {
  for (const preset of [BINANCE_MAINNET, BINANCE_TESTNET, BINANCE_DEMO]) {
    for (const segment of BINANCE_SEGMENTS) {
      const urls = preset[segment];
      assert.match(urls.rest, /^https:\/\/[^/]+$/);
      assert.match(urls.ws, /^wss:\/\/[^/]+$/, 'the dialect appends /stream, /public/stream or /market/stream');
      assert.match(urls.wsApi, /^wss:\/\/[^/]+\/ws-(api\/v3|fapi\/v1)$/);
    }
  }
  assert.equal(BINANCE_MAINNET.usdm.ws, 'wss://fstream.binance.com');
});

test('knows its segments and their snapshot depth', () => {
  assert.deepEqual(DEPTH_SNAPSHOT_LIMIT, { spot: 5000, usdm: 1000 });
  assert.ok(isBinanceSegment('usdm'));
  assert.ok(!isBinanceSegment('coinm'));
});
