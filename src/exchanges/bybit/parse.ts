/**
 * Pure Bybit v5 wire → model functions for market data (markets, server time, order books, trades,
 * tickers, candles). Callers pass the unified symbol; nothing here looks up a registry.
 * Malformed input throws `VenueError('decode')` naming the field; an error envelope throws its mapped error.
 */
import { Decimal, decimalsOf } from '../../core/decimal.js';
import { idString, updateId } from '../../core/json.js';
import type { BookTicker, Candle, DepthMessage, Market, MarketType, Side, Ticker, Trade } from '../../core/model.js';
import { readRows, type ProblemSink } from '../../core/problems.js';
import { expiryCode, formatSymbol } from '../../core/symbols.js';
import type { BybitCategory } from './config.js';
import { envelopeError } from './errors.js';
import {
  asArray,
  asObject,
  decimalOf,
  fail,
  integerOf,
  readBoolean,
  readDecimal,
  readInteger,
  readLimit,
  readOptionalDecimal,
  readOptionalInteger,
  readOptionalString,
  readStep,
  readString,
  type Fields,
} from './field-readers.js';
import { fromBybitInterval, nextOpenTime } from './intervals.js';

// ---------------------------------------------------------------- envelope

/**
 * The `result` object of a REST envelope. A `retCode` other than 0 throws the mapped error (the HTTP
 * client normally catches it first); a body without an envelope is read as the result itself.
 */
export function resultOf(body: unknown, what: string): Fields {
  const o = asObject(body, what);
  if (!('retCode' in o)) return o;
  const retCode = integerOf(o['retCode'], 'retCode');
  if (retCode !== 0) throw envelopeError(retCode, typeof o['retMsg'] === 'string' ? o['retMsg'] : '', what);
  return asObject(o['result'], 'result');
}

/** The envelope's server time (`time`, ms), if present. */
function envelopeTime(body: unknown): number | undefined {
  const t = (body as { time?: unknown }).time;
  return typeof t === 'number' && Number.isSafeInteger(t) ? t : undefined;
}

// ---------------------------------------------------------------- markets

const ACTIVE_STATUS = 'Trading';

function spotMarket(s: Fields, path: string): Market {
  const id = readString(s, 'symbol', path);
  const base = readString(s, 'baseCoin', path);
  const quote = readString(s, 'quoteCoin', path);
  const status = readString(s, 'status', path);
  const lotPath = `${path}lotSizeFilter.`;
  const lot = asObject(s['lotSizeFilter'], `${path}lotSizeFilter`);
  const price = asObject(s['priceFilter'], `${path}priceFilter`);
  const tickSize = readStep(price, 'tickSize', `${path}priceFilter.`);
  const stepSize = readStep(lot, 'basePrecision', lotPath);
  const market: Market = {
    symbol: formatSymbol({ base, quote }),
    id,
    venue: 'bybit',
    type: 'spot',
    segment: 'spot',
    base,
    quote,
    status: status === ACTIVE_STATUS ? 'active' : 'inactive',
    venueStatus: status,
    tickSize,
    stepSize,
    precision: { price: decimalsOf(tickSize), amount: decimalsOf(stepSize) },
  };
  return withDefined(market, {
    minQty: readLimit(lot, 'minOrderQty', lotPath),
    // `maxOrderQty` is the older, deprecated name of the limit-order maximum.
    maxQty: readLimit(lot, 'maxLimitOrderQty', lotPath) ?? readLimit(lot, 'maxOrderQty', lotPath),
    marketMaxQty: readLimit(lot, 'maxMarketOrderQty', lotPath),
    minNotional: readLimit(lot, 'minOrderAmt', lotPath),
    maxNotional: readLimit(lot, 'maxOrderAmt', lotPath),
  });
}

