/**
 * Pure OKX wire → model parsers for trading and account data: place/cancel acks, orders (REST and `orders`
 * pushes, with the fill a push carries), fills, balances (REST and `account` pushes) and positions. A malformed
 * essential field (ids, side, quantities, a fill's price) throws `VenueError('decode')` naming it; an unknown
 * state or order type passes through (`venueStatus`, `venueType`) and an unreadable non-essential field is left
 * out, both noted on the result's `problems`.
 */
import type { Decimal } from '../../core/decimal.js';
import type { Side } from '../../core/model.js';
import type { Fill, OrderReport, OrderType, ReportedStatus, TimeInForce } from '../../core/orders/order-model.js';
import { attempt, ProblemLog } from '../../core/problems.js';
import type { BalanceEntry, Balances, MarginMode, MarketResolver, Position, PositionSide } from '../../core/trading.js';
import { okxError } from './errors.js';
import {
  asArray,
  asObject,
  fail,
  readDecimal,
  readOptionalDecimal,
  readOptionalInteger,
  readOptionalString,
  readPositiveDecimal,
  readString,
  type Fields,
} from './field-readers.js';

/** The OKX order states and what they mean (protocols.md §4.7). */
export const OKX_ORDER_STATES: ReadonlyMap<string, ReportedStatus> = new Map<string, ReportedStatus>([
  ['live', 'new'],
  ['partially_filled', 'partially-filled'],
  ['filled', 'filled'],
  ['canceled', 'cancelled'],
  ['mmp_canceled', 'cancelled'],
]);

interface OrderKind {
  readonly type: OrderType;
  readonly timeInForce?: TimeInForce;
  readonly postOnly: boolean;
}

/** OKX `ordType` → unified type, time in force and post-only. */
const ORDER_KINDS: ReadonlyMap<string, OrderKind> = new Map<string, OrderKind>([
  ['market', { type: 'market', postOnly: false }],
  ['optimal_limit_ioc', { type: 'market', timeInForce: 'IOC', postOnly: false }],
  ['limit', { type: 'limit', timeInForce: 'GTC', postOnly: false }],
  ['post_only', { type: 'limit', timeInForce: 'GTC', postOnly: true }],
  ['ioc', { type: 'limit', timeInForce: 'IOC', postOnly: false }],
  ['fok', { type: 'limit', timeInForce: 'FOK', postOnly: false }],
  ['mmp', { type: 'limit', timeInForce: 'GTC', postOnly: false }],
  ['mmp_and_post_only', { type: 'limit', timeInForce: 'GTC', postOnly: true }],
  ['op_fok', { type: 'limit', timeInForce: 'FOK', postOnly: false }],
]);

/** The account name OKX balances are reported under (the unified trading account). */
export const OKX_TRADING_ACCOUNT = 'trading';

// ---------------------------------------------------------------- envelopes

function codeText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isInteger(value) ? String(value) : undefined;
}

/**
 * The `data` rows of a trading envelope. A `code` other than "0" throws the error of the first failing
 * item's `sCode` (or of `code` when no item says), so 51008 is `rejected` and 51603 `not-found`.
 */
export function tradingRows(body: unknown, what: string, command = false): readonly unknown[] {
  const o = asObject(body, what);
  const code = codeText(o['code']);
  if (code === undefined) fail(`${what}.code`, 'an OKX response code', o['code']);
  const data = o['data'];
  if (code !== '0') {
    if (Array.isArray(data)) {
      for (const row of data as unknown[]) {
        const r = row as { sCode?: unknown; sMsg?: unknown } | null;
        if (typeof r === 'object' && r !== null && typeof r.sCode === 'string' && r.sCode !== '0') {
          throw okxError(r.sCode, typeof r.sMsg === 'string' ? r.sMsg : '', { command, operation: what });
        }
      }
    }
    throw okxError(code, typeof o['msg'] === 'string' ? o['msg'] : '', { command, operation: what });
  }
  return asArray(data, `${what}.data`);
}

/** The one acknowledgement row of a place or cancel response; a non-"0" `sCode` throws its error. */
function ackRow(body: unknown, what: string): Fields {
  const rows = tradingRows(body, what, true);
  if (rows.length === 0) fail(`${what}.data[0]`, 'an object', undefined);
  const row = asObject(rows[0], `${what}.data[0]`);
  const sCode = readOptionalString(row, 'sCode', 'data[0].');
  if (sCode !== undefined && sCode !== '0') throw okxError(sCode, readOptionalString(row, 'sMsg', 'data[0].') ?? '', { command: true, operation: what });
  return row;
}

