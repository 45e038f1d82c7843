/**
 * Pure OKX wire → model functions for market data: instruments, books (REST and `books`/`books5`/`bbo-tbt`
 * pushes), tickers, trades, candles, server time. Callers pass the unified symbol; nothing here looks up a
 * registry. REST parsers take the whole `{code,msg,data}` envelope; push parsers take the whole push frame.
 * Malformed input throws `VenueError('decode')` naming the field; sizes stay in the venue's units
 * (contracts for SWAP/FUTURES).
 */
import { Decimal, decimalsOf } from '../../core/decimal.js';
import { idString, updateId } from '../../core/json.js';
import type { UpdateId } from '../../core/json.js';
import type { BookTicker, Candle, DepthMessage, Market, Side, Ticker, Trade } from '../../core/model.js';
import { readRows, type ProblemSink } from '../../core/problems.js';
import { expiryCode, formatSymbol } from '../../core/symbols.js';
import { isOkxInstType, type OkxInstType } from './config.js';
import { okxError } from './errors.js';
import {
  asArray,
  asObject,
  decimalOf,
  fail,
  integerOf,
  readDecimal,
  readInteger,
  readOptionalDecimal,
  readOptionalInteger,
  readOptionalString,
  readPositiveDecimal,
  readString,
  type Fields,
} from './field-readers.js';
import { fromOkxBar } from './intervals.js';

// ---------------------------------------------------------------- envelopes

/** The `data` rows of a REST envelope; an envelope with a `code` other than "0" throws its decoded error. */
export function dataOf(body: unknown, what: string): readonly unknown[] {
  const o = asObject(body, what);
  const code = o['code'];
  if (code !== '0' && code !== 0) {
    const codeText = typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
    if (codeText === undefined) fail(`${what}.code`, 'an OKX response code', code);
    throw okxError(codeText, typeof o['msg'] === 'string' ? o['msg'] : '', { operation: what });
  }
  return asArray(o['data'], `${what}.data`);
}

/** The one `data` entry of a REST envelope or push frame that carries a single object. */
function firstData(rows: readonly unknown[], path: string): Fields {
  if (rows.length === 0) fail(`${path}[0]`, 'an object', undefined);
  return asObject(rows[0], `${path}[0]`);
}

/** True for SWAP, FUTURES and OPTION ids (`BTC-USDT-SWAP`, `BTC-USD-261225`): sizes are in contracts. */
export function isDerivativeId(instId: string): boolean {
  return instId.split('-').length > 2;
}

// ---------------------------------------------------------------- instruments

function baseAndQuote(row: Fields, instType: OkxInstType, path: string): [string, string] {
  if (instType === 'SPOT') return [readString(row, 'baseCcy', path), readString(row, 'quoteCcy', path)];
  // Derivatives leave baseCcy/quoteCcy empty: the underlying (`uly`, or `instFamily` in newer rows) names them.
  const family = readOptionalString(row, 'uly', path) ?? readOptionalString(row, 'instFamily', path) ?? readString(row, 'instId', path);
  const [base, quote] = family.split('-');
  if (base === undefined || base === '' || quote === undefined || quote === '') fail(`${path}uly`, 'an underlying like "BTC-USD"', family);
  return [base, quote];
}

