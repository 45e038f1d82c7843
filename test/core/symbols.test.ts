import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expiryCode, formatSymbol, MarketRegistry, parseSymbol, symbolKind } from '../../src/core/symbols.js';
import { VenueError } from '../../src/core/errors.js';
import { Decimal } from '../../src/core/decimal.js';
import type { Market } from '../../src/core/model.js';

test('parses every form of the unified grammar', () => {
  assert.deepEqual(parseSymbol('BTC/USDT'), { base: 'BTC', quote: 'USDT' });
  assert.deepEqual(parseSymbol('BTC/USDT:USDT'), { base: 'BTC', quote: 'USDT', settle: 'USDT' });
  assert.deepEqual(parseSymbol('BTC/USD:BTC'), { base: 'BTC', quote: 'USD', settle: 'BTC' });
  assert.deepEqual(parseSymbol('BTC/USDT:USDT-261225'), { base: 'BTC', quote: 'USDT', settle: 'USDT', expiry: '261225' });
  assert.equal(formatSymbol(parseSymbol('BTC/USDT:USDT-261225')), 'BTC/USDT:USDT-261225');
  assert.deepEqual(symbolKind(parseSymbol('BTC/USD:BTC')), { type: 'swap', linear: false });
  assert.deepEqual(symbolKind(parseSymbol('BTC/USDT:USDT-261225')), { type: 'future', linear: true });
  assert.equal(expiryCode(Date.UTC(2026, 11, 25, 8)), '261225');
});

test('rejects venue ids passed as unified symbols', () => {
  for (const s of ['BTCUSDT', 'btc/usdt', 'BTC-USDT', 'BTC/USDT:', '']) {
    assert.throws(() => parseSymbol(s), (e) => VenueError.is(e, 'invalid-argument'), s);
  }
});

test('maps the same venue id to different markets per type', () => {
  const base = { venue: 'binance', base: 'BTC', quote: 'USDT', status: 'active', venueStatus: 'TRADING', tickSize: Decimal.from('0.01'), stepSize: Decimal.from('0.001'), precision: { price: 2, amount: 3 } } as const;
  const spot: Market = { ...base, symbol: 'BTC/USDT', id: 'BTCUSDT', type: 'spot', segment: 'spot' };
  const perp: Market = { ...base, symbol: 'BTC/USDT:USDT', id: 'BTCUSDT', type: 'swap', segment: 'usdm', settle: 'USDT', linear: true };
  const reg = new MarketRegistry([spot, perp]);
  assert.equal(reg.byId('spot', 'BTCUSDT'), spot);
  assert.equal(reg.byId('swap', 'BTCUSDT'), perp);
  assert.equal(reg.get('BTC/USDT:USDT'), perp);
  assert.throws(() => reg.get('DOGE/USDT'), (e) => VenueError.is(e, 'not-found'));
});