// ---------------------------------------------------------------- small readers

function readSide(o: Fields, key: string, path: string): Side {
  const v = o[key];
  if (v !== 'buy' && v !== 'sell') fail(`${path}${key}`, '"buy" or "sell"', v);
  return v;
}

/**
 * The state of an order row, never refused: an unknown one passes through as `venueStatus` with the status the
 * quantities prove (`new`, `partially-filled` once something filled), noted on `log`.
 */
function readState(o: Fields, path: string, filled: Decimal, log: ProblemLog): { status: ReportedStatus; venueStatus?: string } {
  const v = o['state'];
  const status = typeof v === 'string' ? OKX_ORDER_STATES.get(v) : undefined;
  if (status !== undefined) return { status };
  const proven: ReportedStatus = filled.isPositive() ? 'partially-filled' : 'new';
  log.note(`${path}state`, v, `an unknown order state passed through, the order counted as ${proven}`);
  return typeof v === 'string' && v !== '' ? { status: proven, venueStatus: v } : { status: proven };
}

/** The unified type, time in force and post-only flag of `ordType`; an unknown one leaves them unset and passes through as `venueType`, noted. */
function readOrderKind(o: Fields, path: string, log: ProblemLog): Partial<OrderKind> & { venueType?: string } {
  const v = o['ordType'];
  const kind = typeof v === 'string' ? ORDER_KINDS.get(v) : undefined;
  if (kind !== undefined) return kind;
  log.note(`${path}ordType`, v, 'an unknown order type passed through as venueType');
  return typeof v === 'string' && v !== '' ? { venueType: v } : {};
}

/** `"true"`/`"false"` (or JSON booleans); `""` or absent is undefined; anything else is noted and left out. */
function readBooleanText(o: Fields, key: string, path: string, log: ProblemLog): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'true' || v === true) return true;
  if (v === 'false' || v === false) return false;
  log.note(`${path}${key}`, v, 'left out');
  return undefined;
}

/** `execType` `T` taker, `M` maker; `""` or absent is undefined; anything else is noted and left out. */
function readLiquidity(o: Fields, path: string, log: ProblemLog): 'maker' | 'taker' | undefined {
  const v = o['execType'];
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'T') return 'taker';
  if (v === 'M') return 'maker';
  log.note(`${path}execType`, v, 'an unknown liquidity flag left out');
  return undefined;
}

/** A non-essential decimal: malformed is noted and read as absent. */
function softDecimal(o: Fields, key: string, path: string, log: ProblemLog): Decimal | undefined {
  return log.lenient(`${path}${key}`, o[key], () => readOptionalDecimal(o, key, path));
}

/** A non-essential price: positive, else absent; malformed is noted. */
function softPositive(o: Fields, key: string, path: string, log: ProblemLog): Decimal | undefined {
  return log.lenient(`${path}${key}`, o[key], () => readPositiveDecimal(o, key, path));
}

function softString(o: Fields, key: string, path: string, log: ProblemLog): string | undefined {
  return log.lenient(`${path}${key}`, o[key], () => readOptionalString(o, key, path));
}

/** The first of `keys` holding a positive time; malformed ones noted and skipped; else `fallback`. */
function timeOf(o: Fields, keys: readonly string[], path: string, fallback: number, log: ProblemLog): number {
  for (const key of keys) {
    const t = log.lenient(`${path}${key}`, o[key], () => readOptionalInteger(o, key, path));
    if (t !== undefined && t > 0) return t;
  }
  return fallback;
}

/** OKX fees are negative when charged; `Fill.fee` is positive when charged. Malformed: noted, left out. */
function chargedFee(o: Fields, key: string, path: string, log: ProblemLog): Decimal | undefined {
  return softDecimal(o, key, path, log)?.neg();
}

// ---------------------------------------------------------------- orders

/** What a place response says: the ids only, so the order is `new` (the stream may already know more). */
export function parsePlaceOrderResponse(body: unknown, symbol: string, receivedAt: number): OrderReport {
  const row = ackRow(body, 'POST /api/v5/trade/order');
  const clientOrderId = readOptionalString(row, 'clOrdId', 'data[0].');
  return {
    venue: 'okx',
    symbol,
    orderId: readString(row, 'ordId', 'data[0].'),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    status: 'new',
    exchangeTime: readOptionalInteger(row, 'ts', 'data[0].') ?? receivedAt,
    receivedAt,
    source: 'rest',
  };
}

