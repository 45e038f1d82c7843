/** Binance market-data parsers on the vendored fixtures: depth, trades, tickers, candles, server time, ids and malformed input. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import {
  marketIdOf,
  parseAggTrade,
  parseAggTrades,
  parseBookTicker,
  parseCandle,
  parseDepthSnapshot,
  parseDepthUpdate,
  parseKlines,
  parseRestTrades,
  parseServerTime,
  parseTicker,
  parseTrade,
} from '../../../src/exchanges/binance/parse.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const RECEIVED = 1_700_000_000_000;

function fixture(path: string): unknown {
  return parseJson(fixtureText(`binance/${path}`));
}

function isDecodeNaming(field: string) {
  return (e: unknown): boolean => VenueError.is(e, 'decode') && e.message.includes(`field ${field}:`);
}

test('passes REST snapshot levels through untouched, with lastUpdateId as seq', () => {
  const body = fixture('rest/spot-depth-NKNUSDT-limit1000-recorded.json') as { bids: unknown; asks: unknown };
  const msg = parseDepthSnapshot(body, 'NKN/USDT', RECEIVED);
  assert.equal(msg.kind, 'snapshot');
  assert.equal(msg.seq, 499869752);
  assert.equal(msg.bids, body.bids, 'zero-copy: the same array');
  assert.equal(msg.asks, body.asks);
  assert.deepEqual(msg.bids[0], ['0.35210000', '672.00000000']);
  assert.equal(msg.exchangeTime, RECEIVED, 'spot snapshots carry no time');
  assert.equal(msg.firstSeq, undefined);
});

test('takes the USD-M snapshot time from E', () => {
  const msg = parseDepthSnapshot(fixture('rest/usdm-depth-recorded-2025-01.json'), 'BTC/USDT:USDT', RECEIVED);
  assert.equal(msg.seq, 37528941958);
  assert.equal(msg.exchangeTime, 1736586508705);
  assert.deepEqual(msg.asks[0], ['96174.30', '0.180']);
  assert.equal(parseDepthSnapshot(fixture('rest/usdm-depth.json'), 'X/USDT:USDT', RECEIVED).exchangeTime, 1589436922972);
});

test('maps a spot depthUpdate to a delta with U as firstSeq and u as seq', () => {
  const msg = parseDepthUpdate(fixture('ws/spot-depth-update.json'), 'BNB/BTC', RECEIVED);
  assert.deepEqual(
    { kind: msg.kind, seq: msg.seq, firstSeq: msg.firstSeq, prevSeq: msg.prevSeq, exchangeTime: msg.exchangeTime },
    { kind: 'delta', seq: 160, firstSeq: 157, prevSeq: undefined, exchangeTime: 1672515782136 },
  );
  assert.equal('prevSeq' in msg, false);
  assert.deepEqual(msg.bids, [['0.0024', '10']]);
});

test('maps a USD-M depthUpdate pu to prevSeq', () => {
  const msg = parseDepthUpdate(fixture('ws/usdm-depth-update.json'), 'BTC/USDT:USDT', RECEIVED);
  assert.deepEqual([msg.firstSeq, msg.seq, msg.prevSeq], [157, 160, 149]);
});

test('parses every recorded depth event and keeps the documented sequence chains', () => {
  let prev: number | undefined;
  for (const line of fixtureLines('binance/ws/spot-depth100ms-NKNUSDT-recorded-sequence.jsonl')) {
    const payload = (parseJson(line) as { data?: unknown }).data ?? parseJson(line);
    const msg = parseDepthUpdate(payload, 'NKN/USDT', RECEIVED);
    if (prev !== undefined) assert.equal(msg.firstSeq, prev + 1);
    prev = msg.seq as number;
  }
  prev = undefined;
  for (const line of fixtureLines('binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl')) {
    const payload = (parseJson(line) as { data?: unknown }).data ?? parseJson(line);
    const msg = parseDepthUpdate(payload, 'SUSHI/USDT:USDT', RECEIVED);
    if (prev !== undefined) assert.equal(msg.prevSeq, prev);
    prev = msg.seq as number;
  }
});

test('keeps every digit of a 19-digit trade id and a bigint update id', () => {
  const text = '{"e":"trade","E":1672515782136,"s":"BNBBTC","t":1234567890123456789,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}';
  assert.equal(parseTrade(parseJson(text), 'BNB/BTC', RECEIVED).id, '1234567890123456789');
  const depth = '{"e":"depthUpdate","E":1,"s":"X","U":12345678901234567890,"u":12345678901234567891,"b":[],"a":[]}';
  const msg = parseDepthUpdate(parseJson(depth), 'X/Y', RECEIVED);
  assert.equal(msg.seq, 12345678901234567891n);
  assert.equal(msg.firstSeq, 12345678901234567890n);
});

test('reads the taker side from m: buyer is maker means the taker sold', () => {
  const trade = parseTrade(fixture('ws/spot-trade.json'), 'BNB/BTC', RECEIVED);
  assert.deepEqual(
    { id: trade.id, price: trade.price.toString(), amount: trade.amount.toString(), side: trade.side, exchangeTime: trade.exchangeTime },
    { id: '12345', price: '0.001', amount: '100', side: 'sell', exchangeTime: 1672515782136 },
  );
  const buy = parseTrade({ ...(fixture('ws/spot-trade.json') as object), m: false }, 'BNB/BTC', RECEIVED);
  assert.equal(buy.side, 'buy');
});

test('parses aggregate trades from the stream and from REST with the aggregate id', () => {
  const ws = parseAggTrade(fixture('ws/usdm-agg-trade.json'), 'BTC/USDT:USDT', RECEIVED);
  assert.deepEqual([ws.id, ws.price.toString(), ws.amount.toString(), ws.side, ws.exchangeTime], ['5933014', '0.001', '100', 'sell', 123456785]);
  const [rest] = parseAggTrades(fixture('rest/spot-agg-trades.json'), 'LTC/BTC', RECEIVED);
  assert.ok(rest);
  assert.deepEqual([rest.id, rest.price.toString(), rest.amount.toString(), rest.exchangeTime], ['26129', '0.01633102', '4.70443515', 1498793709153]);
});

test('parses REST recent trades of both segments with exact decimals', () => {
  for (const file of ['rest/spot-trades.json', 'rest/usdm-trades.json']) {
    const [t] = parseRestTrades(fixture(file), 'LTC/BTC', RECEIVED);
    assert.ok(t);
    assert.deepEqual([t.id, t.price.toString(), t.amount.toString(), t.side, t.exchangeTime], ['28457', '4.00000100', '12.00000000', 'sell', 1499865549590]);
  }
});

test('parses the spot 24hrTicker event including best bid and ask', () => {
  const t = parseTicker(fixture('ws/spot-ticker-24hr.json'), 'BNB/BTC', RECEIVED);
  const strings = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, typeof v === 'object' ? String(v) : v]));
  assert.deepEqual(strings, {
    symbol: 'BNB/BTC',
    exchangeTime: 1672515782136,
    receivedAt: RECEIVED,
    last: '0.0025',
    bid: '0.0024',
    bidSize: '10',
    ask: '0.0026',
    askSize: '100',
    open: '0.0010',
    high: '0.0025',
    low: '0.0010',
    baseVolume: '10000',
    quoteVolume: '18',
    change: '0.0015',
    percentage: '250.00',
    vwap: '0.0018',
  });
});

test('leaves bid and ask absent on the USD-M 24hrTicker event, which has none', () => {
  const t = parseTicker(fixture('ws/usdm-ticker-24hr.json'), 'BTC/USDT:USDT', RECEIVED);
  assert.equal('bid' in t, false);
  assert.equal('ask' in t, false);
  assert.equal(t.last?.toString(), '0.0025');
});

test('parses the mini ticker events of both segments without change or book fields', () => {
  for (const file of ['ws/spot-mini-ticker.json', 'ws/usdm-mini-ticker.json']) {
    const t = parseTicker(fixture(file), 'X/Y', RECEIVED);
    assert.deepEqual(
      [t.last?.toString(), t.open?.toString(), t.high?.toString(), t.low?.toString(), t.baseVolume?.toString(), t.quoteVolume?.toString()],
      ['0.0025', '0.0010', '0.0025', '0.0010', '10000', '18'],
    );
    assert.equal('change' in t || 'bid' in t || 'vwap' in t, false);
  }
});

test('parses REST 24h tickers (full, mini, USD-M recorded) with closeTime as exchange time', () => {
  const full = parseTicker(fixture('rest/spot-ticker-24hr-full-single.json'), 'BNB/BTC', RECEIVED);
  assert.deepEqual(
    [full.last?.toString(), full.bid?.toString(), full.askSize?.toString(), full.change?.toString(), full.exchangeTime],
    ['4.00000200', '4.00000000', '100.00000000', '-94.99999800', 1499869899040],
  );
  const mini = parseTicker(fixture('rest/spot-ticker-24hr-mini-single.json'), 'BNB/BTC', RECEIVED);
  assert.equal(mini.change, undefined);
  assert.equal(mini.baseVolume?.toString(), '8913.30000000');
  const usdm = parseTicker(fixture('rest/usdm-ticker-24hr-recorded.json'), 'BTC/USDT:USDT', RECEIVED);
  assert.deepEqual([usdm.last?.toString(), usdm.percentage?.toString(), usdm.quoteVolume?.toString()], ['95771.60', '-0.472', '508037300.13']);
  const list = fixture('rest/spot-ticker-24hr-full-list.json') as unknown[];
  assert.equal(parseTicker(list[0], 'BNB/BTC', RECEIVED).high?.toString(), '100.00000000');
});

test('parses book tickers from spot and USD-M streams and REST', () => {
  const spot = parseBookTicker(fixture('ws/spot-book-ticker.json'), 'BNB/USDT', RECEIVED);
  assert.deepEqual(
    [spot.bid.toString(), spot.bidSize.toString(), spot.ask.toString(), spot.askSize.toString(), spot.updateId, spot.exchangeTime],
    ['25.35190000', '31.21000000', '25.36520000', '40.66000000', 400900217, RECEIVED],
  );
  const recorded = fixture('ws/usdm-book-ticker-recorded.json') as { data: unknown };
  const usdm = parseBookTicker(recorded.data, 'XRP/USDT:USDT', RECEIVED);
  assert.deepEqual([usdm.bid.toString(), usdm.askSize.toString(), usdm.updateId, usdm.exchangeTime], ['3.0290', '12824.3', 6500077103850, 1737442178641]);
  assert.equal(parseBookTicker(fixture('ws/usdm-book-ticker.json'), 'BNB/USDT:USDT', RECEIVED).exchangeTime, 1568014460893);
  const rest = parseBookTicker(fixture('rest/usdm-ticker-bookticker-single.json'), 'BTC/USDT:USDT', RECEIVED);
  assert.deepEqual([rest.bid.toString(), rest.askSize.toString(), rest.exchangeTime, rest.updateId], ['4.00000000', '9.00000000', 1589437530011, undefined]);
  for (const row of fixture('rest/spot-ticker-bookticker-list.json') as unknown[]) {
    assert.equal(parseBookTicker(row, 'X/Y', RECEIVED).exchangeTime, RECEIVED);
  }
  assert.equal(parseBookTicker(fixture('rest/spot-ticker-bookticker-single.json'), 'LTC/BTC', RECEIVED).bidSize.toString(), '431.00000000');
});

test('parses a forming kline event with its interval and closed flag', () => {
  for (const file of ['ws/spot-kline.json', 'ws/usdm-kline.json']) {
    const c = parseCandle(fixture(file), 'X/Y', RECEIVED);
    assert.deepEqual(
      [c.interval, c.open.toString(), c.high.toString(), c.low.toString(), c.close.toString(), c.volume.toString(), c.quoteVolume?.toString(), c.closed],
      ['1m', '0.0010', '0.0025', '0.0015', '0.0020', '1000', '1.0000', false],
    );
  }
  const closed = fixture('ws/spot-kline.json') as { k: Record<string, unknown> };
  assert.equal(parseCandle({ ...closed, k: { ...closed.k, x: true } }, 'X/Y', RECEIVED).closed, true);
});

test('parses REST kline rows and marks a row closed once its close time has passed', () => {
  for (const file of ['rest/spot-klines.json', 'rest/usdm-klines.json']) {
    const [c] = parseKlines(fixture(file), 'X/Y', '1d', RECEIVED);
    assert.ok(c);
    assert.deepEqual(
      [c.openTime, c.open.toString(), c.high.toString(), c.low.toString(), c.close.toString(), c.volume.toString(), c.quoteVolume?.toString()],
      [1499040000000, '0.01634790', '0.80000000', '0.01575800', '0.01577100', '148976.11427815', '2434.19055334'],
    );
    assert.equal(c.closed, true);
    assert.equal(c.exchangeTime, 1499644799999);
  }
  const [forming] = parseKlines(fixture('rest/spot-klines.json'), 'X/Y', '1d', 1499040000001);
  assert.equal(forming?.closed, false);
  assert.equal(forming?.exchangeTime, 1499040000001);
});

test('reads the server time of both segments', () => {
  assert.equal(parseServerTime(fixture('rest/spot-time.json')), 1499827319559);
  assert.equal(parseServerTime(fixture('rest/usdm-time.json')), 1499827319559);
});

test('finds the venue market id of stream and REST payloads', () => {
  assert.equal(marketIdOf(fixture('ws/spot-trade.json')), 'BNBBTC');
  assert.equal(marketIdOf(fixture('rest/spot-ticker-24hr-full-single.json')), 'BNBBTC');
  assert.equal(marketIdOf([1, 2]), undefined);
  assert.equal(marketIdOf(null), undefined);
});

test('rejects malformed payloads with a decode error naming the field', () => {
  const trade = fixture('ws/spot-trade.json') as Record<string, unknown>;
  const kline = fixture('ws/spot-kline.json') as { k: Record<string, unknown> };
  const depth = fixture('ws/usdm-depth-update.json') as Record<string, unknown>;
  const cases: Array<[() => unknown, string]> = [
    [() => parseTrade({ ...trade, p: 0.001 }, 'X/Y', RECEIVED), 'p'],
    [() => parseTrade({ ...trade, q: '1,5' }, 'X/Y', RECEIVED), 'q'],
    [() => parseTrade({ ...trade, t: 1.5 }, 'X/Y', RECEIVED), 't'],
    [() => parseTrade({ ...trade, m: 'true' }, 'X/Y', RECEIVED), 'm'],
    [() => parseTrade({ ...trade, T: undefined }, 'X/Y', RECEIVED), 'T'],
    [() => parseTrade('nope', 'X/Y', RECEIVED), 'trade'],
    [() => parseDepthUpdate({ ...depth, pu: 'x' }, 'X/Y', RECEIVED), 'pu'],
    [() => parseDepthUpdate({ ...depth, b: {} }, 'X/Y', RECEIVED), 'b'],
    [() => parseDepthSnapshot({ bids: [], asks: [] }, 'X/Y', RECEIVED), 'lastUpdateId'],
    [() => parseCandle({ ...kline, k: { ...kline.k, i: '7m' } }, 'X/Y', RECEIVED), 'k.i'],
    [() => parseCandle({ ...kline, k: { ...kline.k, c: null } }, 'X/Y', RECEIVED), 'k.c'],
    [() => parseKlines([[1, '1', '2', '0.5', '1', '10', 'soon', '5']], 'X/Y', '1m', RECEIVED), '[0][6]'],
    [() => parseRestTrades([{ id: 1, price: '1', qty: '1', time: 1 }], 'X/Y', RECEIVED), '[0].isBuyerMaker'],
    [() => parseTicker({ e: 'kline', E: 1 }, 'X/Y', RECEIVED), 'e'],
    [() => parseBookTicker({ u: 1, b: '1', B: '1', a: '', A: '1' }, 'X/Y', RECEIVED), 'a'],
    [() => parseServerTime({ serverTime: '1499827319559' }), 'serverTime'],
  ];
  for (const [run, field] of cases) assert.throws(run, isDecodeNaming(field), field);
});
