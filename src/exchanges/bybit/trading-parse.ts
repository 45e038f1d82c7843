/**
 * Pure Bybit v5 trading parsers: orders (REST and stream rows) → `OrderReport`, executions → `Fill`, unified
 * wallet → `Balances`, positions → `Position`. A malformed essential field (ids, side, quantities, a fill's price)
 * throws `VenueError('decode')` naming it; an unknown status, type or time in force passes through (`venueStatus`,
 * `venueType`) and an unreadable non-essential field is left out, both noted on the result's `problems`. An error
 * envelope throws its mapped error.
 */
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import type { Market, Side } from '../../core/model.js';
import type { Fill, OrderReport, OrderType, ReportedStatus, TimeInForce } from '../../core/orders/order-model.js';
import { ProblemLog } from '../../core/problems.js';
import type { BalanceEntry, Balances, MarginMode, MarketResolver, Position, PositionSide } from '../../core/trading.js';
import { VENUE } from './config.js';
import {
  asArray,
  asObject,
  fail,
  readBoolean,
  readDecimal,
  readOptionalDecimal,
  readOptionalInteger,
  readOptionalString,
  readString,
  type Fields,
} from './field-readers.js';
import { resultOf } from './parse.js';

// ---------------------------------------------------------------- enums

/**
 * Bybit `orderStatus` → the reported status. `Untriggered` (a conditional order waiting for its trigger) and
 * `Triggered` (the moment between trigger and `New`) are open: `new`. `PartiallyFilledCanceled` (spot) and
 * `Deactivated` (TP/SL, conditional or OCO order cancelled before triggering) are `cancelled`.
 */
export const BYBIT_ORDER_STATUS: ReadonlyMap<string, ReportedStatus> = new Map<string, ReportedStatus>([
  ['New', 'new'],
  ['PartiallyFilled', 'partially-filled'],
  ['Untriggered', 'new'],
  ['Triggered', 'new'],
  ['Filled', 'filled'],
  ['Cancelled', 'cancelled'],
  ['PartiallyFilledCanceled', 'cancelled'],
  ['Deactivated', 'cancelled'],
  ['Rejected', 'rejected'],
]);

/** Executions that are trades of an order (`FutureSpread`: a leg of a spread trade). */
export const TRADE_EXEC_TYPES: ReadonlySet<string> = new Set(['Trade', 'AdlTrade', 'BustTrade', 'BlockTrade', 'MovePosition', 'FutureSpread']);
/** Documented executions that are not fills: funding, settlement, delivery, and the response-only `UNKNOWN`. */
const OTHER_EXEC_TYPES: ReadonlySet<string> = new Set(['Funding', 'Settle', 'Delivery', 'UNKNOWN']);

/**
 * The status of an order row, never refused: an unknown one passes through as `venueStatus` with the status the
 * quantities prove (`new`, `partially-filled` once something filled), noted on `log`.
 */
function readStatus(o: Fields, path: string, filled: Decimal, log: ProblemLog): { status: ReportedStatus; venueStatus?: string } {
  const raw = o['orderStatus'];
  const status = typeof raw === 'string' ? BYBIT_ORDER_STATUS.get(raw) : undefined;
  if (status !== undefined) return { status };
  const proven: ReportedStatus = filled.isPositive() ? 'partially-filled' : 'new';
  log.note(`${path}orderStatus`, raw, `an unknown order status passed through, the order counted as ${proven}`);
  return typeof raw === 'string' && raw !== '' ? { status: proven, venueStatus: raw } : { status: proven };
}

function readSide(o: Fields, path: string): Side {
  const raw = readString(o, 'side', path);
  if (raw === 'Buy') return 'buy';
  if (raw === 'Sell') return 'sell';
  fail(`${path}side`, 'Buy or Sell', raw);
}

/** `Limit`/`Market`; the documented `UNKNOWN` (response-only) and any unknown type leave `type` unset and keep `venueType` (unknown: noted). */
function readOrderType(o: Fields, path: string, log: ProblemLog): { type?: OrderType; venueType?: string } {
  const raw = o['orderType'];
  if (raw === 'Limit') return { type: 'limit' };
  if (raw === 'Market') return { type: 'market' };
  if (raw !== 'UNKNOWN') log.note(`${path}orderType`, raw, 'an unknown order type passed through as venueType');
  return typeof raw === 'string' && raw !== '' ? { venueType: raw } : {};
}