/** Checks a cancel response (`sCode` "0": the cancel was accepted); OKX does not return the order. */
export function parseCancelOrderResponse(body: unknown): undefined {
  const row = ackRow(body, 'POST /api/v5/trade/cancel-order');
  readString(row, 'ordId', 'data[0].');
  return undefined;
}

/**
 * The fill an `orders` push carries: present when the push has a `tradeId` and a positive `fillSz`
 * (the final `filled` push of a market order has neither). A fill whose price cannot be read is none, noted.
 */
function pushFill(row: Fields, symbol: string, orderId: string, clientOrderId: string | undefined, side: Side, receivedAt: number, path: string, log: ProblemLog): Fill | undefined {
  const tradeId = softString(row, 'tradeId', path, log);
  const amount = softDecimal(row, 'fillSz', path, log);
  if (tradeId === undefined || amount === undefined || !amount.isPositive()) return undefined;
  const price = attempt(() => readPositiveDecimal(row, 'fillPx', path));
  if (price === undefined) {
    log.note(`${path}fillPx`, row['fillPx'], `no fill: trade ${tradeId} without a price`);
    return undefined;
  }
  const fee = chargedFee(row, 'fillFee', path, log);
  const feeCurrency = softString(row, 'fillFeeCcy', path, log);
  const liquidity = readLiquidity(row, path, log);
  return {
    venue: 'okx',
    symbol,
    tradeId,
    orderId,
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    side,
    price,
    amount,
    ...(fee === undefined ? {} : { fee }),
    ...(feeCurrency === undefined ? {} : { feeCurrency }),
    ...(liquidity === undefined ? {} : { liquidity }),
    exchangeTime: timeOf(row, ['fillTime', 'uTime'], path, receivedAt, log),
    receivedAt,
  };
}

/**
 * One order row (REST order details, pending orders, `orders` push) as a report. `amount` is `sz` (base on
 * SPOT, contracts on SWAP/FUTURES) except for SPOT market orders sized in quote (`tgtCcy=quote_ccy`), where
 * it is left out. Only stream reports carry a fill: a REST row's `fee` is the order's total, not the last fill's.
 * Essential: `ordId`, `side`, `accFillSz`, `sz`; an unknown state or type passes through, noted on `problems`.
 */
export function parseOrderRow(value: unknown, symbol: string, source: 'rest' | 'stream', receivedAt: number, path: string): OrderReport {
  const row = asObject(value, path.slice(0, -1));
  const p = path;
  const log = new ProblemLog('okx');
  const orderId = readString(row, 'ordId', p);
  const clientOrderId = readOptionalString(row, 'clOrdId', p);
  const side = readSide(row, 'side', p);
  const filled = readDecimal(row, 'accFillSz', p);
  const { status, venueStatus } = readState(row, p, filled, log);
  const kind = readOrderKind(row, p, log);
  const price = softPositive(row, 'px', p, log);
  const amount = softString(row, 'tgtCcy', p, log) === 'quote_ccy' ? undefined : readOptionalDecimal(row, 'sz', p);
  const average = softPositive(row, 'avgPx', p, log);
  const reduceOnly = readBooleanText(row, 'reduceOnly', p, log);
  const fill = source === 'stream' ? pushFill(row, symbol, orderId, clientOrderId, side, receivedAt, p, log) : undefined;
  const reason = softString(row, 'cancelSourceReason', p, log) ?? softString(row, 'msg', p, log);
  return {
    venue: 'okx',
    symbol,
    orderId,
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    status,
    filled,
    ...(average === undefined ? {} : { average }),
    side,
    ...(kind.type === undefined ? {} : { type: kind.type }),
    ...(price === undefined ? {} : { price }),
    ...(amount === undefined ? {} : { amount }),
    ...(kind.timeInForce === undefined ? {} : { timeInForce: kind.timeInForce }),
    ...(kind.postOnly === undefined ? {} : { postOnly: kind.postOnly }),
    ...(reduceOnly === undefined ? {} : { reduceOnly }),
    ...(fill === undefined ? {} : { fill }),
    ...(reason === undefined ? {} : { reason }),
    ...(venueStatus === undefined ? {} : { venueStatus }),
    ...(kind.venueType === undefined ? {} : { venueType: kind.venueType }),
    ...log.attached(),
    exchangeTime: timeOf(row, ['uTime', 'cTime'], p, receivedAt, log),
    receivedAt,
    source,
  };
}