function contractMarket(s: Fields, path: string, category: 'linear' | 'inverse'): Market {
  const id = readString(s, 'symbol', path);
  const base = readString(s, 'baseCoin', path);
  const quote = readString(s, 'quoteCoin', path);
  const linear = category === 'linear';
  const settle = readOptionalString(s, 'settleCoin', path) ?? (linear ? quote : base);
  const status = readString(s, 'status', path);
  const contractType = readOptionalString(s, 'contractType', path) ?? '';
  const deliveryTime = readOptionalInteger(s, 'deliveryTime', path) ?? 0;
  const perpetual = contractType.endsWith('Perpetual') || deliveryTime === 0;
  const type: MarketType = perpetual ? 'swap' : 'future';
  const lotPath = `${path}lotSizeFilter.`;
  const pricePath = `${path}priceFilter.`;
  const lot = asObject(s['lotSizeFilter'], `${path}lotSizeFilter`);
  const price = asObject(s['priceFilter'], `${path}priceFilter`);
  const tickSize = readStep(price, 'tickSize', pricePath);
  const stepSize = readStep(lot, 'qtyStep', lotPath);
  const market: Market = {
    symbol: formatSymbol(perpetual ? { base, quote, settle } : { base, quote, settle, expiry: expiryCode(deliveryTime) }),
    id,
    venue: 'bybit',
    type,
    segment: category,
    base,
    quote,
    settle,
    linear,
    // Linear quantities are in base coin, inverse ones in contracts of 1 USD.
    contractSize: Decimal.ONE,
    status: status === ACTIVE_STATUS ? 'active' : 'inactive',
    venueStatus: status,
    tickSize,
    stepSize,
    precision: { price: decimalsOf(tickSize), amount: decimalsOf(stepSize) },
  };
  return withDefined(market, {
    expiry: perpetual ? undefined : deliveryTime,
    minQty: readLimit(lot, 'minOrderQty', lotPath),
    maxQty: readLimit(lot, 'maxOrderQty', lotPath),
    marketMaxQty: readLimit(lot, 'maxMktOrderQty', lotPath),
    minNotional: readLimit(lot, 'minNotionalValue', lotPath),
    minPrice: readLimit(price, 'minPrice', pricePath),
    maxPrice: readLimit(price, 'maxPrice', pricePath),
  });
}

/**
 * Markets from `GET /v5/market/instruments-info` of one category, in the ccxt grammar: spot `BTC/USDT`,
 * linear perpetuals `BTC/USDT:USDT` / `BTC/USDC:USDC`, inverse perpetuals `BTC/USD:BTC`, dated futures
 * `…-YYMMDD` from `deliveryTime` (UTC). `Trading` is active; PreLaunch, Settling, Delivering, Closed are
 * inactive with `venueStatus` kept. An option list gives no markets (options are not served).
 * @throws {VenueError} `decode` naming the first malformed field.
 */
export function parseMarkets(body: unknown, category: BybitCategory | 'option'): Market[] {
  const result = resultOf(body, 'instruments-info');
  const listed = readOptionalString(result, 'category', 'result.');
  if (category === 'option' || listed === 'option') return [];
  const list = asArray(result['list'], 'result.list');
  return list.map((item, i) => {
    const path = `result.list[${i}].`;
    const s = asObject(item, `result.list[${i}]`);
    return category === 'spot' ? spotMarket(s, path) : contractMarket(s, path, category);
  });
}

/** The cursor of the next instruments page, or undefined when this was the last one. */
export function nextPageCursor(body: unknown): string | undefined {
  return readOptionalString(resultOf(body, 'instruments-info'), 'nextPageCursor', 'result.');
}

// ---------------------------------------------------------------- server time

/**
 * `GET /v5/market/time` in ms: from `timeNano` (exact, by dropping six digits), else `timeSecond`, else
 * the envelope's `time`.
 */
export function parseServerTime(body: unknown): number {
  const result = resultOf(body, 'time');
  const nano = readOptionalString(result, 'timeNano', 'result.');
  if (nano !== undefined) {
    if (!/^\d{7,}$/.test(nano)) fail('result.timeNano', 'nanoseconds as a digit string', nano);
    return integerOf(nano.slice(0, -6), 'result.timeNano');
  }
  const seconds = readOptionalInteger(result, 'timeSecond', 'result.');
  if (seconds !== undefined) return seconds * 1000;
  const time = envelopeTime(body);
  if (time === undefined) fail('result.timeNano', 'a server time', undefined);
  return time;
}

