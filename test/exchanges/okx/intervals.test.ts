/** Candle bars: unified intervals ↔ OKX bars (standard and UTC-aligned), and the REST depth bounds. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { barOfChannel, fromOkxBar, toOkxBar } from '../../../src/exchanges/okx/intervals.js';
import { books } from '../../../src/exchanges/okx/rest.js';

test('maps unified intervals to OKX bars as ccxt does, and every bar (utc variants too) back', () => {
  const pairs: Array<[string, string]> = [
    ['1m', '1m'],
    ['3m', '3m'],
    ['5m', '5m'],
    ['15m', '15m'],
    ['30m', '30m'],
    ['1h', '1H'],
    ['2h', '2H'],
    ['4h', '4H'],
    ['6h', '6H'],
    ['12h', '12H'],
    ['1d', '1D'],
    ['1w', '1W'],
    ['1M', '1M'],
    ['3M', '3M'],
  ];
  for (const [unified, bar] of pairs) {
    assert.equal(toOkxBar(unified), bar);
    assert.equal(fromOkxBar(bar), unified);
  }
  for (const [bar, unified] of [['6Hutc', '6h'], ['12Hutc', '12h'], ['1Dutc', '1d'], ['1Wutc', '1w'], ['1Mutc', '1M'], ['3Mutc', '3M']]) {
    assert.equal(fromOkxBar(bar as string), unified);
  }
  assert.equal(fromOkxBar('1Hutc'), undefined, 'hour bars have no utc variant');
  assert.equal(fromOkxBar('1h'), undefined, 'OKX bars are case-sensitive');
  assert.throws(() => toOkxBar('1s'), /invalid-argument/);
  assert.throws(() => toOkxBar('1H'), /invalid-argument/);
  assert.equal(barOfChannel('candle1Dutc'), '1Dutc');
  assert.equal(barOfChannel('books'), undefined);
});

test('asks books for up to 400 levels and books-full beyond, refusing depths OKX cannot serve', () => {
  assert.equal(books('BTC-USDT', 1).path, '/api/v5/market/books');
  assert.equal(books('BTC-USDT', 400).path, '/api/v5/market/books');
  assert.deepEqual([books('BTC-USDT', 401).path, books('BTC-USDT', 401).costs], ['/api/v5/market/books-full', [{ limit: 'books-full', weight: 1 }]]);
  assert.throws(() => books('BTC-USDT', 0), /invalid-argument/);
  assert.throws(() => books('BTC-USDT', 5001), /invalid-argument/);
});
