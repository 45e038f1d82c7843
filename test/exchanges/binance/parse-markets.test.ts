/** Markets and rate-limit rules parsed from Binance spot and USD-M exchangeInfo fixtures (real 2021 recordings and doc examples). */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { Market } from '../../../src/core/model.js';
import { MarketRegistry, parseSymbol } from '../../../src/core/symbols.js';
import { parseMarkets, parseRateLimits } from '../../../src/exchanges/binance/parse.js';
import { fixtureText } from '../../helpers/wait.js';

function fixture(name: string): Record<string, unknown> {
  return parseJson(fixtureText(`binance/rest/${name}`)) as Record<string, unknown>;
}

/** The decimal fields of a market as strings, absent ones left out. */
function rules(m: Market): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['tickSize', 'stepSize', 'minQty', 'maxQty', 'marketMinQty', 'marketMaxQty', 'minNotional', 'maxNotional', 'minPrice', 'maxPrice'] as const) {
    const v = m[k];
    if (v !== undefined) out[k] = v.toString();
  }
  return out;
}

function byId(markets: Market[], id: string): Market {
  const m = markets.find((x) => x.id === id);
  assert.ok(m, `market ${id} present`);
  return m;
}

test('parses every symbol of the recorded 2021 spot exchangeInfo with exact filter values', () => {
  const body = fixture('spot-exchange-info-recorded-2021-10.json');
  const markets = parseMarkets(body, 'spot');
  assert.equal(markets.length, (body['symbols'] as unknown[]).length);
  const eth = byId(markets, 'ETHBTC');
  assert.equal(eth.symbol, 'ETH/BTC');
  assert.equal(eth.type, 'spot');
  assert.equal(eth.segment, 'spot');
  assert.equal(eth.settle, undefined);
  assert.equal(eth.status, 'active');
  assert.deepEqual(rules(eth), {
    tickSize: '0.00000100',
    stepSize: '0.00010000',
    minQty: '0.00010000',
    maxQty: '100000.00000000',
    marketMaxQty: '873.90727776',
    minNotional: '0.00010000',
    minPrice: '0.00000100',
    maxPrice: '922327.00000000',
  });
  assert.deepEqual(eth.precision, { price: 6, amount: 4 });
  // MARKET_LOT_SIZE minQty "0.00000000" means no minimum, not a zero minimum to enforce.
  assert.equal(eth.marketMinQty, undefined);
});

test('marks spot symbols in BREAK inactive and keeps the venue status', () => {
  const markets = parseMarkets(fixture('spot-exchange-info-recorded-2021-10.json'), 'spot');
  const bcc = byId(markets, 'BCCBTC');
  assert.equal(bcc.status, 'inactive');
  assert.equal(bcc.venueStatus, 'BREAK');
  const counts = { active: 0, inactive: 0 };
  for (const m of markets) counts[m.status]++;
  assert.deepEqual(counts, { active: 1262, inactive: 433 });
});

test('gives every recorded market a unified symbol the registry can index and parse back', () => {
  for (const [file, segment] of [
    ['spot-exchange-info-recorded-2021-10.json', 'spot'],
    ['usdm-exchange-info-recorded-2021-07.json', 'usdm'],
  ] as const) {
    const markets = parseMarkets(fixture(file), segment);
    const registry = new MarketRegistry(markets);
    assert.equal(registry.size, markets.length, `${file}: unified symbols are unique`);
    for (const m of markets) {
      const parts = parseSymbol(m.symbol);
      assert.equal(parts.base, m.base);
      assert.equal(parts.quote, m.quote);
      assert.equal(registry.byId(m.type, m.id), m);
    }
  }
});

test('names USD-M perpetuals BASE/QUOTE:MARGIN and delivery contracts BASE/QUOTE:MARGIN-YYMMDD', () => {
  const markets = parseMarkets(fixture('usdm-exchange-info-recorded-2021-07.json'), 'usdm');
  assert.equal(markets.length, 122);
  const perp = byId(markets, 'BTCUSDT');
  assert.equal(perp.symbol, 'BTC/USDT:USDT');
  assert.equal(perp.type, 'swap');
  assert.equal(perp.segment, 'usdm');
  assert.equal(perp.settle, 'USDT');
  assert.equal(perp.linear, true);
  assert.equal(perp.contractSize?.toString(), '1');
  assert.equal(perp.expiry, undefined);
  assert.deepEqual(rules(perp), {
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '1000',
    marketMinQty: '0.001',
    marketMaxQty: '1000',
    minNotional: '5',
    minPrice: '556.72',
    maxPrice: '1000000',
  });
  const quarter = byId(markets, 'BTCUSDT_210924');
  assert.equal(quarter.symbol, 'BTC/USDT:USDT-210924');
  assert.equal(quarter.type, 'future');
  assert.equal(quarter.expiry, 1632470400000);
  assert.equal(quarter.tickSize.toString(), '0.1');
});

test('treats a USD-M symbol with an empty contractType and the year-2100 delivery date as a perpetual', () => {
  const markets = parseMarkets(fixture('usdm-exchange-info-recorded-2021-07.json'), 'usdm');
  const btcst = byId(markets, 'BTCSTUSDT');
  assert.equal(btcst.symbol, 'BTCST/USDT:USDT');
  assert.equal(btcst.type, 'swap');
  assert.equal(btcst.status, 'inactive');
  assert.equal(btcst.venueStatus, 'PENDING_TRADING');
});

