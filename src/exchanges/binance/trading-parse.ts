/**
 * Pure Binance wire → model parsers for trading: orders (spot and USD-M REST, spot executionReport, USD-M
 * ORDER_TRADE_UPDATE) with their fills, own trades, balances and positions. A malformed essential field (ids,
 * side, quantities, a fill's price) throws `VenueError('decode')` naming it; an unknown enum value or an unreadable
 * non-essential field (type, time in force, prices, times, flags) passes through or is left out, noted on the
 * result's `problems`.
 */
import type { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import { idString } from '../../core/json.js';
import type { Market, Side } from '../../core/model.js';
import type { Fill, OrderReport, OrderType, ReportedStatus, TimeInForce } from '../../core/orders/order-model.js';
import { attempt, ProblemLog, type DecodeProblem } from '../../core/problems.js';
import type { BalanceEntry, Balances, MarginMode, MarketResolver, Position } from '../../core/trading.js';
import { asArray, asObject, fail, readBoolean, readDecimal, readInteger, readOptionalInteger, readOptionalString, readString, softBoolean, softDecimal, softString, timeOf, type Fields } from './field-readers.js';

/** Scale of computed average prices (`cumulative quote / cumulative quantity`), trailing zeros removed. */
const AVERAGE_SCALE = 18;

const STATUS: Readonly<Record<string, ReportedStatus | 'pending-cancel'>> = {
  NEW: 'new',
  PENDING_NEW: 'new',
  PARTIALLY_FILLED: 'partially-filled',
  FILLED: 'filled',
  CANCELED: 'cancelled',
  PENDING_CANCEL: 'pending-cancel',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  EXPIRED_IN_MATCH: 'expired',
  // USD-M: a liquidation order at work, "Liquidation with Insurance Fund" and "Counterparty Liquidation" (ADL).
  NEW_INSURANCE: 'new',
  NEW_ADL: 'new',
};

/** Documented statuses whose unified one does not say all: the raw status is kept as `venueStatus`. */
const LIQUIDATION_STATUSES: ReadonlySet<string> = new Set(['NEW_INSURANCE', 'NEW_ADL']);

/**
 * The status of a report, never refused: a known one maps (`NEW_INSURANCE`/`NEW_ADL` keep their raw value as
 * `venueStatus`); an unknown one passes through as `venueStatus` with the status the quantities prove (`new`, or
 * `partially-filled` once something filled; the state machine promotes it to `filled` when the fills complete it),
 * noted on `log`.
 */
function statusOf(value: unknown, path: string, filled: Decimal | undefined, log: ProblemLog): { status: ReportedStatus; venueStatus?: string } {
  const proven: ReportedStatus = filled !== undefined && filled.isPositive() ? 'partially-filled' : 'new';
  const known = typeof value === 'string' ? STATUS[value] : undefined;
  if (known === undefined) {
    log.note(path, value, `an unknown order status passed through, the order counted as ${proven}`);
    return typeof value === 'string' && value !== '' ? { status: proven, venueStatus: value } : { status: proven };
  }
  const status = known === 'pending-cancel' ? proven : known;
  return LIQUIDATION_STATUSES.has(value as string) ? { status, venueStatus: value as string } : { status };
}

function sideOf(value: unknown, path: string): Side {
  if (value === 'BUY') return 'buy';
  if (value === 'SELL') return 'sell';
  return fail(path, 'BUY or SELL', value);
}

/** Documented order types that are neither a plain limit nor a market order (triggers, liquidations): kept as `venueType`. */
const OTHER_TYPES: ReadonlySet<string> = new Set(['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET', 'LIQUIDATION', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);

interface OrderShape {
  type?: OrderType | undefined;
  venueType?: string | undefined;
  timeInForce?: TimeInForce | undefined;
  postOnly?: boolean | undefined;
}

/**
 * Order type and the post-only flag it implies (spot LIMIT_MAKER). Documented trigger and liquidation types leave
 * `type` unset and keep the raw one as `venueType`; an unknown type does the same, noted on `log`.
 */
function typeOf(value: string | undefined, path: string, log: ProblemLog): OrderShape {
  if (value === undefined) return {};
  if (value === 'LIMIT') return { type: 'limit' };
  if (value === 'LIMIT_MAKER') return { type: 'limit', postOnly: true };
  if (value === 'MARKET') return { type: 'market' };
  if (!OTHER_TYPES.has(value)) log.note(path, value, 'an unknown order type passed through as venueType');
  return { venueType: value };
}

/** Time in force and the post-only flag it implies (USD-M GTX); GTD leaves it unset; an unknown one too, noted. */
function timeInForceOf(value: string | undefined, path: string, log: ProblemLog): { timeInForce?: TimeInForce; postOnly?: boolean } {
  if (value === undefined) return {};
  if (value === 'GTC' || value === 'IOC' || value === 'FOK') return { timeInForce: value };
  if (value === 'GTX') return { postOnly: true };
  if (value !== 'GTD') log.note(path, value, 'an unknown time in force left out');
  return {};
}

/** The object without its undefined entries (reports stay comparable with `deepEqual`). */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function positiveOrUndefined(d: Decimal | undefined): Decimal | undefined {
  return d !== undefined && d.isPositive() ? d : undefined;
}

function averageOf(quote: Decimal | undefined, filled: Decimal | undefined): Decimal | undefined {
  if (quote === undefined || filled === undefined || !filled.isPositive()) return undefined;
  return quote.div(filled, AVERAGE_SCALE).normalize();
}

function checkSymbol(o: Fields, key: string, path: string, market: Market): void {
  const id = readString(o, key, path);
  if (id !== market.id) fail(`${path}${key}`, `the market id ${market.id}`, id);
}

/** A client order id, absent when empty (`""` is what an event without one carries). */
function clientIdOf(o: Fields, key: string, path: string): string | undefined {
  const id = readOptionalString(o, key, path);
  return id === undefined || id === '' ? undefined : id;
}

function orderShape(type: string | undefined, timeInForce: string | undefined, path: string, typeKey: string, tifKey: string, log: ProblemLog): OrderShape {
  const t = typeOf(type, `${path}${typeKey}`, log);
  const f = timeInForceOf(timeInForce, `${path}${tifKey}`, log);
  const postOnly = t.postOnly === true || f.postOnly === true ? true : type === undefined ? undefined : false;
  return { type: t.type, venueType: t.venueType, timeInForce: f.timeInForce, postOnly };
}

// ---------------------------------------------------------------- REST orders

/**
 * A spot order answer (`POST`/`DELETE`/`GET /api/v3/order`, `openOrders` rows). An ACK answer (ids only)
 * reports `new`. On cancels `origClientOrderId` is the order's client id. Fills of a FULL answer are not
 * attached (one report holds one fill): read them with `parseSpotOrderFills`.
 */
export function parseSpotOrder(body: unknown, market: Market, receivedAt: number, path = ''): OrderReport {
  const o = asObject(body, path === '' ? 'order' : path);
  const log = new ProblemLog('binance');
  checkSymbol(o, 'symbol', path, market);
  const orderId = idString(o['orderId'], `${path}orderId`);
  const clientOrderId = clientIdOf(o, 'origClientOrderId', path) ?? clientIdOf(o, 'clientOrderId', path);
  const exchangeTime = timeOf(o, ['updateTime', 'transactTime', 'workingTime', 'time'], path, receivedAt, log);
  if (o['status'] === undefined && o['origQty'] === undefined) {
    return defined<OrderReport>({ venue: 'binance', symbol: market.symbol, orderId, clientOrderId, status: 'new', ...log.attached(), exchangeTime, receivedAt, source: 'rest' });
  }
  const filled = readDecimal(o, 'executedQty', path);
  const type = softString(o, 'type', path, log);
  return defined<OrderReport>({
    venue: 'binance',
    symbol: market.symbol,
    orderId,
    clientOrderId,
    ...statusOf(o['status'], `${path}status`, filled, log),
    filled,
    average: averageOf(softDecimal(o, 'cummulativeQuoteQty', path, log), filled),
    side: sideOf(o['side'], `${path}side`),
    ...orderShape(type, softString(o, 'timeInForce', path, log), path, 'type', 'timeInForce', log),
    price: positiveOrUndefined(softDecimal(o, 'price', path, log)),
    amount: readDecimal(o, 'origQty', path),
    reduceOnly: false,
    ...log.attached(),
    exchangeTime,
    receivedAt,
    source: 'rest',
  });
}

/** The fills of a spot `newOrderRespType=FULL` answer (none for ACK/RESULT answers). */
export function parseSpotOrderFills(body: unknown, market: Market, receivedAt: number): Fill[] {
  const o = asObject(body, 'order');
  if (o['fills'] === undefined) return [];
  const orderId = idString(o['orderId'], 'orderId');
  const clientOrderId = readString(o, 'clientOrderId', '');
  const side = sideOf(o['side'], 'side');
  const exchangeTime = readOptionalInteger(o, 'transactTime', '') ?? receivedAt;
  return asArray(o['fills'], 'fills').map((row, i) => {
    const path = `fills[${i}].`;
    const f = asObject(row, `fills[${i}]`);
    return {
      venue: 'binance',
      symbol: market.symbol,
      tradeId: idString(f['tradeId'], `${path}tradeId`),
      orderId,
      clientOrderId,
      side,
      price: readDecimal(f, 'price', path),
      amount: readDecimal(f, 'qty', path),
      fee: readDecimal(f, 'commission', path),
      feeCurrency: readString(f, 'commissionAsset', path),
      exchangeTime,
      receivedAt,
    };
  });
}

/** A USD-M order answer (`POST`/`DELETE`/`GET /fapi/v1/order`, `openOrders` rows). */
export function parseUsdmOrder(body: unknown, market: Market, receivedAt: number, path = ''): OrderReport {
  const o = asObject(body, path === '' ? 'order' : path);
  const log = new ProblemLog('binance');
  checkSymbol(o, 'symbol', path, market);
  const filled = readDecimal(o, 'executedQty', path);
  const avgPrice = softDecimal(o, 'avgPrice', path, log);
  const cumQuote = softDecimal(o, 'cumQuote', path, log);
  return defined<OrderReport>({
    venue: 'binance',
    symbol: market.symbol,
    orderId: idString(o['orderId'], `${path}orderId`),
    clientOrderId: clientIdOf(o, 'clientOrderId', path),
    ...statusOf(o['status'], `${path}status`, filled, log),
    filled,
    average: filled.isPositive() ? (positiveOrUndefined(avgPrice) ?? averageOf(cumQuote, filled)) : undefined,
    side: sideOf(o['side'], `${path}side`),
    ...orderShape(softString(o, 'type', path, log), softString(o, 'timeInForce', path, log), path, 'type', 'timeInForce', log),
    price: positiveOrUndefined(softDecimal(o, 'price', path, log)),
    amount: readDecimal(o, 'origQty', path),
    reduceOnly: softBoolean(o, 'reduceOnly', path, log),
    ...log.attached(),
    exchangeTime: timeOf(o, ['updateTime', 'time'], path, receivedAt, log),
    receivedAt,
    source: 'rest',
  });
}

/** A spot or USD-M order answer, by the market's segment. */
export function parseOrderFor(body: unknown, market: Market, receivedAt: number, path = ''): OrderReport {
  return market.segment === 'spot' ? parseSpotOrder(body, market, receivedAt, path) : parseUsdmOrder(body, market, receivedAt, path);
}

/** `GET /api/v3/openOrders` / `GET /fapi/v1/openOrders`. */
export function parseOpenOrderList(body: unknown, market: Market, receivedAt: number): OrderReport[] {
  return asArray(body, 'openOrders').map((row, i) => parseOrderFor(row, market, receivedAt, `[${i}].`));
}

/** `GET /api/v3/myTrades` or `GET /fapi/v1/userTrades` rows as fills (side, maker/taker and fee from the row). */
export function parseOwnTrades(body: unknown, market: Market, receivedAt: number): Fill[] {
  const spot = market.segment === 'spot';
  return asArray(body, 'trades').map((row, i) => {
    const path = `[${i}].`;
    const t = asObject(row, `[${i}]`);
    checkSymbol(t, 'symbol', path, market);
    const side: Side = spot ? (readBoolean(t, 'isBuyer', path) ? 'buy' : 'sell') : sideOf(t['side'], `${path}side`);
    const maker = readBoolean(t, spot ? 'isMaker' : 'maker', path);
    return {
      venue: 'binance',
      symbol: market.symbol,
      tradeId: idString(t['id'], `${path}id`),
      orderId: idString(t['orderId'], `${path}orderId`),
      side,
      price: readDecimal(t, 'price', path),
      amount: readDecimal(t, 'qty', path),
      fee: readDecimal(t, 'commission', path),
      feeCurrency: readString(t, 'commissionAsset', path),
      liquidity: maker ? 'maker' : 'taker',
      exchangeTime: readInteger(t, 'time', path),
      receivedAt,
    };
  });
}

// ---------------------------------------------------------------- balances and positions

function entry(currency: string, free: Decimal, total: Decimal): BalanceEntry {
  return { currency, free, used: total.sub(free), total };
}

/**
 * `GET /api/v3/account` (spot: free, locked) or `GET /fapi/v3/account` (USD-M: total = marginBalance,
 * free = availableBalance, used = the rest, i.e. margin held) or a `GET /fapi/v3/balance` array (total =
 * balance + crossUnPnl). USD-M assets with nothing in them are left out, as spot's omitZeroBalances does.
 * A malformed amount throws (a full view missing a currency would read as zero); a malformed time is noted.
 */
export function parseAccountBalances(body: unknown, account: string, receivedAt: number): Balances {
  const balances: Record<string, BalanceEntry> = {};
  const log = new ProblemLog('binance');
  let exchangeTime = 0;
  if (account === 'spot') {
    const o = asObject(body, 'account');
    exchangeTime = timeOf(o, ['updateTime'], '', 0, log);
    readFreeLocked(balances, o['balances'], 'balances', ['asset', 'free', 'locked']);
  } else if (account === 'usdm') {
    const rows = Array.isArray(body) ? body : asObject(body, 'account')['assets'];
    const v3Balance = Array.isArray(body);
    const name = v3Balance ? '' : 'assets';
    asArray(rows, name || 'balance').forEach((row, i) => {
      const path = `${name}[${i}].`;
      const a = asObject(row, `${name}[${i}]`);
      const currency = readString(a, 'asset', path);
      const free = readDecimal(a, 'availableBalance', path);
      const total = v3Balance ? readDecimal(a, 'balance', path).add(readDecimal(a, 'crossUnPnl', path)) : readDecimal(a, 'marginBalance', path);
      exchangeTime = Math.max(exchangeTime, timeOf(a, ['updateTime'], path, 0, log));
      if (total.isZero() && free.isZero()) return;
      balances[currency] = entry(currency, free, total);
    });
  } else {
    fail('account', 'spot or usdm', account);
  }
  return { venue: 'binance', account, balances, partial: false, ...log.attached(), exchangeTime: exchangeTime > 0 ? exchangeTime : receivedAt, receivedAt };
}

function hedgeSideOf(value: unknown, path: string): 'long' | 'short' | undefined {
  if (value === 'BOTH') return undefined;
  if (value === 'LONG') return 'long';
  if (value === 'SHORT') return 'short';
  return fail(path, 'BOTH, LONG or SHORT', value);
}

/** `cross`/`crossed`/`isolated` in any case; an unknown mode is noted and left out. */
function marginModeOf(value: string | undefined, path: string, log: ProblemLog): MarginMode | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.toLowerCase();
  if (v === 'cross' || v === 'crossed') return 'cross';
  if (v === 'isolated') return 'isolated';
  log.note(path, value, 'an unknown margin mode left out');
  return undefined;
}

interface PositionFields {
  readonly symbol: string;
  readonly amount: Decimal;
  readonly hedgeSide: 'long' | 'short' | undefined;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

function position(p: PositionFields, rest: Partial<Position>, log: ProblemLog): Position {
  const side = p.amount.isZero() ? 'flat' : p.amount.isNegative() ? 'short' : 'long';
  return defined<Position>({ venue: 'binance', symbol: p.symbol, side, contracts: p.amount.abs(), hedgeSide: p.hedgeSide, ...rest, ...log.attached(), exchangeTime: p.exchangeTime, receivedAt: p.receivedAt });
}

/**
 * `GET /fapi/v3/positionRisk` rows (v2 rows too: `leverage`, `marginType`). Sizes are base quantities as
 * USD-M counts them; a zero `liquidationPrice` or `entryPrice` means none. Rows of markets the resolver does
 * not know are left out. Size and leg are essential; prices, PnL, leverage and margin mode are noted when unreadable.
 */
export function parsePositionRisk(body: unknown, resolve: MarketResolver, receivedAt: number): Position[] {
  const out: Position[] = [];
  asArray(body, 'positionRisk').forEach((row, i) => {
    const path = `[${i}].`;
    const r = asObject(row, `[${i}]`);
    const market = resolve(readString(r, 'symbol', path), 'usdm');
    if (market === undefined) return;
    const log = new ProblemLog('binance');
    const fields = { symbol: market.symbol, amount: readDecimal(r, 'positionAmt', path), hedgeSide: hedgeSideOf(r['positionSide'], `${path}positionSide`), exchangeTime: timeOf(r, ['updateTime'], path, receivedAt, log), receivedAt };
    out.push(
      position(
        fields,
        {
          entryPrice: positiveOrUndefined(softDecimal(r, 'entryPrice', path, log)),
          markPrice: softDecimal(r, 'markPrice', path, log),
          unrealizedPnl: softDecimal(r, 'unRealizedProfit', path, log),
          leverage: softDecimal(r, 'leverage', path, log),
          marginMode: marginModeOf(softString(r, 'marginType', path, log), `${path}marginType`, log),
          liquidationPrice: positiveOrUndefined(softDecimal(r, 'liquidationPrice', path, log)),
        },
        log,
      ),
    );
  });
  return out;
}

// ---------------------------------------------------------------- stream events

/** True when a fill id is a real trade id (Binance writes -1 on spot and 0 on USD-M when there is none). */
function tradeIdOf(value: unknown, path: string): string | undefined {
  const id = idString(value, path);
  return id === '-1' || id === '0' ? undefined : id;
}

/** Documented execution types (`x`) per private stream, and those that carry a fill. */
const EXECUTIONS = {
  spot: new Set(['NEW', 'CANCELED', 'REPLACED', 'REJECTED', 'TRADE', 'EXPIRED', 'TRADE_PREVENTION', 'AMENDMENT']),
  usdm: new Set(['NEW', 'CANCELED', 'CALCULATED', 'EXPIRED', 'TRADE', 'AMENDMENT']),
} as const;
const FILL_EXECUTIONS: ReadonlySet<string> = new Set(['TRADE', 'CALCULATED']);

/** What an execution event says about its order and its fill, before the order's own fields are read. */
interface Execution {
  readonly market: Market;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly side: Side;
  readonly exchangeTime: number;
  readonly fill: Fill | undefined;
}

/**
 * The order ids, side, time and fill of a spot `executionReport` or a USD-M `ORDER_TRADE_UPDATE.o` (`o` is the
 * order object, `path` its prefix). A trade execution (`TRADE`, USD-M `CALCULATED`) carries a fill; one without
 * a trade id, or with a last quantity or price that is zero or unreadable, gives none (noted). An execution type
 * not documented gives a fill when it has a trade id and a positive quantity and price, and is noted either way.
 * Undefined when the market is unknown. @throws {VenueError} `decode` on a malformed symbol, order id or side.
 */
function readExecution(o: Fields, path: string, segment: 'spot' | 'usdm', resolve: MarketResolver, time: number, receivedAt: number, log: ProblemLog): Execution | undefined {
  const market = resolve(readString(o, 's', path), segment);
  if (market === undefined) return undefined;
  const side = sideOf(o['S'], `${path}S`);
  const orderId = idString(o['i'], `${path}i`);
  // Spot cancels name the original order's client id in `C`; an empty `c` is an order without one.
  const clientOrderId = (segment === 'spot' ? clientIdOf(o, 'C', path) : undefined) ?? clientIdOf(o, 'c', path);
  const exchangeTime = timeOf(o, ['T'], path, time, log);
  const execution = softString(o, 'x', path, log);
  const known = execution !== undefined && EXECUTIONS[segment].has(execution);
  const trade = known && FILL_EXECUTIONS.has(execution);
  let fill: Fill | undefined;
  if (trade || !known) {
    const tradeId = attempt(() => tradeIdOf(o['t'], `${path}t`));
    const amount = attempt(() => readDecimal(o, 'l', path));
    const price = attempt(() => readDecimal(o, 'L', path));
    if (tradeId === undefined) {
      if (trade) log.note(`${path}t`, o['t'], 'no fill: a trade execution without a trade id');
    } else if (amount === undefined || !amount.isPositive()) {
      if (trade || amount === undefined) log.note(`${path}l`, o['l'], 'no fill: an execution of no quantity');
    } else if (price === undefined || !price.isPositive()) {
      log.note(`${path}L`, o['L'], 'no fill: an execution without a price');
    } else {
      const feeCurrency = softString(o, 'N', path, log);
      const maker = softBoolean(o, 'm', path, log);
      fill = defined<Fill>({
        venue: 'binance',
        symbol: market.symbol,
        tradeId,
        orderId,
        clientOrderId,
        side,
        price,
        amount,
        fee: softDecimal(o, 'n', path, log),
        feeCurrency: feeCurrency === '' ? undefined : feeCurrency,
        liquidity: maker === undefined ? undefined : maker ? 'maker' : 'taker',
        exchangeTime,
        receivedAt,
      });
    }
    if (!known) log.note(`${path}x`, o['x'], fill === undefined ? 'an unknown execution type, no fill in it' : 'an unknown execution type passed through as a fill');
  }
  return { market, orderId, clientOrderId, side, exchangeTime, fill };
}

/**
 * The fill of a spot `executionReport` (`usdm`: of a USD-M `ORDER_TRADE_UPDATE`) read on its own: for an event whose
 * order fields cannot be read, so that its fill is not lost with them. Undefined when there is none.
 */
export function salvageExecutionFill(event: Fields, segment: 'spot' | 'usdm', resolve: MarketResolver, receivedAt: number): Fill | undefined {
  const log = new ProblemLog('binance');
  if (segment === 'spot') return attempt(() => readExecution(event, '', 'spot', resolve, eventTime(event, receivedAt, log), receivedAt, log))?.fill;
  const o = event['o'];
  if (typeof o !== 'object' || o === null) return undefined;
  return attempt(() => readExecution(o as Fields, 'o.', 'usdm', resolve, eventTime(event, receivedAt, log), receivedAt, log))?.fill;
}

function eventTime(event: Fields, receivedAt: number, log: ProblemLog): number {
  return timeOf(event, ['T', 'E'], '', receivedAt, log);
}

/**
 * A spot `executionReport`. `x` = TRADE carries the fill (`t`, `L`, `l`, `n`/`N`, `m`); the client id is
 * `C` (the original order's) on cancels, else `c` (absent when empty); average = `Z` / `z`. An unknown status,
 * type or time in force passes through (`venueStatus`, `venueType`), noted on `problems`. Undefined when `s` is
 * not a known market. @throws {VenueError} `decode` on a malformed `s`, `i`, `S`, `z` or `q`.
 */
export function parseExecutionReport(event: Fields, resolve: MarketResolver, receivedAt: number): OrderReport | undefined {
  const log = new ProblemLog('binance');
  const ex = readExecution(event, '', 'spot', resolve, timeOf(event, ['E'], '', receivedAt, log), receivedAt, log);
  if (ex === undefined) return undefined;
  const filled = readDecimal(event, 'z', '');
  const reason = softString(event, 'r', '', log);
  return defined<OrderReport>({
    venue: 'binance',
    symbol: ex.market.symbol,
    orderId: ex.orderId,
    clientOrderId: ex.clientOrderId,
    ...statusOf(event['X'], 'X', filled, log),
    filled,
    average: averageOf(softDecimal(event, 'Z', '', log), filled),
    side: ex.side,
    ...orderShape(softString(event, 'o', '', log), softString(event, 'f', '', log), '', 'o', 'f', log),
    price: positiveOrUndefined(softDecimal(event, 'p', '', log)),
    amount: readDecimal(event, 'q', ''),
    reduceOnly: false,
    fill: ex.fill,
    reason: reason === undefined || reason === '' || reason === 'NONE' ? undefined : reason,
    ...log.attached(),
    exchangeTime: ex.exchangeTime,
    receivedAt,
    source: 'stream',
  });
}

/**
 * Spot balance rows (`{asset, free, locked}` over REST, `{a, f, l}` on the stream) into `out`; total = free + locked.
 * With `log` (a partial stream update), a malformed row is left out and noted; without, it throws.
 */
function readFreeLocked(out: Record<string, BalanceEntry>, rows: unknown, name: string, [asset, freeKey, lockedKey]: readonly [string, string, string], log?: ProblemLog): void {
  asArray(rows, name).forEach((row, i) => {
    const path = `${name}[${i}].`;
    const read = (): BalanceEntry => {
      const b = asObject(row, `${name}[${i}]`);
      const currency = readString(b, asset, path);
      const free = readDecimal(b, freeKey, path);
      return entry(currency, free, free.add(readDecimal(b, lockedKey, path)));
    };
    const e = log === undefined ? read() : attempt(read);
    if (e === undefined) log?.note(`${name}[${i}]`, row, 'a balance row that cannot be read left out');
    else out[e.currency] = e;
  });
}

/** A spot `outboundAccountPosition`: the changed balances (`partial: true`), total = free + locked; a bad row is left out, noted. */
export function parseOutboundAccountPosition(event: Fields, receivedAt: number): Balances {
  const log = new ProblemLog('binance');
  const balances: Record<string, BalanceEntry> = {};
  readFreeLocked(balances, event['B'], 'B', ['a', 'f', 'l'], log);
  const exchangeTime = timeOf(event, ['u', 'E'], '', receivedAt, log);
  return { venue: 'binance', account: 'spot', balances, partial: true, ...log.attached(), exchangeTime, receivedAt };
}

/**
 * A USD-M `ORDER_TRADE_UPDATE`. `x` = TRADE (or CALCULATED, a liquidation) with a trade id carries the
 * fill (`t`, `L`, `l`, `n`/`N` when sent, `m`); `ap` is the average price. Liquidation statuses `NEW_INSURANCE`
 * and `NEW_ADL` are `new` with their `venueStatus`; an unknown status, type or time in force passes through,
 * noted on `problems`. Undefined for unknown markets. @throws {VenueError} `decode` on a malformed `s`, `i`, `S`,
 * `z` or `q`.
 */
export function parseOrderTradeUpdate(event: Fields, resolve: MarketResolver, receivedAt: number): OrderReport | undefined {
  const o = asObject(event['o'], 'o');
  const log = new ProblemLog('binance');
  const ex = readExecution(o, 'o.', 'usdm', resolve, eventTime(event, receivedAt, log), receivedAt, log);
  if (ex === undefined) return undefined;
  const filled = readDecimal(o, 'z', 'o.');
  return defined<OrderReport>({
    venue: 'binance',
    symbol: ex.market.symbol,
    orderId: ex.orderId,
    clientOrderId: ex.clientOrderId,
    ...statusOf(o['X'], 'o.X', filled, log),
    filled,
    average: filled.isPositive() ? positiveOrUndefined(softDecimal(o, 'ap', 'o.', log)) : undefined,
    side: ex.side,
    ...orderShape(softString(o, 'o', 'o.', log), softString(o, 'f', 'o.', log), 'o.', 'o', 'f', log),
    price: positiveOrUndefined(softDecimal(o, 'p', 'o.', log)),
    amount: readDecimal(o, 'q', 'o.'),
    reduceOnly: softBoolean(o, 'R', 'o.', log),
    fill: ex.fill,
    ...log.attached(),
    exchangeTime: ex.exchangeTime,
    receivedAt,
    source: 'stream',
  });
}

/**
 * A USD-M `ACCOUNT_UPDATE`: wallet balances (`partial: true`; total = `wb` wallet balance, free = `cw` cross
 * wallet balance, used = the isolated wallets `wb - cw`) and positions (`pa` signed, `ep`, `up`, `cr`, `mt`,
 * `ps`). The stream carries no available balance: REST `free` (availableBalance) and stream `free` differ.
 * A row that cannot be read is left out and noted in `problems` (the update is partial: the rest stands), as is
 * an unreadable time.
 */
export function parseAccountUpdate(event: Fields, resolve: MarketResolver, receivedAt: number): { balances: Balances; positions: Position[]; problems: DecodeProblem[] } {
  const a = asObject(event['a'], 'a');
  const log = new ProblemLog('binance');
  const exchangeTime = eventTime(event, receivedAt, log);
  const balances: Record<string, BalanceEntry> = {};
  asArray(a['B'] ?? [], 'a.B').forEach((row, i) => {
    const path = `a.B[${i}].`;
    const read = (): BalanceEntry => {
      const b = asObject(row, `a.B[${i}]`);
      return entry(readString(b, 'a', path), readDecimal(b, 'cw', path), readDecimal(b, 'wb', path));
    };
    const e = attempt(read);
    if (e === undefined) log.note(`a.B[${i}]`, row, 'a balance row that cannot be read left out');
    else balances[e.currency] = e;
  });
  const positions: Position[] = [];
  asArray(a['P'] ?? [], 'a.P').forEach((row, i) => {
    const path = `a.P[${i}].`;
    const rowLog = new ProblemLog('binance');
    const read = (): Position | undefined => {
      const p = asObject(row, `a.P[${i}]`);
      const market = resolve(readString(p, 's', path), 'usdm');
      if (market === undefined) return undefined;
      const fields = { symbol: market.symbol, amount: readDecimal(p, 'pa', path), hedgeSide: hedgeSideOf(p['ps'], `${path}ps`), exchangeTime, receivedAt };
      return position(
        fields,
        {
          entryPrice: positiveOrUndefined(softDecimal(p, 'ep', path, rowLog)),
          unrealizedPnl: softDecimal(p, 'up', path, rowLog),
          realizedPnl: softDecimal(p, 'cr', path, rowLog),
          marginMode: marginModeOf(softString(p, 'mt', path, rowLog), `${path}mt`, rowLog),
        },
        rowLog,
      );
    };
    try {
      const p = read();
      if (p !== undefined) positions.push(p);
    } catch (err) {
      if (!VenueError.is(err, 'decode')) throw err;
      log.note(`a.P[${i}]`, row, 'a position row that cannot be read left out');
    }
  });
  return { balances: { venue: 'binance', account: 'usdm', balances, partial: true, exchangeTime, receivedAt }, positions, problems: log.problems };
}