function instrumentMarket(row: Fields, instType: OkxInstType, path: string): Market {
  const id = readString(row, 'instId', path);
  const state = readString(row, 'state', path);
  const tickSize = readDecimal(row, 'tickSz', path);
  const stepSize = readDecimal(row, 'lotSz', path);
  if (!tickSize.isPositive()) fail(`${path}tickSz`, 'a positive decimal', row['tickSz']);
  if (!stepSize.isPositive()) fail(`${path}lotSz`, 'a positive decimal', row['lotSz']);
  const [base, quote] = baseAndQuote(row, instType, path);
  const common = {
    id,
    venue: 'okx' as const,
    segment: instType,
    base,
    quote,
    status: state === 'live' ? ('active' as const) : ('inactive' as const),
    venueStatus: state,
    tickSize,
    stepSize,
    precision: { price: decimalsOf(tickSize), amount: decimalsOf(stepSize) },
  };
  const limits: { minQty?: Decimal; maxQty?: Decimal; marketMaxQty?: Decimal } = {};
  const minQty = readPositiveDecimal(row, 'minSz', path);
  const maxQty = readPositiveDecimal(row, 'maxLmtSz', path);
  if (minQty !== undefined) limits.minQty = minQty;
  if (maxQty !== undefined) limits.maxQty = maxQty;
  if (instType === 'SPOT') {
    // Spot `maxMktSz` is a USDT amount, not a quantity: it is not a market quantity limit.
    return { ...common, ...limits, symbol: formatSymbol({ base, quote }), type: 'spot' };
  }
  const marketMaxQty = readPositiveDecimal(row, 'maxMktSz', path);
  if (marketMaxQty !== undefined) limits.marketMaxQty = marketMaxQty;
  const ctType = readOptionalString(row, 'ctType', path);
  const linear = ctType === 'linear' ? true : ctType === 'inverse' ? false : undefined;
  const settle = readOptionalString(row, 'settleCcy', path) ?? (linear === false ? base : quote);
  const ctVal = readDecimal(row, 'ctVal', path);
  const ctMult = readPositiveDecimal(row, 'ctMult', path) ?? Decimal.ONE;
  const derivative = { ...common, ...limits, settle, linear: linear ?? settle === quote, contractSize: ctVal.mul(ctMult) };
  if (instType === 'SWAP') return { ...derivative, symbol: formatSymbol({ base, quote, settle }), type: 'swap' as const };
  const expiry = readInteger(row, 'expTime', path);
  return { ...derivative, symbol: formatSymbol({ base, quote, settle, expiry: expiryCode(expiry) }), type: 'future', expiry };
}

/**
 * Markets from `GET /api/v5/public/instruments?instType=...`: `BTC/USDT` (SPOT), `BTC/USDT:USDT` and
 * `BTC/USD:BTC` (SWAP), `BTC/USD:BTC-261225` (FUTURES, expiry YYMMDD UTC), as ccxt names them. Rows of other
 * types (OPTION, MARGIN) are skipped. `contractSize` = `ctVal × ctMult`; book and trade sizes stay in contracts.
 * @throws {VenueError} `decode` naming the first malformed field, or the envelope's error.
 */
export function parseInstruments(body: unknown, instType: OkxInstType): Market[] {
  const markets: Market[] = [];
  dataOf(body, 'instruments').forEach((r, i) => {
    const path = `data[${i}].`;
    const row = asObject(r, `data[${i}]`);
    const type = readOptionalString(row, 'instType', path) ?? instType;
    if (!isOkxInstType(type)) return;
    markets.push(instrumentMarket(row, type, path));
  });
  return markets;
}

// ---------------------------------------------------------------- books

// The book readers below run for every push: field paths for error messages are built only on failure.

function levels(o: Fields, key: string, path: string): ReadonlyArray<ReadonlyArray<string>> {
  const value = o[key];
  if (!Array.isArray(value)) fail(`${path}${key}`, 'an array of [price, size, "0", orders]', value);
  return value as ReadonlyArray<ReadonlyArray<string>>;
}