test('reads the USD-M doc example, where MIN_NOTIONAL carries `notional`', () => {
  const [blz] = parseMarkets(fixture('usdm-exchange-info.json'), 'usdm');
  assert.ok(blz);
  assert.equal(blz.symbol, 'BLZ/USDT:USDT');
  assert.deepEqual(rules(blz), {
    tickSize: '0.0001',
    stepSize: '1',
    minQty: '1',
    maxQty: '10000000',
    marketMinQty: '1',
    marketMaxQty: '590119',
    minNotional: '5.0',
    minPrice: '0.0001',
    maxPrice: '300',
  });
  assert.deepEqual(blz.precision, { price: 4, amount: 0 });
});

test('combines the documented spot filter examples, preferring NOTIONAL over legacy MIN_NOTIONAL and ignoring other filters', () => {
  const body = fixture('spot-exchange-info.json');
  const names = [
    'exchange-max-num-orders', 'iceberg-parts', 'lot-size', 'market-lot-size', 'max-num-algo-orders', 'max-num-order-amends',
    'max-num-orders', 'max-position', 'min-notional', 'notional', 'percent-price-by-side', 'price-filter', 'trailing-delta',
  ];
  const filters = names.map((n) => fixture(`spot-filter-${n}.json`));
  const symbol = { ...(body['symbols'] as Record<string, unknown>[])[0], filters };
  const [eth] = parseMarkets({ ...body, symbols: [symbol] }, 'spot');
  assert.ok(eth);
  assert.equal(eth.symbol, 'ETH/BTC');
  assert.deepEqual(rules(eth), {
    tickSize: '0.00000100',
    stepSize: '0.00100000',
    minQty: '0.00100000',
    maxQty: '100000.00000000',
    marketMinQty: '0.00100000',
    marketMaxQty: '100000.00000000',
    minNotional: '10.00000000',
    maxNotional: '10000.00000000',
    minPrice: '0.00000100',
    maxPrice: '100000.00000000',
  });
});

test('falls back to the asset precisions when a spot symbol lists no PRICE_FILTER or LOT_SIZE', () => {
  const [eth] = parseMarkets(fixture('spot-exchange-info.json'), 'spot');
  assert.ok(eth);
  assert.equal(eth.tickSize.toString(), '0.00000001');
  assert.equal(eth.stepSize.toString(), '0.00000001');
  assert.equal(eth.minNotional, undefined);
});

test('rejects malformed exchangeInfo with a decode error naming the field', () => {
  const body = fixture('usdm-exchange-info.json');
  const symbols = body['symbols'] as Record<string, unknown>[];
  const withFilters = (filters: unknown): unknown => ({ ...body, symbols: [{ ...symbols[0], filters }] });
  const cases: Array<[unknown, string]> = [
    [{ ...body, symbols: 'x' }, 'symbols'],
    [{ ...body, symbols: [{ ...symbols[0], baseAsset: 7 }] }, 'symbols[0].baseAsset'],
    [withFilters([{ filterType: 'PRICE_FILTER', tickSize: 0.01, minPrice: '0', maxPrice: '0' }]), 'symbols[0].filters.PRICE_FILTER.tickSize'],
    [withFilters([{ tickSize: '0.01' }]), 'symbols[0].filters[0].filterType'],
    [withFilters([{ filterType: 'LOT_SIZE', stepSize: '1', minQty: 'abc', maxQty: '10' }]), 'symbols[0].filters.LOT_SIZE.minQty'],
  ];
  for (const [input, field] of cases) {
    assert.throws(
      () => parseMarkets(input, 'usdm'),
      (e: unknown) => VenueError.is(e, 'decode') && e.message.includes(`field ${field}:`),
      field,
    );
  }
});

test('reads spot rate limits with their scope and window from the 2021 recording', () => {
  assert.deepEqual(parseRateLimits(fixture('spot-exchange-info-recorded-2021-10.json'), 'spot'), [
    { limit: 'REQUEST_WEIGHT', scope: 'ip', windowMs: 60_000, max: 1200 },
    { limit: 'ORDERS', scope: 'account', windowMs: 10_000, max: 50 },
    { limit: 'ORDERS', scope: 'account', windowMs: 86_400_000, max: 160000 },
    { limit: 'RAW_REQUESTS', scope: 'ip', windowMs: 300_000, max: 6100 },
  ]);
});

test('reads USD-M rate limits from the doc example and the 2021 recording', () => {
  assert.deepEqual(parseRateLimits(fixture('usdm-exchange-info.json'), 'usdm'), [
    { limit: 'REQUEST_WEIGHT', scope: 'ip', windowMs: 60_000, max: 2400 },
    { limit: 'ORDERS', scope: 'account', windowMs: 60_000, max: 1200 },
  ]);
  assert.deepEqual(parseRateLimits(fixture('usdm-exchange-info-recorded-2021-07.json'), 'usdm').at(-1), {
    limit: 'ORDERS',
    scope: 'account',
    windowMs: 10_000,
    max: 300,
  });
});

test('skips unknown rate-limit types and rejects malformed entries naming the field', () => {
  const rules = parseRateLimits({ rateLimits: [{ rateLimitType: 'FUTURE_THING', interval: 'WEEK', intervalNum: 1, limit: 1 }] }, 'spot');
  assert.deepEqual(rules, []);
  // The spot doc example's placeholder `rateLimits: [{}]`.
  assert.throws(
    () => parseRateLimits(fixture('spot-exchange-info.json'), 'spot'),
    (e: unknown) => VenueError.is(e, 'decode') && e.message.includes('rateLimits[0].rateLimitType'),
  );
  assert.throws(
    () => parseRateLimits({ rateLimits: [{ rateLimitType: 'ORDERS', interval: 'WEEK', intervalNum: 1, limit: 5 }] }, 'spot'),
    (e: unknown) => VenueError.is(e, 'decode') && e.message.includes('rateLimits[0].interval'),
  );
});