// ---------------------------------------------------------------- order book

function levels(value: unknown, path: string): ReadonlyArray<ReadonlyArray<string>> {
  if (!Array.isArray(value)) fail(path, 'an array of [price, size]', value);
  return value as ReadonlyArray<ReadonlyArray<string>>;
}

/** `GET /v5/market/orderbook`: a snapshot at `u`; `exchangeTime` is the matching-engine time `cts` (else `ts`). */
export function parseDepthSnapshot(body: unknown, symbol: string, receivedAt: number): DepthMessage {
  const r = resultOf(body, 'orderbook');
  return {
    kind: 'snapshot',
    symbol,
    seq: updateId(r['u'], 'result.u'),
    bids: levels(r['b'], 'result.b'),
    asks: levels(r['a'], 'result.a'),
    exchangeTime: readOptionalInteger(r, 'cts', 'result.') ?? readInteger(r, 'ts', 'result.'),
    receivedAt,
  };
}

/**
 * An `orderbook.{depth}.{symbol}` frame (also Bybit's archive format, one frame per line). `seq` = `u`.
 * A `snapshot` resets the book; so does any frame with `u == 1`, which Bybit sends after a service
 * restart. Levels are the frame's own arrays; `exchangeTime` is `cts` (else `ts`).
 */
export function parseBookFrame(frame: unknown, symbol: string, receivedAt: number): DepthMessage {
  const o = asObject(frame, 'orderbook');
  const data = asObject(o['data'], 'data');
  const type = o['type'];
  if (type !== 'snapshot' && type !== 'delta') fail('type', '"snapshot" or "delta"', type);
  const seq = updateId(data['u'], 'data.u');
  // Built in one shape (no spread): this runs for every frame of the stream.
  const msg: { -readonly [K in keyof DepthMessage]: DepthMessage[K] } = {
    kind: type === 'snapshot' || seq === 1 ? 'snapshot' : 'delta',
    symbol,
    seq,
    bids: levels(data['b'], 'data.b'),
    asks: levels(data['a'], 'data.a'),
    exchangeTime: frameTime(o),
    receivedAt,
  };
  if (data['seq'] !== undefined) msg.crossSeq = updateId(data['seq'], 'data.seq');
  return msg;
}

/** A push's `exchangeTime`: `cts` (a safe integer on every recorded frame, the hot path), else `ts`. */
function frameTime(o: Fields): number {
  const cts = o['cts'];
  if (typeof cts === 'number' && Number.isSafeInteger(cts)) return cts;
  return readOptionalInteger(o, 'cts', '') ?? readInteger(o, 'ts', '');
}

/** The cross sequence `seq` of an order-book frame (comparable across depths), kept for callers that want it. */
export function bookCrossSeq(frame: unknown): bigint | number {
  return updateId(asObject(asObject(frame, 'orderbook')['data'], 'data')['seq'], 'data.seq');
}

function bestLevel(value: unknown, path: string): [Decimal, Decimal] {
  const row = asArray(asArray(value, path)[0], `${path}[0]`);
  return [decimalOf(row[0], `${path}[0][0]`), decimalOf(row[1], `${path}[0][1]`)];
}

/** Best bid/offer from an `orderbook.1.{symbol}` frame (always a snapshot; resent unchanged after 3 s). */
export function parseBookTicker(frame: unknown, symbol: string, receivedAt: number): BookTicker {
  const o = asObject(frame, 'orderbook');
  const data = asObject(o['data'], 'data');
  const [bid, bidSize] = bestLevel(data['b'], 'data.b');
  const [ask, askSize] = bestLevel(data['a'], 'data.a');
  return {
    symbol,
    bid,
    bidSize,
    ask,
    askSize,
    updateId: updateId(data['u'], 'data.u'),
    exchangeTime: frameTime(o),
    receivedAt,
  };
}

// ---------------------------------------------------------------- trades

function sideOf(value: unknown, path: string): Side {
  if (value === 'Buy') return 'buy';
  if (value === 'Sell') return 'sell';
  fail(path, '"Buy" or "Sell"', value);
}