function checkInstId(row: unknown, instId: string, path: string): void {
  const v = asObject(row, path.slice(0, -1))['instId'];
  if (v !== instId) fail(`${path}instId`, JSON.stringify(instId), v);
}

/** `GET /api/v5/trade/order`: the one order. */
export function parseOrderResponse(body: unknown, instId: string, symbol: string, receivedAt: number): OrderReport {
  const rows = tradingRows(body, 'GET /api/v5/trade/order');
  if (rows.length === 0) fail('data[0]', 'an order', undefined);
  checkInstId(rows[0], instId, 'data[0].');
  return parseOrderRow(rows[0], symbol, 'rest', receivedAt, 'data[0].');
}

/** `GET /api/v5/trade/orders-pending?instId=`: the open orders of one instrument. */
export function parseOpenOrdersResponse(body: unknown, instId: string, symbol: string, receivedAt: number): OrderReport[] {
  return tradingRows(body, 'GET /api/v5/trade/orders-pending').map((row, i) => {
    checkInstId(row, instId, `data[${i}].`);
    return parseOrderRow(row, symbol, 'rest', receivedAt, `data[${i}].`);
  });
}

// ---------------------------------------------------------------- fills

/** One `GET /api/v5/trade/fills` row as a fill (`fee` negated: positive = charged); unreadable non-essential fields left out. */
export function parseFillRow(value: unknown, symbol: string, receivedAt: number, path: string): Fill {
  const row = asObject(value, path.slice(0, -1));
  const log = new ProblemLog('okx');
  const clientOrderId = readOptionalString(row, 'clOrdId', path);
  const fee = chargedFee(row, 'fee', path, log);
  const feeCurrency = softString(row, 'feeCcy', path, log);
  const liquidity = readLiquidity(row, path, log);
  return {
    venue: 'okx',
    symbol,
    tradeId: readString(row, 'tradeId', path),
    orderId: readString(row, 'ordId', path),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    side: readSide(row, 'side', path),
    price: readDecimal(row, 'fillPx', path),
    amount: readDecimal(row, 'fillSz', path),
    ...(fee === undefined ? {} : { fee }),
    ...(feeCurrency === undefined ? {} : { feeCurrency }),
    ...(liquidity === undefined ? {} : { liquidity }),
    exchangeTime: timeOf(row, ['fillTime', 'ts'], path, receivedAt, log),
    receivedAt,
  };
}

function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** `GET /api/v5/trade/fills` (newest first on the wire) → fills of one instrument, oldest first. */
export function parseFillsResponse(body: unknown, instId: string, symbol: string, receivedAt: number): Fill[] {
  const fills = tradingRows(body, 'GET /api/v5/trade/fills').map((row, i) => {
    checkInstId(row, instId, `data[${i}].`);
    return parseFillRow(row, symbol, receivedAt, `data[${i}].`);
  });
  return fills.sort((a, b) => a.exchangeTime - b.exchangeTime || compareIds(a.tradeId, b.tradeId));
}

// ---------------------------------------------------------------- balances

/**
 * One balance row (`GET /api/v5/account/balance` `data[0]`, `account` push row): per currency
 * free = `availBal`, used = `frozenBal` (orders and margin), total = free + used (OKX's `eq`). In a partial
 * push a currency that cannot be read is left out and noted; in a full view it throws (it would read as zero).
 */
export function parseBalanceRow(value: unknown, account: string, partial: boolean, receivedAt: number, path: string): Balances {
  const row = asObject(value, path.slice(0, -1));
  const log = new ProblemLog('okx');
  const balances: Record<string, BalanceEntry> = {};
  asArray(row['details'], `${path}details`).forEach((d, i) => {
    const dp = `${path}details[${i}].`;
    const read = (): BalanceEntry => {
      const detail = asObject(d, dp.slice(0, -1));
      const currency = readString(detail, 'ccy', dp);
      const free = readDecimal(detail, 'availBal', dp);
      const used = readDecimal(detail, 'frozenBal', dp);
      return { currency, free, used, total: free.add(used) };
    };
    const entry = partial ? log.lenient(dp.slice(0, -1), d, read) : read();
    if (entry !== undefined) balances[entry.currency] = entry;
  });
  return { venue: 'okx', account, balances, partial, ...log.attached(), exchangeTime: timeOf(row, ['uTime'], path, receivedAt, log), receivedAt };
}

