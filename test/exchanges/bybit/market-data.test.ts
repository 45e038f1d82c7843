/** The Bybit MarketDataAdapter wiring (requests, topics, windows, parsers) and offline normalizing of recorded frames. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { Market, NormalizedEvent } from '../../../src/core/model.js';
import { bybitUrlsAt } from '../../../src/exchanges/bybit/config.js';
import { createBybitMarketData, guessBybitSymbol } from '../../../src/exchanges/bybit/market-data.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const rest = (name: string): unknown => parseJson(fixtureText(`bybit/rest/${name}`));
const adapter = createBybitMarketData();
const [spot] = adapter.parseMarkets(rest('instruments-info-spot.json'), 'spot') as [Market];
const [linear] = adapter.parseMarkets(rest('instruments-info-linear.json'), 'linear') as [Market];
const inverse: Market = { ...linear, symbol: 'BTC/USD:BTC', id: 'BTCUSD', segment: 'inverse', quote: 'USD', settle: 'BTC', linear: false };

test('serves spot, linear and inverse by default, with the IP-wide limit as its static rule', () => {
  assert.equal(adapter.venue, 'bybit');
  assert.deepEqual(adapter.segments, ['spot', 'linear', 'inverse']);
  assert.deepEqual(adapter.staticRateLimits, [{ limit: 'ip-requests', scope: 'ip', windowMs: 5000, max: 600 }]);
  assert.equal(adapter.contiguousTradeIds, false);
  assert.deepEqual(createBybitMarketData({ categories: ['linear'] }).segments, ['linear']);
  assert.throws(() => adapter.marketsRequest('option'), (e: unknown) => VenueError.is(e, 'invalid-argument'));
});

test('requests go to the category of the market, all on the one REST api', () => {
  assert.deepEqual(adapter.marketsRequest('linear').query, { category: 'linear', limit: 1000, cursor: undefined });
  assert.deepEqual(adapter.depthRequest(spot, 1000).query, { category: 'spot', symbol: 'BTCUSDT', limit: 200 });
  assert.deepEqual(adapter.tickerRequest(inverse).query, { category: 'inverse', symbol: 'BTCUSD' });
  assert.deepEqual(adapter.tradesRequest(linear, 100).query, { category: 'linear', symbol: 'BTCUSDT', limit: 100 });
  assert.deepEqual(adapter.candlesRequest(linear, '1d', { since: 5, limit: 10 }).query, { category: 'linear', symbol: 'BTCUSDT', interval: 'D', start: 5, end: undefined, limit: 10 });
  assert.equal(adapter.serverTimeRequest('spot').path, '/v5/market/time');
  const all = [adapter.marketsRequest('spot'), adapter.depthRequest(linear, 50), adapter.tickerRequest(spot), adapter.tradesRequest(spot), adapter.serverTimeRequest('linear')];
  assert.ok(all.every((r) => r.api === 'rest'));
  const foreign: Market = { ...spot, venue: 'binance' };
  assert.throws(() => adapter.tickerRequest(foreign), (e: unknown) => VenueError.is(e, 'invalid-argument'));
});

test('book topics pick the depth window; the local book trims to the same window', () => {
  assert.deepEqual(adapter.bookTopic(linear, {}), { key: 'orderbook.1000.BTCUSDT', connection: 'linear' });
  assert.deepEqual(adapter.bookTopic(spot, { depth: 20 }), { key: 'orderbook.50.BTCUSDT', connection: 'spot' });
  assert.equal(adapter.bookWindowDepth?.(spot, { depth: 20 }), 50);
  assert.equal(adapter.bookWindowDepth?.(linear, {}), 1000);
  assert.equal(adapter.bookSnapshotDepth(spot, {}), 200);
  assert.equal(adapter.bookRules(linear).snapshotSource, 'stream');
  assert.deepEqual(adapter.bookTickerTopic(inverse), { key: 'orderbook.1.BTCUSD', connection: 'inverse' });
  assert.deepEqual(adapter.tradeTopic(spot).key, 'publicTrade.BTCUSDT');
  assert.deepEqual(adapter.tickerTopic(linear).key, 'tickers.BTCUSDT');
  assert.deepEqual(adapter.candleTopic(linear, '15m').key, 'kline.15.BTCUSDT');
});

test('the stream dialect follows the given URLs (the simulator case)', () => {
  const local = createBybitMarketData({ urls: bybitUrlsAt('http://127.0.0.1:1', 'ws://127.0.0.1:2') });
  assert.equal(local.stream.url('spot'), 'ws://127.0.0.1:2/v5/public/spot');
});

test('adapter parsers use the market: inverse candles and tickers swap volume columns', () => {
  const [candle] = adapter.parseCandles(rest('kline.json'), inverse, '1h', Date.UTC(2030, 0));
  assert.equal(candle?.volume.toString(), '0.37288112');
  const t = adapter.parseTicker(rest('tickers-inverse.json'), inverse, 0);
  assert.equal(t.baseVolume?.toString(), '115.6907');
  assert.equal(adapter.parseDepth(rest('orderbook-linear-recorded.json'), linear, 0).seq, 481115);
  assert.equal(adapter.parseTrades(rest('recent-trade.json'), spot, 0).length, 1);
  assert.equal(adapter.parseServerTime(rest('server-time.json')), 1688639403423);
});

function normalizeFile(file: string, segment: string, a = adapter): NormalizedEvent[] {
  const resolve = (id: string): string => guessBybitSymbol(id, segment as 'spot') ?? id;
  return fixtureLines(`bybit/ws/${file}`).flatMap((line) => a.normalizeFrame(parseJson(line), segment, resolve, 1));
}

test('normalize: recorded frames become events by topic; acks give nothing', () => {
  const trades = normalizeFile('public-trade-BTCUSDT-spot-recorded-sequence.jsonl', 'spot');
  assert.equal(trades.length, 11);
  assert.ok(trades.every((e) => e.type === 'trade' && e.venue === 'bybit' && e.symbol === 'BTC/USDT'));
  const bbo = normalizeFile('orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl', 'spot');
  assert.deepEqual(bbo.map((e) => e.type), ['book-ticker', 'book-ticker']);
  const book = normalizeFile('orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl', 'linear');
  assert.equal(book.length, 50);
  assert.ok(book.every((e) => e.type === 'book' && e.symbol === 'XRP/USDT:USDT'));
  assert.equal(book[0]?.type === 'book' && book[0].kind, 'snapshot');
  const kline = adapter.normalizeFrame(parseJson(fixtureText('bybit/ws/kline.json')), 'linear', () => 'BTC/USDT:USDT', 1);
  assert.equal(kline[0]?.type, 'candle');
});

test('normalize: a linear ticker delta is merged onto the snapshot seen before it', () => {
  const fresh = createBybitMarketData();
  const [snap, delta] = normalizeFile('tickers-linear-snapshot-then-delta-recorded.jsonl', 'linear', fresh);
  assert.equal(snap?.type, 'ticker');
  assert.ok(delta?.type === 'ticker' && delta.bid?.eq('3.3297') && delta.askSize?.eq('1113'));
});

test('guesses unified symbols from ids without instruments-info, like ccxt names them', () => {
  const cases: Array<[string, 'spot' | 'linear' | 'inverse', string | undefined]> = [
    ['BTCUSDT', 'spot', 'BTC/USDT'],
    ['ETHBTC', 'spot', 'ETH/BTC'],
    ['BTCUSDT', 'linear', 'BTC/USDT:USDT'],
    ['1000PEPEUSDT', 'linear', '1000PEPE/USDT:USDT'],
    ['BTCPERP', 'linear', 'BTC/USDC:USDC'],
    ['BTCUSDT-26DEC25', 'linear', 'BTC/USDT:USDT-251226'],
    ['BTC-26DEC25', 'linear', 'BTC/USDC:USDC-251226'],
    ['BTCUSD', 'inverse', 'BTC/USD:BTC'],
    ['BTCUSDH25', 'inverse', 'BTC/USD:BTC-250328'],
    ['BTCUSDZ26', 'inverse', 'BTC/USD:BTC-261225'],
    ['XYZ', 'spot', undefined],
    ['BTC-32XYZ25', 'linear', undefined],
  ];
  for (const [id, category, want] of cases) assert.equal(guessBybitSymbol(id, category), want, `${category} ${id}`);
});