/** A trade's price or size: a decimal above zero (a trade of nothing, or at no price, is nonsense). */
function readPositive(o: Fields, key: string, path: string, what: string): Decimal {
  const d = readDecimal(o, key, path);
  if (!d.isPositive()) fail(`${path}${key}`, `a positive ${what}`, o[key]);
  return d;
}

/**
 * A `publicTrade.{symbol}` frame: several trades, taker side `S`, id `i` (UUID on derivatives). A trade that
 * cannot be read (or has a price or size ≤ 0) goes to `problems` when given and the others stand; without a
 * sink it throws.
 */
export function parseTradeFrame(frame: unknown, symbol: string, receivedAt: number, problems?: ProblemSink): Trade[] {
  const data = asArray(asObject(frame, 'publicTrade')['data'], 'data');
  const read = (row: unknown, i: number): Trade => {
    const path = `data[${i}].`;
    const t = asObject(row, `data[${i}]`);
    return {
      symbol,
      id: idString(t['i'], `${path}i`),
      price: readPositive(t, 'p', path, 'price'),
      amount: readPositive(t, 'v', path, 'size'),
      side: sideOf(t['S'], `${path}S`),
      exchangeTime: readInteger(t, 'T', path),
      receivedAt,
    };
  };
  return readRows('bybit', data, read, problems, (i) => `data[${i}]`, 'trade refused');
}

/** `GET /v5/market/recent-trade`, returned oldest first (the venue lists newest first); a row refused goes to `problems` when given, else throws. */
export function parseRestTrades(body: unknown, symbol: string, receivedAt: number, problems?: ProblemSink): Trade[] {
  const list = asArray(resultOf(body, 'recent-trade')['list'], 'result.list');
  const read = (row: unknown, i: number): Trade => {
    const path = `result.list[${i}].`;
    const t = asObject(row, `result.list[${i}]`);
    return {
      symbol,
      id: idString(t['execId'], `${path}execId`),
      price: readPositive(t, 'price', path, 'price'),
      amount: readPositive(t, 'size', path, 'size'),
      side: sideOf(t['side'], `${path}side`),
      exchangeTime: readInteger(t, 'time', path),
      receivedAt,
    };
  };
  const trades = readRows('bybit', list, read, problems, (i) => `result.list[${i}]`, 'trade refused');
  return trades.sort((a, b) => a.exchangeTime - b.exchangeTime);
}

// ---------------------------------------------------------------- tickers

