/** OKX market-data parsers on the real recorded pushes and the documented REST responses. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Decimal } from '../../../src/core/decimal.js';
import { parseJson } from '../../../src/core/json.js';
import {
  parseBboPush,
  parseBookPush,
  parseBooksResponse,
  parseCandlePush,
  parseCandlesResponse,
  parseServerTime,
  parseTickerPush,
  parseTickerResponse,
  parseTradesPush,
  parseTradesResponse,
} from '../../../src/exchanges/okx/parse.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const AT = 1_700_000_000_000;
const json = (path: string): unknown => parseJson(fixtureText(`okx/${path}`));
const lines = (path: string): unknown[] => fixtureLines(`okx/${path}`).map((l) => parseJson(l));
const s = (d: Decimal | undefined): string | undefined => d?.toString();

test('parses a books snapshot push: levels untouched, seqId, checksum, no prevSeq', () => {
  const m = parseBookPush(json('ws/books-snapshot.json'), 'BTC/USDT', AT);
  assert.deepEqual([m.kind, m.symbol, m.seq, m.prevSeq, m.checksum, m.exchangeTime, m.receivedAt], ['snapshot', 'BTC/USDT', 123456, undefined, -855196043, 1597026383085, AT]);
  assert.deepEqual(m.bids[0], ['8476.97', '256', '0', '12']);
  assert.equal(m.asks.length, 8);
});

test('parses a books update push into a delta chained by prevSeqId', () => {
  const m = parseBookPush(json('ws/books-update.json'), 'BTC/USDT', AT);
  assert.deepEqual([m.kind, m.seq, m.prevSeq, m.checksum], ['delta', 123457, 123456, -855196043]);
});

test('parses recorded 2022 books messages (before seqId) with seq -1 and their checksums', () => {
  const [snapshot, update] = lines('ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl').map((f) => parseBookPush(f, 'BTC/USDT', AT));
  assert.deepEqual([snapshot?.kind, snapshot?.seq, update?.kind, update?.seq, update?.prevSeq], ['snapshot', -1, 'delta', -1, undefined]);
  assert.equal(typeof update?.checksum, 'number');
  assert.equal(update?.exchangeTime, 1652459225453);
});

test('parses the recorded books5 pushes (seqId, no action) as full snapshots', () => {
  for (const [file, first, second] of [
    ['ws/books5-BTC-USDT-recorded-with-seqid.jsonl', 79706756139, 79706756227],
    ['ws/books5-BTC-USDT-SWAP-recorded-with-seqid.jsonl', 333794734980, 333794734996],
  ] as const) {
    const pushes = lines(file).slice(1).map((f) => parseBookPush(f, 'X', AT));
    assert.deepEqual(pushes.map((p) => [p.kind, p.seq, p.bids.length, p.asks.length]), [
      ['snapshot', first, 5, 5],
      ['snapshot', second, 5, 5],
    ]);
  }
  const doc = parseBookPush(json('ws/books5.json'), 'BCH/USDT:USDT', AT);
  assert.deepEqual([doc.seq, doc.asks[0]], [363996337, ['111.06', '55154', '0', '2']]);
});

test('parses the best bid/offer from bbo-tbt', () => {
  const t = parseBboPush(json('ws/bbo-tbt.json'), 'BCH/USDT:USDT', AT);
  assert.deepEqual([s(t.bid), s(t.bidSize), s(t.ask), s(t.askSize), t.updateId, t.exchangeTime], ['111.05', '57745', '111.06', '55154', 363996337, 1670324386802]);
  const books5 = lines('ws/books5-BTC-USDT-recorded-with-seqid.jsonl')[1];
  assert.equal(s(parseBboPush(books5, 'BTC/USDT', AT).bid), '64073');
  const empty = { arg: { channel: 'bbo-tbt', instId: 'X' }, data: [{ asks: [], bids: [['1', '1', '0', '1']], ts: '1' }] };
  assert.throws(() => parseBboPush(empty, 'X', AT), /decode.*asks\[0\]/);
});

test('parses the REST book (documented example has no seqId: seq -1, it cannot be aligned) and one with seqId', () => {
  const doc = parseBooksResponse(json('rest/market-books.json'), 'BTC/USDT', AT);
  assert.deepEqual([doc.kind, doc.seq, doc.exchangeTime, doc.bids[0], doc.asks[0]], ['snapshot', -1, 1629966436396, ['41006.3', '0.30178218', '0', '2'], ['41006.8', '0.60038921', '0', '1']]);
  const withSeq = json('rest/market-books.json') as { data: Array<Record<string, unknown>> };
  withSeq.data[0] = { ...withSeq.data[0], seqId: 333794734980 };
  assert.equal(parseBooksResponse(withSeq, 'BTC/USDT', AT).seq, 333794734980);
});

test('parses tickers: spot volumes base/quote, derivative volume from volCcy24h (base), exact change', () => {
  const spot = parseTickerPush(json('ws/tickers-push.json'), 'BTC/USDT', AT);
  assert.deepEqual(
    [s(spot.last), s(spot.bid), s(spot.bidSize), s(spot.ask), s(spot.askSize), s(spot.open), s(spot.high), s(spot.low), s(spot.baseVolume), s(spot.quoteVolume), s(spot.change), spot.exchangeTime],
    ['9999.99', '8888.88', '5', '9999.99', '11', '9000', '10000', '8888.88', '2222', '2222', '999.99', 1597026383085],
  );
  const session = lines('ws/public-recorded-session-2022-05.jsonl').filter((f) => (f as { arg?: { channel?: string }; data?: unknown }).arg?.channel === 'tickers' && 'data' in (f as object));
  assert.equal(session.length, 28);
  const future = parseTickerPush(session[0], 'BTC/USD:BTC-220527', AT);
  assert.deepEqual([s(future.baseVolume), future.quoteVolume, s(future.last)], ['2620.289', undefined, '30218.8'], 'vol24h (779573) counts contracts');
  for (const f of session) assert.ok(parseTickerPush(f, 'X', AT).last !== undefined);
  const rest = parseTickerResponse(json('rest/market-tickers.json'), 'LTC/USD:LTC', AT);
  assert.deepEqual([s(rest.last), s(rest.baseVolume), rest.quoteVolume], ['9999.99', '2222', undefined]);
});

test('keeps optional ticker fields absent when OKX sends empty strings', () => {
  const push = json('ws/tickers-push.json') as { data: Array<Record<string, unknown>> };
  push.data[0] = { ...push.data[0], bidPx: '', bidSz: '', last: '' };
  const t = parseTickerPush(push, 'BTC/USDT', AT);
  assert.equal('bid' in t, false);
  assert.equal('last' in t, false);
  assert.equal('change' in t, false);
});

test('parses trades: every fill of a push in order, taker side, ids as strings, contracts kept', () => {
  const [t] = parseTradesPush(json('ws/trades-push.json'), 'BTC/USDT', AT);
  assert.deepEqual([t?.id, s(t?.price), s(t?.amount), t?.side, t?.exchangeTime], ['130639474', '42219.9', '0.12060306', 'buy', 1630048897897]);
  const swap = lines('ws/trades-BTC-USDT-SWAP-recorded-with-seqid.jsonl').slice(1).flatMap((f) => parseTradesPush(f, 'BTC/USDT:USDT', AT));
  assert.deepEqual(swap.map((x) => [x.id, s(x.amount), x.side]), [
    ['2832749635', '1', 'buy'],
    ['2832749645', '34.95', 'sell'],
  ]);
  const recorded = lines('ws/trades-push-recorded.jsonl').flatMap((f) => parseTradesPush(f, 'BTC/USDT', AT));
  assert.deepEqual(recorded.map((x) => x.id), ['674510826', '674510827']);
  const several = { arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [...(json('ws/trades-push.json') as { data: unknown[] }).data, ...(lines('ws/trades-push-recorded.jsonl')[0] as { data: unknown[] }).data] };
  assert.deepEqual(parseTradesPush(several, 'BTC/USDT', AT).map((x) => x.id), ['130639474', '674510826']);
});

test('parses REST trades newest-first into oldest-first', () => {
  const trades = parseTradesResponse(json('rest/market-trades.json'), 'BTC/USDT', AT);
  assert.deepEqual(trades.map((t) => [t.id, s(t.price), t.side]), [
    ['242720719', '29964.1', 'sell'],
    ['242720720', '29963.2', 'sell'],
  ]);
});

test('parses candles: REST rows reversed to oldest-first, confirm as closed, volumes in base units', () => {
  const spot = parseCandlesResponse(json('rest/market-candles.json'), 'BTC/USDT', '1h', false, AT);
  assert.deepEqual(spot.map((c) => [c.openTime, s(c.open), s(c.close), s(c.volume), s(c.quoteVolume), c.closed, c.interval]), [
    [1597026383085, '3.731', '3.72', '24912403', '37632347.24399722', true, '1h'],
    [1597026383085, '3.721', '3.708', '8422410', '12698348.04828491', false, '1h'],
  ]);
  const swap = parseCandlesResponse(json('rest/market-candles.json'), 'BTC/USDT:USDT', '1h', true, AT);
  assert.equal(s(swap[0]?.volume), '67632347.24399722', 'derivatives: volCcy is the base-currency volume');
  const [pushed] = parseCandlePush(json('ws/candle-push.json'), 'BTC/USDT', AT);
  assert.deepEqual([pushed?.interval, pushed?.openTime, s(pushed?.high), s(pushed?.volume), s(pushed?.quoteVolume), pushed?.closed], ['1d', 1597026383085, '8553.74', '45247', '5529.5858061', false]);
  const utc = { ...(json('ws/candle-push.json') as object), arg: { channel: 'candle1Dutc', instId: 'BTC-USDT' } };
  assert.equal(parseCandlePush(utc, 'BTC/USDT', AT)[0]?.interval, '1d');
});

test('parses the server time', () => {
  assert.equal(parseServerTime(json('rest/time.json')), 1597026383085);
});

test('turns malformed payloads into decode errors and tolerates unknown fields', () => {
  const push = json('ws/trades-push.json') as { data: Array<Record<string, unknown>> };
  assert.throws(() => parseTradesPush({ ...push, data: [{ ...push.data[0], px: '4.2.1' }] }, 'X', AT), /decode.*data\[0\]\.px/);
  assert.throws(() => parseTradesPush({ ...push, data: [{ ...push.data[0], side: 'up' }] }, 'X', AT), /decode.*side/);
  assert.throws(() => parseTradesPush({ ...push, data: [{ ...push.data[0], px: 42219.9 }] }, 'X', AT), /decode/, 'a float price is refused');
  assert.equal(parseTradesPush({ ...push, data: [{ ...push.data[0], newField: { x: 1 } }] }, 'X', AT).length, 1);
  const book = json('ws/books-update.json') as { data: Array<Record<string, unknown>> };
  assert.throws(() => parseBookPush({ ...book, action: 'partial' }, 'X', AT), /decode.*action/);
  assert.throws(() => parseBookPush({ ...book, data: [] }, 'X', AT), /decode/);
  assert.throws(() => parseBookPush({ ...book, data: [{ ...book.data[0], seqId: 'abc' }] }, 'X', AT), /decode.*seqId/);
  assert.throws(() => parseBookPush({ ...book, data: [{ ...book.data[0], checksum: '12' }] }, 'X', AT), /decode.*checksum/);
  assert.throws(() => parseCandlePush({ ...(json('ws/candle-push.json') as object), arg: { channel: 'candle7m', instId: 'X' } }, 'X', AT), /decode.*channel/);
  const candles = json('rest/market-candles.json') as { data: string[][] };
  assert.throws(() => parseCandlesResponse({ ...candles, data: [candles.data[0]?.slice(0, 8)] }, 'X', '1m', false, AT), /decode.*\[8\]/);
  assert.throws(() => parseServerTime({ code: '0', data: [{ ts: '12.5' }] }), /decode.*ts/);
});

test('a books push without action is a decode problem, never a snapshot; books5 and bbo-tbt go without one', () => {
  // The recorded update and the documented one with their `action` removed (a hostile venue's mutation).
  const recorded = fixtureLines('okx/ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl')[1] as string;
  for (const text of [recorded, fixtureText('okx/ws/books-update.json')]) {
    const frame = parseJson(text) as Record<string, unknown>;
    assert.equal(parseBookPush(frame, 'BTC/USDT', AT).kind, 'delta');
    const { action: _action, ...without } = frame;
    assert.throws(() => parseBookPush(without, 'BTC/USDT', AT), /decode.*book push\.action.*only books5 and bbo-tbt/);
    for (const channel of ['books-l2-tbt', 'books50-l2-tbt', 'books-elp']) {
      assert.throws(() => parseBookPush({ ...without, arg: { channel, instId: 'BTC-USDT' } }, 'BTC/USDT', AT), /decode.*action/, channel);
    }
    assert.throws(() => parseBookPush({ data: without['data'] }, 'BTC/USDT', AT), /decode.*action/, 'no arg at all');
  }
  assert.equal(parseBookPush(json('ws/books5.json'), 'X', AT).kind, 'snapshot');
  const bbo = json('ws/bbo-tbt.json') as Record<string, unknown>;
  assert.equal(parseBookPush(bbo, 'X', AT).kind, 'snapshot');
});

test('reads 64-bit sequence ids without losing digits', () => {
  const text = fixtureText('okx/ws/books-update.json').replace('"seqId": 123457', '"seqId": 12345678901234567890').replace('"prevSeqId": 123456', '"prevSeqId": 12345678901234567889');
  const m = parseBookPush(parseJson(text), 'X', AT);
  assert.equal(m.seq, 12345678901234567890n);
  assert.equal(m.prevSeq, 12345678901234567889n);
});