/** `GTC`/`IOC`/`FOK` as they are; `PostOnly` and `RPI` (maker-only) are GTC with post-only; `""` is absent; unknown: left out, noted. */
function readTimeInForce(o: Fields, path: string, log: ProblemLog): { timeInForce?: TimeInForce; postOnly?: boolean } {
  const raw = log.lenient(`${path}timeInForce`, o['timeInForce'], () => readOptionalString(o, 'timeInForce', path));
  if (raw === undefined) return {};
  if (raw === 'GTC' || raw === 'IOC' || raw === 'FOK') return { timeInForce: raw, postOnly: false };
  if (raw === 'PostOnly' || raw === 'RPI') return { timeInForce: 'GTC', postOnly: true };
  log.note(`${path}timeInForce`, raw, 'an unknown time in force left out');
  return {};
}

/** A non-essential decimal: malformed is noted and read as absent. */
function softDecimal(o: Fields, key: string, path: string, log: ProblemLog): Decimal | undefined {
  return log.lenient(`${path}${key}`, o[key], () => readOptionalDecimal(o, key, path));
}

/** A non-essential price: positive, else absent; malformed is noted. */
function softPositive(o: Fields, key: string, path: string, log: ProblemLog): Decimal | undefined {
  const d = softDecimal(o, key, path, log);
  return d !== undefined && d.isPositive() ? d : undefined;
}

/** A non-essential flag: absent when missing, noted when not a boolean. */
function softBoolean(o: Fields, key: string, path: string, log: ProblemLog): boolean | undefined {
  if (o[key] === undefined || o[key] === null || o[key] === '') return undefined;
  return log.lenient(`${path}${key}`, o[key], () => readBoolean(o, key, path));
}

/** A non-essential string: noted when not a string. */
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

/** Copies `extra` onto `base`, leaving out undefined values (exactOptionalPropertyTypes). */
function withDefined<T extends object>(base: T, extra: Record<string, unknown>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
}

function envelopeTime(body: unknown): number | undefined {
  const t = typeof body === 'object' && body !== null ? (body as { time?: unknown }).time : undefined;
  return typeof t === 'number' && Number.isSafeInteger(t) ? t : undefined;
}

function checkSymbol(o: Fields, path: string, market: Market): void {
  const id = readString(o, 'symbol', path);
  if (id !== market.id) fail(`${path}symbol`, JSON.stringify(market.id), id);
}

// ---------------------------------------------------------------- orders

/**
 * One Bybit order row (REST list or stream) → `OrderReport` for `symbol`. `filled` is `cumExecQty`,
 * `average` is `avgPrice` once something executed; `amount` is `qty` unless a spot market order was sized in
 * quote (`marketUnit=quoteCoin`). `reason` is `rejectReason` (other than `EC_NoError`), else `cancelType`
 * of a cancelled order. Bybit orders carry no execution: fills come from the `execution` topic. Essential:
 * `orderId`, `side`, `cumExecQty`, `qty`; the rest passes through or is left out, noted on `problems`.
 */
export function parseOrderRow(o: Fields, path: string, symbol: string, receivedAt: number, source: 'rest' | 'stream'): OrderReport {
  const log = new ProblemLog('bybit');
  const filled = readDecimal(o, 'cumExecQty', path);
  const { status, venueStatus } = readStatus(o, path, filled, log);
  const kind = readOrderType(o, path, log);
  const avgPrice = softPositive(o, 'avgPrice', path, log);
  const price = softPositive(o, 'price', path, log);
  const quoteSized = softString(o, 'marketUnit', path, log) === 'quoteCoin';
  const qty = readDecimal(o, 'qty', path);
  const rejectReason = softString(o, 'rejectReason', path, log);
  const cancelType = softString(o, 'cancelType', path, log);
  let reason: string | undefined;
  if (rejectReason !== undefined && rejectReason !== 'EC_NoError') reason = rejectReason;
  else if (status === 'cancelled' && cancelType !== undefined && cancelType !== 'UNKNOWN') reason = cancelType;
  const report: OrderReport = {
    venue: 'bybit',
    symbol,
    orderId: readString(o, 'orderId', path),
    status,
    filled,
    side: readSide(o, path),
    exchangeTime: timeOf(o, ['updatedTime', 'createdTime'], path, receivedAt, log),
    receivedAt,
    source,
  };
  return withDefined(report, {
    clientOrderId: readOptionalString(o, 'orderLinkId', path),
    type: kind.type,
    venueType: kind.venueType,
    reduceOnly: softBoolean(o, 'reduceOnly', path, log),
    average: filled.isPositive() ? avgPrice : undefined,
    // A market order's `price` is the venue's protection bound, not an order price.
    price: kind.type === 'market' ? undefined : price,
    amount: quoteSized ? undefined : qty,
    ...readTimeInForce(o, path, log),
    reason,
    venueStatus,
    problems: log.problems.length > 0 ? log.problems : undefined,
  });
}