/** Copies the defined entries of `fields` onto `target` (keeps optional model fields truly absent). */
function withDefined<T extends object>(target: T, fields: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

type TickerFields = { -readonly [K in Exclude<keyof Ticker, 'symbol' | 'exchangeTime' | 'receivedAt'>]?: Ticker[K] };

const HUNDRED = Decimal.from('100');

/**
 * The ticker fields a payload carries (a delta carries only the changed ones). Inverse volumes are
 * swapped: `volume24h` counts USD contracts (quote), `turnover24h` the base coin.
 */
function tickerFields(t: Fields, path: string, inverse: boolean): TickerFields {
  const volume = readOptionalDecimal(t, 'volume24h', path);
  const turnover = readOptionalDecimal(t, 'turnover24h', path);
  const pcnt = readOptionalDecimal(t, 'price24hPcnt', path);
  return withDefined<TickerFields>(
    {},
    {
      last: readOptionalDecimal(t, 'lastPrice', path),
      bid: readOptionalDecimal(t, 'bid1Price', path),
      bidSize: readOptionalDecimal(t, 'bid1Size', path),
      ask: readOptionalDecimal(t, 'ask1Price', path),
      askSize: readOptionalDecimal(t, 'ask1Size', path),
      open: readOptionalDecimal(t, 'prevPrice24h', path),
      high: readOptionalDecimal(t, 'highPrice24h', path),
      low: readOptionalDecimal(t, 'lowPrice24h', path),
      baseVolume: inverse ? turnover : volume,
      quoteVolume: inverse ? volume : turnover,
      percentage: pcnt?.mul(HUNDRED),
    },
  );
}

/** `change` = last − open whenever both are known. */
function withChange(t: Ticker): Ticker {
  if (t.last === undefined || t.open === undefined) return t;
  return { ...t, change: t.last.sub(t.open) };
}

/** `GET /v5/market/tickers` for one symbol; `exchangeTime` is the envelope's `time`. */
export function parseRestTicker(body: unknown, symbol: string, receivedAt: number, inverse = false): Ticker {
  const list = asArray(resultOf(body, 'tickers')['list'], 'result.list');
  if (list.length === 0) fail('result.list', 'one ticker', list);
  const fields = tickerFields(asObject(list[0], 'result.list[0]'), 'result.list[0].', inverse);
  return withChange({ symbol, exchangeTime: envelopeTime(body) ?? receivedAt, receivedAt, ...fields });
}

/**
 * A `tickers.{symbol}` frame. Snapshots (and every spot frame) stand alone; a linear/inverse `delta`
 * carries only the changed fields and is merged onto `previous`. `exchangeTime` is the frame's `ts`.
 */
export function parseTickerFrame(frame: unknown, symbol: string, receivedAt: number, previous: Ticker | undefined, inverse = false): Ticker {
  const o = asObject(frame, 'tickers');
  const fields = tickerFields(asObject(o['data'], 'data'), 'data.', inverse);
  const base = o['type'] === 'delta' && previous !== undefined ? previous : undefined;
  return withChange({ ...base, ...fields, symbol, exchangeTime: readOptionalInteger(o, 'ts', '') ?? receivedAt, receivedAt });
}

// ---------------------------------------------------------------- candles

/**
 * `GET /v5/market/kline` rows, returned oldest first (the venue lists newest first). A row counts as
 * closed when the next candle opens at or before `receivedAt`; `exchangeTime` is its close time (the
 * last ms) when closed, `receivedAt` for the forming one. Inverse `volume` counts USD contracts, so the
 * base volume is `turnover` there.
 */
export function parseKlines(body: unknown, symbol: string, interval: string, receivedAt: number, inverse = false): Candle[] {
  const list = asArray(resultOf(body, 'kline')['list'], 'result.list');
  const candles = list.map((r, i): Candle => {
    const path = `result.list[${i}]`;
    const row = asArray(r, path);
    const openTime = integerOf(row[0], `${path}[0]`);
    const closeTime = nextOpenTime(interval, openTime) - 1;
    const closed = closeTime < receivedAt;
    const volume = decimalOf(row[5], `${path}[5]`);
    const turnover = decimalOf(row[6], `${path}[6]`);
    return {
      symbol,
      interval,
      openTime,
      open: decimalOf(row[1], `${path}[1]`),
      high: decimalOf(row[2], `${path}[2]`),
      low: decimalOf(row[3], `${path}[3]`),
      close: decimalOf(row[4], `${path}[4]`),
      volume: inverse ? turnover : volume,
      quoteVolume: inverse ? volume : turnover,
      closed,
      exchangeTime: closed ? closeTime : receivedAt,
      receivedAt,
    };
  });
  return candles.sort((a, b) => a.openTime - b.openTime);
}

/** A `kline.{interval}.{symbol}` frame: one or more candles, closed when `confirm` is true. */
export function parseKlineFrame(frame: unknown, symbol: string, receivedAt: number, inverse = false): Candle[] {
  const data = asArray(asObject(frame, 'kline')['data'], 'data');
  return data.map((row, i) => {
    const path = `data[${i}].`;
    const k = asObject(row, `data[${i}]`);
    const volume = readDecimal(k, 'volume', path);
    const turnover = readDecimal(k, 'turnover', path);
    return {
      symbol,
      interval: fromBybitInterval(k['interval'], `${path}interval`),
      openTime: readInteger(k, 'start', path),
      open: readDecimal(k, 'open', path),
      high: readDecimal(k, 'high', path),
      low: readDecimal(k, 'low', path),
      close: readDecimal(k, 'close', path),
      volume: inverse ? turnover : volume,
      quoteVolume: inverse ? volume : turnover,
      closed: readBoolean(k, 'confirm', path),
      exchangeTime: readInteger(k, 'timestamp', path),
      receivedAt,
    };
  });
}