function optionalSeq(o: Fields, key: string, path: string): UpdateId | undefined {
  const v = o[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  return v === undefined || v === null ? undefined : updateId(v, `${path}${key}`);
}

/** `ts`: a digit string on every push (up to 15 digits read directly, the hot path), else the checked reader. */
function bookTime(o: Fields, path: string, receivedAt: number): number {
  const ts = o['ts'];
  if (typeof ts === 'string' && ts.length > 0 && ts.length <= 15 && /^\d+$/.test(ts)) return Number(ts);
  return readOptionalInteger(o, 'ts', path) ?? receivedAt;
}

/**
 * One book object (`data[0]` of a REST books response or a push). `seq` = `seqId`, or -1 when the venue
 * sent none (recordings from before seqId existed; a REST snapshot without one cannot be aligned).
 */
function bookMessage(o: Fields, kind: 'snapshot' | 'delta', symbol: string, receivedAt: number, path: string): DepthMessage {
  const msg: { -readonly [K in keyof DepthMessage]: DepthMessage[K] } = {
    kind,
    symbol,
    seq: optionalSeq(o, 'seqId', path) ?? -1,
    bids: levels(o, 'bids', path),
    asks: levels(o, 'asks', path),
    exchangeTime: bookTime(o, path, receivedAt),
    receivedAt,
  };
  if (kind === 'delta') {
    const prev = optionalSeq(o, 'prevSeqId', path);
    if (prev !== undefined) msg.prevSeq = prev;
  }
  const checksum = o['checksum'];
  if (checksum !== undefined && checksum !== null) {
    if (typeof checksum !== 'number' || !Number.isSafeInteger(checksum)) fail(`${path}checksum`, 'a signed 32-bit integer', checksum);
    msg.checksum = checksum;
  }
  return msg;
}

/** `GET /api/v5/market/books` (or `books-full`): a snapshot; `seq` = `seqId` when the venue sends it. */
export function parseBooksResponse(body: unknown, symbol: string, receivedAt: number): DepthMessage {
  return bookMessage(firstData(dataOf(body, 'books'), 'books.data'), 'snapshot', symbol, receivedAt, 'books.data[0].');
}

/** The push frame `{arg, action?, data:[...]}` as an object, with its `data` rows. */
function pushOf(frame: unknown, what: string): { push: Fields; rows: readonly unknown[] } {
  const push = asObject(frame, what);
  return { push, rows: asArray(push['data'], `${what}.data`) };
}

/** Book channels whose every push is a full snapshot of their depth, sent without `action` (protocols.md §4.5). */
const SNAPSHOT_ONLY_CHANNELS: ReadonlySet<unknown> = new Set(['books5', 'bbo-tbt']);

/**
 * A book push: `books` (also `books-l2-tbt`, `books50-l2-tbt`: `action` snapshot/update, `seqId`, `prevSeqId`,
 * `checksum`), `books5` and `bbo-tbt` (no action: each push is a full snapshot of its depth). An update becomes a
 * delta with `prevSeq`. A push of any other channel without `action` is a `decode` problem, never taken for a
 * snapshot: it would replace the whole book with what may be one update's levels.
 */
export function parseBookPush(frame: unknown, symbol: string, receivedAt: number): DepthMessage {
  const { push, rows } = pushOf(frame, 'book push');
  if (rows.length !== 1) fail('book push.data', 'exactly one book', rows);
  const action = push['action'];
  if (action === undefined ? !SNAPSHOT_ONLY_CHANNELS.has(channelOf(push)) : action !== 'snapshot' && action !== 'update') {
    fail('book push.action', '"snapshot" or "update" (only books5 and bbo-tbt pushes go without one)', action);
  }
  return bookMessage(asObject(rows[0], 'data[0]'), action === 'update' ? 'delta' : 'snapshot', symbol, receivedAt, 'data[0].');
}

/** `arg.channel` of a push, when it has one. */
function channelOf(push: Fields): unknown {
  const arg = push['arg'];
  return typeof arg === 'object' && arg !== null ? (arg as Fields)['channel'] : undefined;
}

function bestLevel(o: Fields, side: 'bids' | 'asks', path: string): [Decimal, Decimal] {
  const lv = asArray(o[side], `${path}${side}`);
  const first = asArray(lv[0], `${path}${side}[0]`);
  return [decimalOf(first[0], `${path}${side}[0][0]`), decimalOf(first[1], `${path}${side}[0][1]`)];
}

/** Best bid/offer from a `bbo-tbt` (or `books5`) push: the first level of each side; `updateId` = `seqId`. */
export function parseBboPush(frame: unknown, symbol: string, receivedAt: number): BookTicker {
  const { rows } = pushOf(frame, 'bbo push');
  const o = firstData(rows, 'data');
  const [bid, bidSize] = bestLevel(o, 'bids', 'data[0].');
  const [ask, askSize] = bestLevel(o, 'asks', 'data[0].');
  const ticker: { -readonly [K in keyof BookTicker]: BookTicker[K] } = {
    symbol,
    bid,
    bidSize,
    ask,
    askSize,
    exchangeTime: readOptionalInteger(o, 'ts', 'data[0].') ?? receivedAt,
    receivedAt,
  };
  const seq = optionalSeq(o, 'seqId', 'data[0].');
  if (seq !== undefined) ticker.updateId = seq;
  return ticker;
}

// ---------------------------------------------------------------- tickers

/** Copies the defined entries of `fields` onto `target` (keeps optional model fields truly absent). */
function withDefined<T extends object>(target: T, fields: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

/**
 * One ticker object. Volumes in the model's units: spot `vol24h` is base and `volCcy24h` quote; for
 * derivatives `volCcy24h` is base (and `vol24h` contracts), with no quote volume. `change` = last − open24h.
 */
function tickerOf(o: Fields, symbol: string, receivedAt: number, path: string): Ticker {
  const instType = readOptionalString(o, 'instType', path);
  const instId = readOptionalString(o, 'instId', path);
  const derivative = instType !== undefined ? instType !== 'SPOT' && instType !== 'MARGIN' : instId !== undefined && isDerivativeId(instId);
  const last = readOptionalDecimal(o, 'last', path);
  const open = readOptionalDecimal(o, 'open24h', path);
  const volCcy = readOptionalDecimal(o, 'volCcy24h', path);
  const vol = readOptionalDecimal(o, 'vol24h', path);
  return withDefined({ symbol, exchangeTime: readOptionalInteger(o, 'ts', path) ?? receivedAt, receivedAt } as Ticker, {
    last,
    bid: readOptionalDecimal(o, 'bidPx', path),
    bidSize: readOptionalDecimal(o, 'bidSz', path),
    ask: readOptionalDecimal(o, 'askPx', path),
    askSize: readOptionalDecimal(o, 'askSz', path),
    open,
    high: readOptionalDecimal(o, 'high24h', path),
    low: readOptionalDecimal(o, 'low24h', path),
    baseVolume: derivative ? volCcy : vol,
    quoteVolume: derivative ? undefined : volCcy,
    change: last !== undefined && open !== undefined ? last.sub(open) : undefined,
  });
}

/** `GET /api/v5/market/ticker?instId=...` (the first row). */
export function parseTickerResponse(body: unknown, symbol: string, receivedAt: number): Ticker {
  return tickerOf(firstData(dataOf(body, 'ticker'), 'ticker.data'), symbol, receivedAt, 'data[0].');
}

/** A `tickers` push. */
export function parseTickerPush(frame: unknown, symbol: string, receivedAt: number): Ticker {
  return tickerOf(firstData(pushOf(frame, 'tickers push').rows, 'data'), symbol, receivedAt, 'data[0].');
}

// ---------------------------------------------------------------- trades

/** A trade's price or size: a decimal above zero (a trade of nothing, or at no price, is nonsense). */
function readPositiveTradeValue(o: Fields, key: string, path: string, what: string): Decimal {
  const d = readDecimal(o, key, path);
  if (!d.isPositive()) fail(`${path}${key}`, `a positive ${what}`, o[key]);
  return d;
}

function tradeOf(o: Fields, symbol: string, receivedAt: number, path: string): Trade {
  const side = o['side'];
  if (side !== 'buy' && side !== 'sell') fail(`${path}side`, '"buy" or "sell"', side);
  return {
    symbol,
    id: idString(o['tradeId'], `${path}tradeId`),
    price: readPositiveTradeValue(o, 'px', path, 'price'),
    amount: readPositiveTradeValue(o, 'sz', path, 'size'),
    side: side as Side,
    exchangeTime: readInteger(o, 'ts', path),
    receivedAt,
  };
}

/**
 * `GET /api/v5/market/trades` (rows newest first), returned oldest first. `side` is the taker's. A row that
 * cannot be read (or has a price or size ≤ 0) goes to `problems` when given and the others stand; else it throws.
 */
export function parseTradesResponse(body: unknown, symbol: string, receivedAt: number, problems?: ProblemSink): Trade[] {
  const rows = dataOf(body, 'trades');
  const read = (row: unknown, i: number): Trade => tradeOf(asObject(row, `data[${i}]`), symbol, receivedAt, `data[${i}].`);
  return readRows('okx', rows, read, problems, (i) => `data[${i}]`, 'trade refused').reverse();
}

/** A `trades` push: every trade it carries, in the order sent; a trade refused goes to `problems` when given, else throws. */
export function parseTradesPush(frame: unknown, symbol: string, receivedAt: number, problems?: ProblemSink): Trade[] {
  const read = (row: unknown, i: number): Trade => tradeOf(asObject(row, `data[${i}]`), symbol, receivedAt, `data[${i}].`);
  return readRows('okx', pushOf(frame, 'trades push').rows, read, problems, (i) => `data[${i}]`, 'trade refused');
}

// ---------------------------------------------------------------- candles

/**
 * One candle row `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`. `volume` is in base units (spot
 * `vol`, derivatives `volCcy`); `quoteVolume` is `volCcyQuote` (spot falls back to `volCcy`). OKX sends no
 * event time for candles: `exchangeTime` is `receivedAt`.
 */
function candleOf(r: unknown, symbol: string, interval: string, derivative: boolean, receivedAt: number, path: string): Candle {
  const row = asArray(r, path);
  const at = (i: number): Decimal => decimalOf(row[i], `${path}[${i}]`);
  const confirm = row[8];
  if (confirm !== '0' && confirm !== '1') fail(`${path}[8]`, '"0" or "1" (confirm)', confirm);
  const quote = row[7] !== undefined && row[7] !== '' ? at(7) : derivative ? undefined : at(6);
  const candle: { -readonly [K in keyof Candle]: Candle[K] } = {
    symbol,
    interval,
    openTime: integerOf(row[0], `${path}[0]`),
    open: at(1),
    high: at(2),
    low: at(3),
    close: at(4),
    volume: derivative ? at(6) : at(5),
    closed: confirm === '1',
    exchangeTime: receivedAt,
    receivedAt,
  };
  if (quote !== undefined) candle.quoteVolume = quote;
  return candle;
}

/** `GET /api/v5/market/candles` (rows newest first), returned oldest first. */
export function parseCandlesResponse(body: unknown, symbol: string, interval: string, derivative: boolean, receivedAt: number): Candle[] {
  const rows = dataOf(body, 'candles');
  const out: Candle[] = [];
  for (let i = rows.length - 1; i >= 0; i--) out.push(candleOf(rows[i], symbol, interval, derivative, receivedAt, `data[${i}]`));
  return out;
}

/** A `candle{bar}` push (business connection); the interval comes from the channel name. */
export function parseCandlePush(frame: unknown, symbol: string, receivedAt: number): Candle[] {
  const { push, rows } = pushOf(frame, 'candle push');
  const arg = asObject(push['arg'], 'arg');
  const channel = readString(arg, 'channel', 'arg.');
  const interval = channel.startsWith('candle') ? fromOkxBar(channel.slice('candle'.length)) : undefined;
  if (interval === undefined) fail('arg.channel', 'a candle channel like "candle1m"', channel);
  const derivative = isDerivativeId(readString(arg, 'instId', 'arg.'));
  return rows.map((r, i) => candleOf(r, symbol, interval, derivative, receivedAt, `data[${i}]`));
}

// ---------------------------------------------------------------- misc

/** `GET /api/v5/public/time`: `data[0].ts` in ms. */
export function parseServerTime(body: unknown): number {
  return readInteger(firstData(dataOf(body, 'time'), 'time.data'), 'ts', 'time.data[0].');
}

/** The channel and instrument a push frame is about (`arg.channel`, `arg.instId`), if it is a push. */
export function pushArgOf(frame: unknown): { channel: string; instId: string } | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const arg = (frame as { arg?: unknown }).arg;
  if (typeof arg !== 'object' || arg === null || !('data' in frame)) return undefined;
  const { channel, instId } = arg as { channel?: unknown; instId?: unknown };
  return typeof channel === 'string' && typeof instId === 'string' ? { channel, instId } : undefined;
}