/**
 * The place answer (`result: {orderId, orderLinkId}`): the order is `new` (the venue accepted it; the stream
 * or a query tells the rest). `exchangeTime` is the envelope's `time`.
 */
export function parseCreateOrderResponse(body: unknown, market: Market, receivedAt: number): OrderReport {
  const r = resultOf(body, 'order/create');
  const report: OrderReport = {
    venue: 'bybit',
    symbol: market.symbol,
    orderId: readString(r, 'orderId', 'result.'),
    status: 'new',
    exchangeTime: envelopeTime(body) ?? receivedAt,
    receivedAt,
    source: 'rest',
  };
  return withDefined(report, { clientOrderId: readOptionalString(r, 'orderLinkId', 'result.') });
}

/**
 * The cancel answer holds ids only: the venue accepted the cancel, nothing more, so there is no report
 * (undefined); an error envelope throws, a body without `orderId` is a decode error.
 */
export function parseCancelOrderResponse(body: unknown): undefined {
  const r = resultOf(body, 'order/cancel');
  readString(r, 'orderId', 'result.');
  return undefined;
}

/** `GET /v5/order/realtime` → one report per row of `market`, in the venue's order (newest first). */
export function parseOrderList(body: unknown, market: Market, receivedAt: number): OrderReport[] {
  const list = asArray(resultOf(body, 'order/realtime')['list'], 'result.list');
  return list.map((row, i) => {
    const path = `result.list[${i}].`;
    const o = asObject(row, `result.list[${i}]`);
    checkSymbol(o, path, market);
    return parseOrderRow(o, path, market.symbol, receivedAt, 'rest');
  });
}

/** One order from `GET /v5/order/realtime`. @throws {VenueError} `not-found` when the list is empty. */
export function parseSingleOrder(body: unknown, market: Market, receivedAt: number): OrderReport {
  const reports = parseOrderList(body, market, receivedAt);
  const first = reports[0];
  if (first === undefined) throw new VenueError('not-found', `bybit does not know this order on ${market.symbol}`, { venue: VENUE, operation: 'GET /v5/order/realtime' });
  return first;
}

// ---------------------------------------------------------------- executions

/**
 * One execution row → `Fill`, or undefined for rows that are not trades (`Funding`, `Settle`, `Delivery`).
 * The fee is `execFee` (absent on `execution.fast`); its currency is `feeCurrency`, else the settle coin of a
 * derivatives market (spot rows without `feeCurrency` leave it undefined). A row of an unknown `execType` (its
 * quantity may be a funding base, not a trade) or of no quantity or price gives no fill, noted on `log`.
 */