/** `GET /api/v5/account/balance`: the whole trading account. */
export function parseBalanceResponse(body: unknown, account: string, receivedAt: number): Balances {
  const rows = tradingRows(body, 'GET /api/v5/account/balance');
  if (rows.length === 0) fail('data[0]', 'an account balance', undefined);
  return parseBalanceRow(rows[0], account, false, receivedAt, 'data[0].');
}

// ---------------------------------------------------------------- positions

/** `cross`/`isolated`; `""` or absent is undefined; anything else is noted and left out. */
function readMarginMode(o: Fields, path: string, log: ProblemLog): MarginMode | undefined {
  const v = o['mgnMode'];
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'cross' || v === 'isolated') return v;
  log.note(`${path}mgnMode`, v, 'an unknown margin mode left out');
  return undefined;
}

/**
 * One position row. `posSide` `net` (one-way mode): the sign of `pos` gives the side; `long`/`short`
 * (hedge mode): the leg, named in `hedgeSide`. `contracts` = |pos| (contracts on SWAP/FUTURES).
 */
export function parsePositionRow(value: unknown, symbol: string, receivedAt: number, path: string): Position {
  const row = asObject(value, path.slice(0, -1));
  const pos = readDecimal(row, 'pos', path);
  const posSide = row['posSide'];
  let side: PositionSide;
  let hedgeSide: 'long' | 'short' | undefined;
  if (posSide === 'net') side = pos.isZero() ? 'flat' : pos.isNegative() ? 'short' : 'long';
  else if (posSide === 'long' || posSide === 'short') {
    hedgeSide = posSide;
    side = pos.isZero() ? 'flat' : posSide;
  } else return fail(`${path}posSide`, '"net", "long" or "short"', posSide);
  const log = new ProblemLog('okx');
  const position: { -readonly [K in keyof Position]: Position[K] } = {
    venue: 'okx',
    symbol,
    side,
    contracts: pos.abs(),
    exchangeTime: timeOf(row, ['uTime'], path, receivedAt, log),
    receivedAt,
  };
  const entryPrice = softPositive(row, 'avgPx', path, log);
  if (entryPrice !== undefined) position.entryPrice = entryPrice;
  const markPrice = softPositive(row, 'markPx', path, log);
  if (markPrice !== undefined) position.markPrice = markPrice;
  const unrealizedPnl = softDecimal(row, 'upl', path, log);
  if (unrealizedPnl !== undefined) position.unrealizedPnl = unrealizedPnl;
  const realizedPnl = softDecimal(row, 'realizedPnl', path, log);
  if (realizedPnl !== undefined) position.realizedPnl = realizedPnl;
  const leverage = softPositive(row, 'lever', path, log);
  if (leverage !== undefined) position.leverage = leverage;
  const liquidationPrice = softPositive(row, 'liqPx', path, log);
  if (liquidationPrice !== undefined) position.liquidationPrice = liquidationPrice;
  const marginMode = readMarginMode(row, path, log);
  if (marginMode !== undefined) position.marginMode = marginMode;
  if (hedgeSide !== undefined) position.hedgeSide = hedgeSide;
  if (log.problems.length > 0) position.problems = log.problems;
  return position;
}

/** One position row of the market `resolve(instId, instType)` knows, or undefined (options, margin, not loaded). */
export function parseResolvedPosition(value: unknown, defaultInstType: string | undefined, resolve: MarketResolver, receivedAt: number, path: string): Position | undefined {
  const row = asObject(value, path.slice(0, -1));
  const market = resolve(readString(row, 'instId', path), readOptionalString(row, 'instType', path) ?? defaultInstType);
  return market === undefined ? undefined : parsePositionRow(row, market.symbol, receivedAt, path);
}

/**
 * Position rows → positions. Each row's market comes from `resolve(instId, instType)`; rows of markets the
 * resolver does not know (options, margin, instruments not loaded) are left out.
 */
export function parsePositionRows(rows: readonly unknown[], defaultInstType: string | undefined, resolve: MarketResolver, receivedAt: number): Position[] {
  const positions: Position[] = [];
  rows.forEach((r, i) => {
    const position = parseResolvedPosition(r, defaultInstType, resolve, receivedAt, `data[${i}].`);
    if (position !== undefined) positions.push(position);
  });
  return positions;
}

/** `GET /api/v5/account/positions?instType=`. */
export function parsePositionsResponse(body: unknown, segment: string, resolve: MarketResolver, receivedAt: number): Position[] {
  return parsePositionRows(tradingRows(body, 'GET /api/v5/account/positions'), segment, resolve, receivedAt);
}
