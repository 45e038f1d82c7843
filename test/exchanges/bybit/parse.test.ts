/**
 * Bybit market-data parsers on the real fixtures: server time, REST and WS tickers (snapshot + delta merge),
 * trades, klines, order books and best bid/offer; malformed payloads give decode errors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import {
  bookCrossSeq,
  parseBookFrame,
  parseBookTicker,
  parseDepthSnapshot,
  parseKlineFrame,
  parseKlines,
  parseRestTicker,
  parseRestTrades,
  parseServerTime,
  parseTickerFrame,
  parseTradeFrame,
} from '../../../src/exchanges/bybit/parse.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const rest = (name: string): unknown => parseJson(fixtureText(`bybit/rest/${name}`));
const ws = (name: string): unknown => parseJson(fixtureText(`bybit/ws/${name}`));
const wsLines = (name: string): unknown[] => fixtureLines(`bybit/ws/${name}`).map((l) => parseJson(l));
const str = (d: Decimal | undefined): string | undefined => d?.toString();

test('server time comes exactly from timeNano (ms), without a float', () => {
  assert.equal(parseServerTime(rest('server-time.json')), 1688639403423);
  assert.equal(parseServerTime({ retCode: 0, result: { timeSecond: '1688639403', timeNano: '' }, time: 1 }), 1688639403000);
  assert.throws(() => parseServerTime({ retCode: 0, result: { timeNano: 'x' } }), (e: unknown) => VenueError.is(e, 'decode'));
});

test('a spot REST ticker: last, best bid/ask, 24 h open/high/low, volumes, percentage ×100 and change', () => {
  const t = parseRestTicker(rest('tickers-spot.json'), 'BTC/USDT', 5);
  assert.equal(t.symbol, 'BTC/USDT');
  assert.deepEqual(
    [t.last, t.bid, t.bidSize, t.ask, t.askSize, t.open, t.high, t.low, t.baseVolume, t.quoteVolume].map(str),
    ['20533.13', '20517.96', '2', '20527.77', '1.862172', '20393.48', '21128.12', '20318.89', '11801.27771', '243765620.65899866'],
  );
  assert.ok(t.percentage?.eq('0.68'));
  assert.ok(t.change?.eq('139.65'));
  assert.equal(t.exchangeTime, 1673859087947, 'the envelope time');
  assert.equal(t.receivedAt, 5);
});

test('a recorded linear REST ticker parses; empty strings read as absent', () => {
  const t = parseRestTicker(rest('tickers-linear-recorded.json'), 'XRP/USDT:USDT', 0);
  assert.deepEqual([t.last, t.bid, t.ask, t.askSize].map(str), ['3.1694', '3.1694', '3.1744', '3']);
  assert.ok(t.percentage?.eq('-0.2988'));
  assert.equal(t.exchangeTime, 1737636114769);
});

test('an inverse REST ticker swaps volumes: turnover is base (BTC), volume is quote (USD contracts)', () => {
  const t = parseRestTicker(rest('tickers-inverse.json'), 'BTC/USD:BTC', 0, true);
  assert.equal(str(t.baseVolume), '115.6907');
  assert.equal(str(t.quoteVolume), '13713832.0000');
});

test('WS ticker snapshots parse for spot, linear perpetual and linear futures', () => {
  const spot = parseTickerFrame(ws('ticker-spot.json'), 'BTC/USDT', 1, undefined);
  assert.deepEqual([spot.last, spot.open, spot.baseVolume].map(str), ['21109.77', '20704.93', '6780.866843']);
  assert.equal(spot.bid, undefined, 'spot tickers carry no best bid/ask');
  assert.equal(spot.exchangeTime, 1673853746003);
  const perp = parseTickerFrame(ws('ticker-linear-perpetual-snapshot.json'), 'BTC/USDT:USDT', 1, undefined);
  assert.deepEqual([perp.bid, perp.ask].map(str), ['66666.60', '66666.70']);
  const fut = parseTickerFrame(ws('ticker-linear-futures-snapshot.json'), 'BTC/USDT:USDT-251226', 1, undefined);
  assert.equal(str(fut.last), '109401.50');
});

test('a recorded linear ticker delta is merged onto the snapshot: changed fields replaced, the rest kept', () => {
  const [snapshot, delta] = wsLines('tickers-linear-snapshot-then-delta-recorded.jsonl');
  const first = parseTickerFrame(snapshot, 'XRP/USDT:USDT', 10, undefined);
  const merged = parseTickerFrame(delta, 'XRP/USDT:USDT', 20, first);
  assert.deepEqual([merged.last, merged.askSize, merged.quoteVolume, merged.baseVolume].map(str), ['3.3298', '1113', '1842288307.0604', '587584171.0000']);
  assert.deepEqual([merged.bid, merged.bidSize, merged.high, merged.low, merged.open].map(str), ['3.3297', '4885', '3.5682', '2.7435', '3.2384'], 'unchanged fields kept');
  assert.ok(merged.percentage?.eq('2.8223'));
  assert.ok(merged.change?.eq('0.0914'), 'change recomputed from the merged last and open');
  assert.deepEqual([merged.exchangeTime, merged.receivedAt], [1737718429132, 20]);
  const alone = parseTickerFrame(delta, 'XRP/USDT:USDT', 20, undefined);
  assert.equal(alone.bid, undefined, 'a delta without a previous ticker has only its own fields');
  const snapAgain = parseTickerFrame(snapshot, 'XRP/USDT:USDT', 30, merged);
  assert.equal(str(snapAgain.askSize), '1363', 'a snapshot replaces, it does not merge');
});

test('REST recent trades: taker side, execId, exact price and size', () => {
  const [t] = parseRestTrades(rest('recent-trade.json'), 'BTC/USDT', 7);
  assert.deepEqual(
    { ...t, price: str(t?.price), amount: str(t?.amount) },
    { symbol: 'BTC/USDT', id: '2100000000007764263', price: '16618.49', amount: '0.00012', side: 'buy', exchangeTime: 1672052955758, receivedAt: 7 },
  );
});

test('REST recent trades come back oldest first', () => {
  const body = rest('recent-trade.json') as { result: { list: Array<Record<string, unknown>> } };
  const row = body.result.list[0] as Record<string, unknown>;
  const newestFirst = { ...body, result: { ...body.result, list: [{ ...row, execId: 'b', time: '2000' }, { ...row, execId: 'a', time: '1000' }] } };
  assert.deepEqual(parseRestTrades(newestFirst, 'BTC/USDT', 0).map((t) => t.id), ['a', 'b']);
});

test('recorded publicTrade frames: several trades per frame, UUID ids on linear, numeric ids on spot', () => {
  const spot = wsLines('public-trade-BTCUSDT-spot-recorded-sequence.jsonl').slice(1);
  const trades = spot.flatMap((f) => parseTradeFrame(f, 'BTC/USDT', 0));
  assert.equal(trades.length, 11);
  assert.equal(trades[0]?.id, '2290000001190010739');
  assert.equal(trades[10]?.id, '2290000001190010749');
  assert.ok(trades.every((t) => t.side === 'sell'));
  assert.equal(str(trades[2]?.amount), '0.007799');
  const linear = wsLines('public-trade-BTCUSDT-linear-recorded-sequence.jsonl').slice(1);
  const [first] = parseTradeFrame(linear[0], 'BTC/USDT:USDT', 0);
  assert.deepEqual([first?.id, first?.side, str(first?.price), first?.exchangeTime], ['e799c7b7-1ccc-53d9-b84a-fb7a460397bc', 'buy', '63976.10', 1786540363843]);
  const [doc] = parseTradeFrame(ws('public-trade.json'), 'BTC/USDT:USDT', 0);
  assert.equal(doc?.id, '20f43950-d8dd-5b31-9112-a178eb6023af');
});

test('REST klines come back oldest first, closed by the interval length; inverse volume is the base turnover', () => {
  const candles = parseKlines(rest('kline.json'), 'BTC/USD:BTC', '1h', 1670608800000 + 30 * 60_000, true);
  assert.deepEqual(candles.map((c) => c.openTime), [1670601600000, 1670605200000, 1670608800000]);
  assert.deepEqual(candles.map((c) => c.closed), [true, true, false], 'the newest hour is still forming');
  assert.equal(candles[0]?.exchangeTime, 1670605199999, 'a closed candle carries its last ms');
  assert.equal(candles[2]?.exchangeTime, 1670608800000 + 30 * 60_000);
  const last = candles[2];
  assert.deepEqual([last?.open, last?.high, last?.low, last?.close, last?.volume, last?.quoteVolume].map(str), ['17071', '17073', '17027', '17055.5', '15.74462667', '268611']);
  const linear = parseKlines(rest('kline.json'), 'BTC/USDT:USDT', '1h', Date.UTC(2030, 0), false);
  assert.equal(str(linear[2]?.volume), '268611', 'non-inverse volume is the volume column');
});

test('a WS kline frame: interval normalized, confirm → closed', () => {
  const [c] = parseKlineFrame(ws('kline.json'), 'BTC/USDT:USDT', 3);
  assert.deepEqual(
    [c?.interval, c?.openTime, c?.closed, c?.exchangeTime, str(c?.close), str(c?.volume), str(c?.quoteVolume)],
    ['5m', 1672324800000, false, 1672324988882, '16677', '2.081', '34666.4005'],
  );
});

test('REST order books: a snapshot at u with the venue level strings', () => {
  const doc = parseDepthSnapshot(rest('orderbook.json'), 'BTC/USDT', 9);
  assert.deepEqual([doc.kind, doc.seq, doc.exchangeTime], ['snapshot', 230704, 1716863718905]);
  assert.deepEqual(doc.bids, [['65485.47', '47.081829']]);
  const rec = parseDepthSnapshot(rest('orderbook-linear-recorded.json'), 'XRP/USDT:USDT', 9);
  assert.deepEqual([rec.seq, rec.bids.length, rec.asks.length], [481115, 10, 10]);
  assert.deepEqual(rec.asks[0], ['3.1683', '1457']);
});

test('WS order-book frames: snapshot/delta by type, seq = u, exchange time = cts, cross seq kept apart', () => {
  const [snap, delta] = wsLines('orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl');
  const s = parseBookFrame(snap, 'BTC/USDT', 1);
  assert.deepEqual([s.kind, s.seq, s.exchangeTime, s.bids.length, s.asks.length], ['snapshot', 2876700, 1731035685323, 50, 50]);
  const d = parseBookFrame(delta, 'BTC/USDT', 2);
  assert.deepEqual([d.kind, d.seq, d.firstSeq, d.prevSeq], ['delta', 2876701, undefined, undefined]);
  assert.equal(bookCrossSeq(delta), 47474967823);
  assert.equal(d.crossSeq, 47474967823, 'the cross sequence travels on the depth message');
  const docDelta = parseBookFrame(ws('orderbook-delta.json'), 'BTC/USDT:USDT', 0);
  assert.deepEqual([docDelta.kind, docDelta.seq], ['delta', 177400507]);
  assert.deepEqual(docDelta.bids[4], ['30240.00', '0'], 'size "0" kept as sent: it deletes the level');
});

test('best bid/offer from recorded orderbook.1 frames', () => {
  const [, first, second] = wsLines('orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl');
  const a = parseBookTicker(first, 'BTC/USDT', 1);
  assert.deepEqual([str(a.bid), str(a.bidSize), str(a.ask), str(a.askSize), a.updateId, a.exchangeTime], ['64097.1', '0.463717', '64097.2', '1.299102', 70913931, 1786538684930]);
  assert.equal(str(parseBookTicker(second, 'BTC/USDT', 1).bidSize), '0.493717');
});

test('malformed market-data payloads give decode errors, never crashes', () => {
  const isDecode = (e: unknown): boolean => VenueError.is(e, 'decode');
  assert.throws(() => parseBookFrame({ topic: 'orderbook.50.X', type: 'weird', ts: 1, data: { u: 1, b: [], a: [] } }, 'X', 0), isDecode);
  assert.throws(() => parseBookFrame({ type: 'delta', ts: 1, data: { u: 'x', b: [], a: [] } }, 'X', 0), isDecode);
  assert.throws(() => parseTradeFrame({ data: [{ i: 'a', p: '1', v: '1', S: 'Up', T: 1 }] }, 'X', 0), isDecode);
  assert.throws(() => parseTradeFrame({ data: [{ i: 'a', p: '1.2.3', v: '1', S: 'Buy', T: 1 }] }, 'X', 0), isDecode);
  assert.throws(() => parseKlineFrame({ data: [{ interval: '7', start: 1 }] }, 'X', 0), isDecode);
  assert.throws(() => parseBookTicker({ ts: 1, data: { u: 1, b: [], a: [['1', '1']] } }, 'X', 0), isDecode);
  assert.throws(() => parseTickerFrame({ type: 'delta', ts: 1, data: { lastPrice: 12 } }, 'X', 0, undefined), isDecode);
  assert.throws(() => parseRestTicker({ retCode: 0, result: { list: [] }, time: 1 }, 'X', 0), isDecode);
});