export function parseExecutionRow(o: Fields, path: string, market: Market, receivedAt: number, log: ProblemLog = new ProblemLog('bybit')): Fill | undefined {
  const execType = softString(o, 'execType', path, log);
  if (execType !== undefined && !TRADE_EXEC_TYPES.has(execType)) {
    if (!OTHER_EXEC_TYPES.has(execType)) log.note(`${path}execType`, execType, 'an unknown execution type, not taken as a fill');
    return undefined;
  }
  const amount = readDecimal(o, 'execQty', path);
  const price = readDecimal(o, 'execPrice', path);
  if (!amount.isPositive() || !price.isPositive()) {
    const [key, value] = amount.isPositive() ? ['execPrice', o['execPrice']] : ['execQty', o['execQty']];
    log.note(`${path}${key}`, value, 'no fill: an execution needs a positive quantity and price');
    return undefined;
  }
  const maker = softBoolean(o, 'isMaker', path, log);
  const fill: Fill = {
    venue: 'bybit',
    symbol: market.symbol,
    tradeId: readString(o, 'execId', path),
    side: readSide(o, path),
    price,
    amount,
    exchangeTime: timeOf(o, ['execTime'], path, receivedAt, log),
    receivedAt,
  };
  const fee = softDecimal(o, 'execFee', path, log);
  const feeCurrency = softString(o, 'feeCurrency', path, log) ?? (fee !== undefined && market.type !== 'spot' ? market.settle : undefined);
  return withDefined(fill, {
    orderId: readOptionalString(o, 'orderId', path),
    clientOrderId: readOptionalString(o, 'orderLinkId', path),
    liquidity: maker === undefined ? undefined : maker ? 'maker' : 'taker',
    fee,
    feeCurrency,
  });
}

/**
 * `GET /v5/execution/list` → fills of `market`, oldest first (the venue answers newest first). Rows that are no
 * fill (funding, an unknown type, no quantity) are left out; the private stream reports the odd ones.
 */
export function parseExecutionList(body: unknown, market: Market, receivedAt: number): Fill[] {
  const list = asArray(resultOf(body, 'execution/list')['list'], 'result.list');
  const fills: Fill[] = [];
  list.forEach((row, i) => {
    const path = `result.list[${i}].`;
    const o = asObject(row, `result.list[${i}]`);
    checkSymbol(o, path, market);
    const fill = parseExecutionRow(o, path, market, receivedAt);
    if (fill !== undefined) fills.push(fill);
  });
  return fills.reverse().sort((a, b) => a.exchangeTime - b.exchangeTime);
}

// ---------------------------------------------------------------- balances

function zeroIfAbsent(o: Fields, key: string, path: string): Decimal {
  return readOptionalDecimal(o, key, path) ?? Decimal.ZERO;
}

/**
 * One coin of a unified account: `total = walletBalance`, `used = locked` (spot orders) `+ totalOrderIM`
 * (derivatives orders) `+ totalPositionIM` (position margin), `free = total - used`, never below zero (then
 * `used` takes the rest, so `total = free + used` holds).
 */
export function parseWalletCoin(o: Fields, path: string): BalanceEntry {
  const total = readDecimal(o, 'walletBalance', path);
  const locked = zeroIfAbsent(o, 'locked', path).add(zeroIfAbsent(o, 'totalOrderIM', path)).add(zeroIfAbsent(o, 'totalPositionIM', path));
  const currency = readString(o, 'coin', path);
  const free = total.sub(locked);
  return free.isNegative() ? { currency, free: Decimal.ZERO, used: total, total } : { currency, free, used: locked, total };
}

/**
 * The coins of the `UNIFIED` accounts among `rows` (other account types are not this account; a row without
 * `accountType` is taken as the unified account asked for). With `log` (a partial stream update), a coin that
 * cannot be read is left out and noted; without, it throws (a full view missing a coin would read as zero).
 */
export function parseWalletAccounts(rows: readonly unknown[], path: string, log?: ProblemLog): Record<string, BalanceEntry> {
  const balances: Record<string, BalanceEntry> = {};
  rows.forEach((row, i) => {
    const rowPath = `${path}[${i}].`;
    const account = asObject(row, `${path}[${i}]`);
    const accountType = log === undefined ? readOptionalString(account, 'accountType', rowPath) : softString(account, 'accountType', rowPath, log);
    if (accountType !== undefined && accountType !== 'UNIFIED') return;
    asArray(account['coin'], `${rowPath}coin`).forEach((coin, j) => {
      const read = (): BalanceEntry => parseWalletCoin(asObject(coin, `${rowPath}coin[${j}]`), `${rowPath}coin[${j}].`);
      let entry: BalanceEntry;
      if (log === undefined) entry = read();
      else {
        const e = log.lenient(`${rowPath}coin[${j}]`, coin, read);
        if (e === undefined) return;
        entry = e;
      }
      balances[entry.currency] = entry;
    });
  });
  return balances;
}

