/**
 * Pure Bybit v5 trading parsers: orders (REST and stream rows) → `OrderReport`, executions → `Fill`, unified
 * wallet → `Balances`, positions → `Position`. Unknown enum strings and malformed decimals throw
 * `VenueError('decode')` naming the field; an error envelope throws its mapped error.
 */
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import type { Market, Side } from '../../core/model.js';
import type { Fill, OrderReport, OrderType, ReportedStatus, TimeInForce } from '../../core/orders/order-model.js';
import type { BalanceEntry, Balances, MarginMode, MarketResolver, Position, PositionSide } from '../../core/trading.js';
import { VENUE } from './config.js';
import {
  asArray,
  asObject,
  fail,
  readBoolean,
  readDecimal,
  readInteger,
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

/** Executions that are trades of an order; funding, settlement and delivery rows are not fills. */
export const TRADE_EXEC_TYPES: ReadonlySet<string> = new Set(['Trade', 'AdlTrade', 'BustTrade', 'BlockTrade', 'MovePosition']);

function readStatus(o: Fields, path: string): ReportedStatus {
  const raw = readString(o, 'orderStatus', path);
  const status = BYBIT_ORDER_STATUS.get(raw);
  if (status === undefined) fail(`${path}orderStatus`, `one of ${[...BYBIT_ORDER_STATUS.keys()].join(', ')}`, raw);
  return status;
}

function readSide(o: Fields, path: string): Side {
  const raw = readString(o, 'side', path);
  if (raw === 'Buy') return 'buy';
  if (raw === 'Sell') return 'sell';
  fail(`${path}side`, 'Buy or Sell', raw);
}

function readOrderType(o: Fields, path: string): OrderType {
  const raw = readString(o, 'orderType', path);
  if (raw === 'Limit') return 'limit';
  if (raw === 'Market') return 'market';
  fail(`${path}orderType`, 'Limit or Market', raw);
}

/** `GTC`/`IOC`/`FOK` as they are; `PostOnly` and `RPI` (maker-only) are GTC with post-only; `""` is absent. */
function readTimeInForce(o: Fields, path: string): { timeInForce?: TimeInForce; postOnly?: boolean } {
  const raw = readOptionalString(o, 'timeInForce', path);
  if (raw === undefined) return {};
  if (raw === 'GTC' || raw === 'IOC' || raw === 'FOK') return { timeInForce: raw, postOnly: false };
  if (raw === 'PostOnly' || raw === 'RPI') return { timeInForce: 'GTC', postOnly: true };
  fail(`${path}timeInForce`, 'GTC, IOC, FOK, PostOnly or RPI', raw);
}

/** A decimal field that is meaningful only when positive (`"0"`, `""` and absent read as undefined). */
function readPositive(o: Fields, key: string, path: string): Decimal | undefined {
  const d = readOptionalDecimal(o, key, path);
  return d !== undefined && d.isPositive() ? d : undefined;
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
 * of a cancelled order. Bybit orders carry no execution: fills come from the `execution` topic.
 */
export function parseOrderRow(o: Fields, path: string, symbol: string, receivedAt: number, source: 'rest' | 'stream'): OrderReport {
  const status = readStatus(o, path);
  const type = readOrderType(o, path);
  const filled = readDecimal(o, 'cumExecQty', path);
  const avgPrice = readPositive(o, 'avgPrice', path);
  const price = readPositive(o, 'price', path);
  const quoteSized = readOptionalString(o, 'marketUnit', path) === 'quoteCoin';
  const qty = readDecimal(o, 'qty', path);
  const rejectReason = readOptionalString(o, 'rejectReason', path);
  const cancelType = readOptionalString(o, 'cancelType', path);
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
    type,
    reduceOnly: readBoolean(o, 'reduceOnly', path),
    exchangeTime: readInteger(o, 'updatedTime', path),
    receivedAt,
    source,
  };
  return withDefined(report, {
    clientOrderId: readOptionalString(o, 'orderLinkId', path),
    average: filled.isPositive() ? avgPrice : undefined,
    // A market order's `price` is the venue's protection bound, not an order price.
    price: type === 'limit' ? price : undefined,
    amount: quoteSized ? undefined : qty,
    ...readTimeInForce(o, path),
    reason,
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
 * derivatives market (spot rows without `feeCurrency` leave it undefined).
 */
export function parseExecutionRow(o: Fields, path: string, market: Market, receivedAt: number): Fill | undefined {
  const execType = readOptionalString(o, 'execType', path);
  if (execType !== undefined && !TRADE_EXEC_TYPES.has(execType)) return undefined;
  const fill: Fill = {
    venue: 'bybit',
    symbol: market.symbol,
    tradeId: readString(o, 'execId', path),
    side: readSide(o, path),
    price: readDecimal(o, 'execPrice', path),
    amount: readDecimal(o, 'execQty', path),
    liquidity: readBoolean(o, 'isMaker', path) ? 'maker' : 'taker',
    exchangeTime: readInteger(o, 'execTime', path),
    receivedAt,
  };
  const fee = readOptionalDecimal(o, 'execFee', path);
  const feeCurrency = readOptionalString(o, 'feeCurrency', path) ?? (fee !== undefined && market.type !== 'spot' ? market.settle : undefined);
  return withDefined(fill, {
    orderId: readOptionalString(o, 'orderId', path),
    clientOrderId: readOptionalString(o, 'orderLinkId', path),
    fee,
    feeCurrency,
  });
}

/** `GET /v5/execution/list` → fills of `market`, oldest first (the venue answers newest first). */
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

/** The coins of the `UNIFIED` accounts among `rows` (other account types are not this account). */
export function parseWalletAccounts(rows: readonly unknown[], path: string): Record<string, BalanceEntry> {
  const balances: Record<string, BalanceEntry> = {};
  rows.forEach((row, i) => {
    const rowPath = `${path}[${i}].`;
    const account = asObject(row, `${path}[${i}]`);
    if (readString(account, 'accountType', rowPath) !== 'UNIFIED') return;
    asArray(account['coin'], `${rowPath}coin`).forEach((coin, j) => {
      const entry = parseWalletCoin(asObject(coin, `${rowPath}coin[${j}]`), `${rowPath}coin[${j}].`);
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

function readMarginMode(o: Fields, path: string): MarginMode | undefined {
  const mode = readOptionalInteger(o, 'tradeMode', path);
  if (mode === undefined) return undefined;
  if (mode === 0) return 'cross';
  if (mode === 1) return 'isolated';
  return fail(`${path}tradeMode`, '0 or 1', mode);
}

/**
 * One position row → `Position` for `symbol`: `contracts = |size|`, side from `side` (flat at size 0),
 * entry price from `avgPrice` (REST) or `entryPrice` (stream), `realizedPnl = cumRealisedPnl`, hedge leg from
 * `positionIdx` 1/2, margin mode from `tradeMode`. Zero prices (`liqPrice "0"`, `entryPrice "0"`) read as absent.
 */
export function parsePositionRow(o: Fields, path: string, symbol: string, fallbackTime: number, receivedAt: number): Position {
  const contracts = readDecimal(o, 'size', path).abs();
  const position: Position = {
    venue: 'bybit',
    symbol,
    side: readPositionSide(o, path, contracts),
    contracts,
    exchangeTime: readOptionalInteger(o, 'updatedTime', path) ?? fallbackTime,
    receivedAt,
  };
  return withDefined(position, {
    entryPrice: readPositive(o, 'avgPrice', path) ?? readPositive(o, 'entryPrice', path),
    markPrice: readPositive(o, 'markPrice', path),
    unrealizedPnl: readOptionalDecimal(o, 'unrealisedPnl', path),
    realizedPnl: readOptionalDecimal(o, 'cumRealisedPnl', path),
    leverage: readPositive(o, 'leverage', path),
    marginMode: readMarginMode(o, path),
    liquidationPrice: readPositive(o, 'liqPrice', path),
    hedgeSide: readHedgeSide(o, path),
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
