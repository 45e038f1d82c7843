/**
 * OKX instruments → Market on the real recorded SPOT and SWAP lists (May 2022) and the documented example;
 * FUTURES, OPTION and non-live rows are derived in the test from recorded SWAP rows.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Decimal } from '../../../src/core/decimal.js';
import { parseJson } from '../../../src/core/json.js';
import type { Market } from '../../../src/core/model.js';
import { parseSymbol } from '../../../src/core/symbols.js';
import { guessOkxSymbol } from '../../../src/exchanges/okx/market-data.js';
import { parseInstruments } from '../../../src/exchanges/okx/parse.js';
import { fixtureText } from '../../helpers/wait.js';

type Envelope = { code: string; msg: string; data: Array<Record<string, unknown>> };

function load(file: string): Envelope {
  return parseJson(fixtureText(`okx/rest/${file}`)) as Envelope;
}
function byId(markets: Market[], id: string): Market {
  const m = markets.find((x) => x.id === id);
  assert.ok(m, id);
  return m;
}
function dec(d: Decimal | undefined): string | undefined {
  return d?.toString();
}

test('parses every recorded SPOT instrument into BASE/QUOTE with exact trading rules', () => {
  const markets = parseInstruments(load('instruments-spot-recorded-2022-05.json'), 'SPOT');
  assert.equal(markets.length, 513);
  assert.equal(new Set(markets.map((m) => m.symbol)).size, 513, 'symbols are unique');
  const btc = byId(markets, 'BTC-USDT');
  assert.equal(btc.symbol, 'BTC/USDT');
  assert.deepEqual([btc.type, btc.segment, btc.base, btc.quote, btc.settle, btc.linear, btc.contractSize], ['spot', 'SPOT', 'BTC', 'USDT', undefined, undefined, undefined]);
  assert.deepEqual([dec(btc.tickSize), dec(btc.stepSize), dec(btc.minQty), dec(btc.maxQty), dec(btc.marketMaxQty)], ['0.1', '0.00000001', '0.00001', '9999999999', undefined]);
  assert.deepEqual(btc.precision, { price: 1, amount: 8 });
  assert.deepEqual([btc.status, btc.venueStatus], ['active', 'live']);
  assert.equal(byId(markets, 'ETH-BTC').symbol, 'ETH/BTC');
  assert.equal(byId(markets, '1INCH-USDT').symbol, '1INCH/USDT');
});

test('parses every recorded SWAP instrument: linear BASE/USDT:USDT and inverse BASE/USD:BASE with contract sizes', () => {
  const markets = parseInstruments(load('instruments-swap-recorded-2022-05.json'), 'SWAP');
  assert.equal(markets.length, 166);
  assert.equal(markets.filter((m) => m.linear === true).length, 126);
  assert.equal(markets.filter((m) => m.linear === false).length, 40);
  const linear = byId(markets, 'BTC-USDT-SWAP');
  assert.deepEqual([linear.symbol, linear.type, linear.segment, linear.base, linear.quote, linear.settle, linear.linear], ['BTC/USDT:USDT', 'swap', 'SWAP', 'BTC', 'USDT', 'USDT', true]);
  assert.equal(dec(linear.contractSize), '0.01', 'one contract is 0.01 BTC (ctVal): books and trades count contracts');
  assert.deepEqual([dec(linear.stepSize), dec(linear.minQty), dec(linear.maxQty), dec(linear.marketMaxQty)], ['1', '1', '100000000', '1600']);
  const inverse = byId(markets, 'BTC-USD-SWAP');
  assert.deepEqual([inverse.symbol, inverse.settle, inverse.linear, dec(inverse.contractSize)], ['BTC/USD:BTC', 'BTC', false, '100']);
  assert.equal(byId(markets, 'UNI-USD-SWAP').symbol, 'UNI/USD:UNI');
  for (const m of markets) {
    const parts = parseSymbol(m.symbol);
    assert.equal(parts.settle, m.linear ? m.quote : m.base, m.symbol);
  }
});

test('parses the documented instrument example (newer schema with extra fields)', () => {
  const [m] = parseInstruments(load('instruments.json'), 'SPOT');
  assert.equal(m?.symbol, 'BTC/USDT');
  assert.equal(dec(m?.minQty), '0.00001');
  assert.equal(dec(m?.maxQty), '9999999999');
});

test('names a dated future BASE/QUOTE:SETTLE-YYMMDD from expTime (UTC), as ccxt does', () => {
  const swap = load('instruments-swap-recorded-2022-05.json');
  const row = swap.data.find((r) => r['instId'] === 'BTC-USD-SWAP') as Record<string, unknown>;
  const linearRow = swap.data.find((r) => r['instId'] === 'BTC-USDT-SWAP') as Record<string, unknown>;
  // BTC-USD-220527 expired 2022-05-27 08:00 UTC; a linear quarterly one for 2026-12-25 likewise.
  const futures = {
    ...swap,
    data: [
      { ...row, instType: 'FUTURES', instId: 'BTC-USD-220527', expTime: String(Date.UTC(2022, 4, 27, 8)), alias: 'this_week' },
      { ...linearRow, instType: 'FUTURES', instId: 'BTC-USDT-261225', expTime: String(Date.UTC(2026, 11, 25, 8)), alias: 'quarter' },
    ],
  };
  const [inverse, linear] = parseInstruments(futures, 'FUTURES');
  assert.deepEqual([inverse?.symbol, inverse?.type, inverse?.expiry, inverse?.linear], ['BTC/USD:BTC-220527', 'future', Date.UTC(2022, 4, 27, 8), false]);
  assert.deepEqual([linear?.symbol, linear?.linear, dec(linear?.contractSize)], ['BTC/USDT:USDT-261225', true, '0.01']);
  const noExpiry = { ...futures, data: [{ ...futures.data[0], expTime: '' }] };
  assert.throws(() => parseInstruments(noExpiry, 'FUTURES'), (err: unknown) => err instanceof Error && /decode.*expTime/.test(err.message));
});

test('skips OPTION and MARGIN rows and marks instruments that are not live as inactive', () => {
  const swap = load('instruments-swap-recorded-2022-05.json');
  const row = swap.data[0] as Record<string, unknown>;
  const mixed = {
    ...swap,
    data: [
      { ...row, instType: 'OPTION', instId: 'BTC-USD-220527-30000-C', optType: 'C', stk: '30000' },
      { ...row, instType: 'MARGIN', instId: 'BTC-USDT' },
      { ...row, state: 'suspend' },
      { ...row, state: 'preopen', instId: 'NEW-USD-SWAP', uly: 'NEW-USD', settleCcy: 'NEW' },
    ],
  };
  const markets = parseInstruments(mixed, 'SWAP');
  assert.deepEqual(
    markets.map((m) => [m.symbol, m.status, m.venueStatus]),
    [
      ['BTC/USD:BTC', 'inactive', 'suspend'],
      ['NEW/USD:NEW', 'inactive', 'preopen'],
    ],
  );
});

test('agrees with the offline id → symbol guess on every recorded instrument', () => {
  for (const [file, type] of [['instruments-spot-recorded-2022-05.json', 'SPOT'], ['instruments-swap-recorded-2022-05.json', 'SWAP']] as const) {
    for (const m of parseInstruments(load(file), type)) assert.equal(guessOkxSymbol(m.id), m.symbol, m.id);
  }
  assert.equal(guessOkxSymbol('BTC-USD-261225'), 'BTC/USD:BTC-261225');
  assert.equal(guessOkxSymbol('BTC-USDT-261225'), 'BTC/USDT:USDT-261225');
  assert.equal(guessOkxSymbol('BTC-USD-220527-30000-C'), undefined);
  assert.equal(guessOkxSymbol('BTCUSDT'), undefined);
});

test('rejects malformed instruments with a decode error naming the field, and an error envelope with its code', () => {
  const swap = load('instruments-swap-recorded-2022-05.json');
  const bad = { ...swap, data: [{ ...swap.data[0], tickSz: '0.1.2' }] };
  assert.throws(() => parseInstruments(bad, 'SWAP'), (err: unknown) => err instanceof Error && /decode.*data\[0\]\.tickSz/.test(err.message));
  const zeroLot = { ...swap, data: [{ ...swap.data[0], lotSz: '0' }] };
  assert.throws(() => parseInstruments(zeroLot, 'SWAP'), /lotSz/);
  assert.throws(() => parseInstruments({ code: '50011', msg: 'Too Many Requests', data: [] }, 'SPOT'), /rate-limited 50011/);
  assert.throws(() => parseInstruments({ data: [] }, 'SPOT'), /decode/);
});