/** `GET /v5/account/wallet-balance?accountType=UNIFIED` → the full balances of `account` (`exchangeTime` = `time`). */
export function parseWalletBalance(body: unknown, account: string, receivedAt: number): Balances {
  const rows = asArray(resultOf(body, 'account/wallet-balance')['list'], 'result.list');
  return { venue: 'bybit', account, balances: parseWalletAccounts(rows, 'result.list'), partial: false, exchangeTime: envelopeTime(body) ?? receivedAt, receivedAt };
}

// ---------------------------------------------------------------- positions

function readPositionSide(o: Fields, path: string, size: Decimal): PositionSide {
  const raw = readOptionalString(o, 'side', path);
  if (size.isZero()) return 'flat';
  if (raw === 'Buy') return 'long';
  if (raw === 'Sell') return 'short';
  return fail(`${path}side`, 'Buy or Sell for a non-zero size', o['side']);
}

function readHedgeSide(o: Fields, path: string): 'long' | 'short' | undefined {
  const idx = readOptionalInteger(o, 'positionIdx', path);
  if (idx === undefined || idx === 0) return undefined;
  if (idx === 1) return 'long';
  if (idx === 2) return 'short';
  return fail(`${path}positionIdx`, '0, 1 or 2', idx);
}

/** `tradeMode` 0 cross, 1 isolated; anything else is noted and left out. */
function readMarginMode(o: Fields, path: string, log: ProblemLog): MarginMode | undefined {
  const raw = o['tradeMode'];
  const mode = log.lenient(`${path}tradeMode`, raw, () => readOptionalInteger(o, 'tradeMode', path));
  if (mode === undefined) return undefined;
  if (mode === 0) return 'cross';
  if (mode === 1) return 'isolated';
  log.note(`${path}tradeMode`, raw, 'an unknown margin mode left out');
  return undefined;
}

/**
 * One position row → `Position` for `symbol`: `contracts = |size|`, side from `side` (flat at size 0),
 * entry price from `avgPrice` (REST) or `entryPrice` (stream), `realizedPnl = cumRealisedPnl`, hedge leg from
 * `positionIdx` 1/2, margin mode from `tradeMode`. Zero prices (`liqPrice "0"`, `entryPrice "0"`) read as absent.
 */
export function parsePositionRow(o: Fields, path: string, symbol: string, fallbackTime: number, receivedAt: number): Position {
  const log = new ProblemLog('bybit');
  const contracts = readDecimal(o, 'size', path).abs();
  const position: Position = {
    venue: 'bybit',
    symbol,
    side: readPositionSide(o, path, contracts),
    contracts,
    exchangeTime: timeOf(o, ['updatedTime'], path, fallbackTime, log),
    receivedAt,
  };
  return withDefined(position, {
    entryPrice: softPositive(o, 'avgPrice', path, log) ?? softPositive(o, 'entryPrice', path, log),
    markPrice: softPositive(o, 'markPrice', path, log),
    unrealizedPnl: softDecimal(o, 'unrealisedPnl', path, log),
    realizedPnl: softDecimal(o, 'cumRealisedPnl', path, log),
    leverage: softPositive(o, 'leverage', path, log),
    marginMode: readMarginMode(o, path, log),
    liquidationPrice: softPositive(o, 'liqPrice', path, log),
    hedgeSide: readHedgeSide(o, path),
    problems: log.problems.length > 0 ? log.problems : undefined,
  });
}

/**
 * `GET /v5/position/list` → positions whose market `resolve(symbol, category)` knows (rows of markets not
 * loaded are left out). The category is the result's, else `segment`.
 */
export function parsePositionList(body: unknown, segment: string, resolve: MarketResolver, receivedAt: number): Position[] {
  const result = resultOf(body, 'position/list');
  const category = readOptionalString(result, 'category', 'result.') ?? segment;
  const time = envelopeTime(body) ?? receivedAt;
  const positions: Position[] = [];
  asArray(result['list'], 'result.list').forEach((row, i) => {
    const path = `result.list[${i}].`;
    const o = asObject(row, `result.list[${i}]`);
    const market = resolve(readString(o, 'symbol', path), category);
    if (market !== undefined) positions.push(parsePositionRow(o, path, market.symbol, time, receivedAt));
  });
  return positions;
}
