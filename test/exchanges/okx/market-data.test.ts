/** The OKX MarketDataAdapter: request building and limits, topics and parsers wired together, normalizing frames. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJson } from '../../../src/core/json.js';
import type { Market, NormalizedEvent } from '../../../src/core/model.js';
import { OKX_DEMO } from '../../../src/exchanges/okx/config.js';
import { createOkxMarketData, guessOkxSymbol, normalizeOkxFrame } from '../../../src/exchanges/okx/market-data.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const adapter = createOkxMarketData();
const AT = 1_700_000_000_000;

function market(file: string, id: string, segment: string): Market {
  const m = adapter.parseMarkets(parseJson(fixtureText(`okx/rest/${file}`)), segment).find((x) => x.id === id);
  assert.ok(m);
  return m;
}
const spot = market('instruments-spot-recorded-2022-05.json', 'BTC-USDT', 'SPOT');
const swap = market('instruments-swap-recorded-2022-05.json', 'BTC-USDT-SWAP', 'SWAP');

test('serves SPOT, SWAP and FUTURES by default, or the chosen instrument types', () => {
  assert.equal(adapter.venue, 'okx');
  assert.deepEqual(adapter.segments, ['SPOT', 'SWAP', 'FUTURES']);
  assert.deepEqual(createOkxMarketData({ instTypes: ['SWAP'] }).segments, ['SWAP']);
  assert.throws(() => createOkxMarketData({ instTypes: ['OPTION' as 'SWAP'] }), /invalid-argument/);
  assert.throws(() => adapter.marketsRequest('MARGIN'), /invalid-argument/);
});

test('builds every REST request on the one rest api, each drawing from a documented per-endpoint limit', () => {
  const requests = [
    adapter.serverTimeRequest('SPOT'),
    adapter.marketsRequest('FUTURES'),
    adapter.depthRequest(spot, 400),
    adapter.depthRequest(spot, 1000),
    adapter.tickerRequest(swap),
    adapter.tradesRequest(spot, 50),
    adapter.candlesRequest(swap, '4h', { limit: 10 }),
  ];
  const limits = new Map((adapter.staticRateLimits ?? []).map((r) => [r.limit, r]));
  for (const r of requests) {
    assert.equal(r.api, 'rest');
    assert.equal(r.method, 'GET');
    assert.equal(r.signed, false);
    assert.equal(r.costs.length, 1);
    const rule = limits.get(r.costs[0]?.limit as string);
    assert.ok(rule, `${r.path} names a known limit`);
    assert.equal(rule.windowMs, 2000);
  }
  assert.deepEqual(requests.map((r) => [r.path, r.query]), [
    ['/api/v5/public/time', undefined],
    ['/api/v5/public/instruments', { instType: 'FUTURES' }],
    ['/api/v5/market/books', { instId: 'BTC-USDT', sz: 400 }],
    ['/api/v5/market/books-full', { instId: 'BTC-USDT', sz: 1000 }],
    ['/api/v5/market/ticker', { instId: 'BTC-USDT-SWAP' }],
    ['/api/v5/market/trades', { instId: 'BTC-USDT', limit: 50 }],
    ['/api/v5/market/candles', { instId: 'BTC-USDT-SWAP', bar: '4H', before: undefined, after: undefined, limit: 10 }],
  ]);
  assert.deepEqual(
    Object.fromEntries([...limits.values()].map((r) => [r.limit, r.max])),
    { instruments: 20, time: 10, books: 40, 'books-full': 10, ticker: 20, tickers: 20, trades: 100, candles: 40 },
  );
  assert.deepEqual(adapter.candlesRequest(spot, '1m', { since: 1_000_000, limit: 5 }).query, { instId: 'BTC-USDT', bar: '1m', before: 999_999, after: 1_300_000, limit: 5 });
  assert.throws(() => adapter.tradesRequest(spot, 501), /invalid-argument/);
  assert.throws(() => adapter.candlesRequest(spot, '1s', {}), /invalid-argument/);
});

test('signs nothing on public requests but adds the demo header when pointed at demo trading', () => {
  const time = adapter.serverTimeRequest('SPOT');
  assert.deepEqual(adapter.rest.sign(time, undefined, AT).headers, {});
  assert.deepEqual(createOkxMarketData({ urls: OKX_DEMO }).rest.sign(time, undefined, AT).headers, { 'x-simulated-trading': '1' });
  assert.deepEqual(adapter.rest.usageFromHeaders({ 'x-ratelimit-remaining': '3' }, time), []);
  assert.equal(adapter.rest.serverTime.parse(parseJson(fixtureText('okx/rest/time.json'))), 1597026383085);
});

test('subscribes books (400-level window, in-band or REST snapshot), trades, tickers, bbo-tbt and business candles', () => {
  assert.deepEqual(adapter.bookTopic(swap, { depth: 50 }), { key: 'books:BTC-USDT-SWAP', connection: 'public' });
  assert.equal(adapter.bookRules(swap).snapshotSource, 'stream-or-rest');
  assert.equal(adapter.bookSnapshotDepth(swap, {}), 400);
  assert.equal(adapter.bookWindowDepth?.(swap, {}), 400);
  assert.deepEqual(adapter.tradeTopic(spot), { key: 'trades:BTC-USDT', connection: 'public' });
  assert.deepEqual(adapter.tickerTopic(spot), { key: 'tickers:BTC-USDT', connection: 'public' });
  assert.deepEqual(adapter.bookTickerTopic(spot), { key: 'bbo-tbt:BTC-USDT', connection: 'public' });
  assert.deepEqual(adapter.candleTopic(spot, '1M'), { key: 'candle1M:BTC-USDT', connection: 'business' });
  assert.equal(adapter.contiguousTradeIds, false, 'a push aggregates `count` fills under its last id');
});

test('hands the payload of a classified push straight to the matching parser', () => {
  const text = fixtureLines('okx/ws/trades-BTC-USDT-SWAP-recorded-with-seqid.jsonl')[2] as string;
  const c = adapter.stream.classify(adapter.stream.decode(text), text);
  assert.equal(c.role, 'data');
  if (c.role !== 'data') return;
  assert.equal(c.topic, adapter.tradeTopic(swap).key);
  const [t] = adapter.parseTradeFrame(c.payload, swap, AT);
  assert.deepEqual([t?.symbol, t?.id, t?.amount.toString()], ['BTC/USDT:USDT', '2832749645', '34.95']);
  const candles = adapter.parseCandles(parseJson(fixtureText('okx/rest/market-candles.json')), swap, '1h', AT);
  assert.equal(candles[0]?.volume.toString(), '67632347.24399722');
});

test('normalizes every market-data frame of the recorded 2022 session and ignores the acks', () => {
  const frames = fixtureLines('okx/ws/public-recorded-session-2022-05.jsonl');
  const events: NormalizedEvent[] = [];
  for (const line of frames) events.push(...adapter.normalizeFrame(parseJson(line), 'SPOT', (id) => guessOkxSymbol(id) ?? id, AT));
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), { ticker: 28, trade: 74, book: 290 });
  assert.deepEqual([...new Set(events.map((e) => e.symbol))].sort(), ['BTC/USD:BTC-220527', 'BTC/USDT', 'UNI/USD:UNI']);
  assert.ok(events.every((e) => e.venue === 'okx'));
});

test('normalizes the other recorded and documented pushes by channel', () => {
  const resolve = (id: string): string => guessOkxSymbol(id) ?? id;
  const one = (path: string): NormalizedEvent[] => normalizeOkxFrame(parseJson(fixtureText(`okx/ws/${path}`)), resolve, AT);
  assert.deepEqual(one('bbo-tbt.json').map((e) => [e.type, e.symbol]), [['book-ticker', 'BCH/USDT:USDT']]);
  assert.deepEqual(one('books5.json').map((e) => e.type), ['book']);
  assert.deepEqual(one('candle-push.json').map((e) => [e.type, e.type === 'candle' ? e.interval : '']), [['candle', '1d']]);
  assert.deepEqual(one('notice-service-upgrade.json'), []);
  assert.deepEqual(normalizeOkxFrame('pong', resolve, AT), []);
  const account = one('account-push.json');
  assert.deepEqual(account, [], 'private channels carry no market data');
});
