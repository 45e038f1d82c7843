/**
 * Pure Binance wire → model parsers for trading: orders (spot and USD-M REST, spot executionReport, USD-M
 * ORDER_TRADE_UPDATE) with their fills, own trades, balances and positions. Malformed input or an unknown
 * status throws `VenueError('decode')` naming the field.
 */
import type { Decimal } from '../../core/decimal.js';
import { idString } from '../../core/json.js';
import type { Market, Side } from '../../core/model.js';
import type { Fill, OrderReport, OrderType, ReportedStatus, TimeInForce } from '../../core/orders/order-model.js';
import type { BalanceEntry, Balances, MarginMode, MarketResolver, Position } from '../../core/trading.js';
import { asArray, asObject, fail, readBoolean, readDecimal, readInteger, readOptionalDecimal, readOptionalInteger, readOptionalString, readString, type Fields } from './field-readers.js';

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
};

/**
 * A Binance order status as a reported one. `PENDING_CANCEL` (documented, unused) means still working:
 * `partially-filled` when something filled, else `new`. @throws {VenueError} `decode` on an unknown status.
 */
export function binanceOrderStatus(value: unknown, path: string, filled: Decimal | undefined): ReportedStatus {
  const status = typeof value === 'string' ? STATUS[value] : undefined;
  if (status === undefined) fail(path, `an order status (${Object.keys(STATUS).join(', ')})`, value);
  if (status !== 'pending-cancel') return status;
  return filled !== undefined && filled.isPositive() ? 'partially-filled' : 'new';
}

function sideOf(value: unknown, path: string): Side {
  if (value === 'BUY') return 'buy';
  if (value === 'SELL') return 'sell';
  return fail(path, 'BUY or SELL', value);
}

/** Order type and the post-only flag it implies (spot LIMIT_MAKER); other venue types leave `type` unset. */
function typeOf(value: string | undefined): { type?: OrderType; postOnly?: boolean } {
  if (value === 'LIMIT') return { type: 'limit' };
  if (value === 'LIMIT_MAKER') return { type: 'limit', postOnly: true };
  if (value === 'MARKET') return { type: 'market' };
  return {};
}

/** Time in force and the post-only flag it implies (USD-M GTX); GTD and others leave it unset. */
function timeInForceOf(value: string | undefined): { timeInForce?: TimeInForce; postOnly?: boolean } {
  if (value === 'GTC' || value === 'IOC' || value === 'FOK') return { timeInForce: value };
  if (value === 'GTX') return { postOnly: true };
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

function orderShape(type: string | undefined, timeInForce: string | undefined): { type?: OrderType | undefined; timeInForce?: TimeInForce | undefined; postOnly?: boolean | undefined } {
  const t = typeOf(type);
  const f = timeInForceOf(timeInForce);
  const postOnly = t.postOnly === true || f.postOnly === true ? true : type === undefined ? undefined : false;
  return { type: t.type, timeInForce: f.timeInForce, postOnly };
}

// ---------------------------------------------------------------- REST orders

/**
 * A spot order answer (`POST`/`DELETE`/`GET /api/v3/order`, `openOrders` rows). An ACK answer (ids only)
 * reports `new`. On cancels `origClientOrderId` is the order's client id. Fills of a FULL answer are not
 * attached (one report holds one fill): read them with `parseSpotOrderFills`.
 */
export function parseSpotOrder(body: unknown, market: Market, receivedAt: number, path = ''): OrderReport {
  const o = asObject(body, path === '' ? 'order' : path);
  checkSymbol(o, 'symbol', path, market);
  const orderId = idString(o['orderId'], `${path}orderId`);
  const clientOrderId = readOptionalString(o, 'origClientOrderId', path) || readString(o, 'clientOrderId', path);
  const exchangeTime = readOptionalInteger(o, 'updateTime', path) ?? readOptionalInteger(o, 'transactTime', path) ?? readOptionalInteger(o, 'workingTime', path) ?? readOptionalInteger(o, 'time', path) ?? receivedAt;
  if (o['status'] === undefined && o['origQty'] === undefined) {
    return { venue: 'binance', symbol: market.symbol, orderId, clientOrderId, status: 'new', exchangeTime, receivedAt, source: 'rest' };
  }
  const filled = readDecimal(o, 'executedQty', path);
  const type = readOptionalString(o, 'type', path);
  return defined<OrderReport>({
    venue: 'binance',
    symbol: market.symbol,
    orderId,
    clientOrderId,
    status: binanceOrderStatus(o['status'], `${path}status`, filled),
    filled,
    average: averageOf(readOptionalDecimal(o, 'cummulativeQuoteQty', path), filled),
    side: sideOf(o['side'], `${path}side`),
    ...orderShape(type, readOptionalString(o, 'timeInForce', path)),
    price: positiveOrUndefined(readOptionalDecimal(o, 'price', path)),
    amount: readDecimal(o, 'origQty', path),
    reduceOnly: false,
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
  checkSymbol(o, 'symbol', path, market);
  const filled = readDecimal(o, 'executedQty', path);
  const avgPrice = readOptionalDecimal(o, 'avgPrice', path);
  const cumQuote = readOptionalDecimal(o, 'cumQuote', path);
  return defined<OrderReport>({
    venue: 'binance',
    symbol: market.symbol,
    orderId: idString(o['orderId'], `${path}orderId`),
    clientOrderId: readString(o, 'clientOrderId', path),
    status: binanceOrderStatus(o['status'], `${path}status`, filled),
    filled,
    average: filled.isPositive() ? (positiveOrUndefined(avgPrice) ?? averageOf(cumQuote, filled)) : undefined,
    side: sideOf(o['side'], `${path}side`),
    ...orderShape(readString(o, 'type', path), readOptionalString(o, 'timeInForce', path)),
    price: positiveOrUndefined(readOptionalDecimal(o, 'price', path)),
    amount: readDecimal(o, 'origQty', path),
    reduceOnly: readBoolean(o, 'reduceOnly', path),
    exchangeTime: readOptionalInteger(o, 'updateTime', path) ?? readOptionalInteger(o, 'time', path) ?? receivedAt,
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
 */
export function parseAccountBalances(body: unknown, account: string, receivedAt: number): Balances {
  const balances: Record<string, BalanceEntry> = {};
  let exchangeTime = 0;
  if (account === 'spot') {
    const o = asObject(body, 'account');
    exchangeTime = readOptionalInteger(o, 'updateTime', '') ?? 0;
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
      exchangeTime = Math.max(exchangeTime, readOptionalInteger(a, 'updateTime', path) ?? 0);
      if (total.isZero() && free.isZero()) return;
      balances[currency] = entry(currency, free, total);
    });
  } else {
    fail('account', 'spot or usdm', account);
  }
  return { venue: 'binance', account, balances, partial: false, exchangeTime: exchangeTime > 0 ? exchangeTime : receivedAt, receivedAt };
}

function hedgeSideOf(value: unknown, path: string): 'long' | 'short' | undefined {
  if (value === 'BOTH') return undefined;
  if (value === 'LONG') return 'long';
  if (value === 'SHORT') return 'short';
  return fail(path, 'BOTH, LONG or SHORT', value);
}

function marginModeOf(value: string | undefined, path: string): MarginMode | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'cross' || v === 'crossed') return 'cross';
  if (v === 'isolated') return 'isolated';
  return fail(path, 'cross or isolated', value);
}

interface PositionFields {
  readonly symbol: string;
  readonly amount: Decimal;
  readonly hedgeSide: 'long' | 'short' | undefined;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

function position(p: PositionFields, rest: Partial<Position>): Position {
  const side = p.amount.isZero() ? 'flat' : p.amount.isNegative() ? 'short' : 'long';
  return defined<Position>({ venue: 'binance', symbol: p.symbol, side, contracts: p.amount.abs(), hedgeSide: p.hedgeSide, ...rest, exchangeTime: p.exchangeTime, receivedAt: p.receivedAt });
}

/**
 * `GET /fapi/v3/positionRisk` rows (v2 rows too: `leverage`, `marginType`). Sizes are base quantities as
 * USD-M counts them; a zero `liquidationPrice` or `entryPrice` means none. Rows of markets the resolver does
 * not know are left out.
 */
export function parsePositionRisk(body: unknown, resolve: MarketResolver, receivedAt: number): Position[] {
  const out: Position[] = [];
  asArray(body, 'positionRisk').forEach((row, i) => {
    const path = `[${i}].`;
    const r = asObject(row, `[${i}]`);
    const market = resolve(readString(r, 'symbol', path), 'usdm');
    if (market === undefined) return;
    const updateTime = readOptionalInteger(r, 'updateTime', path) ?? 0;
    const fields = { symbol: market.symbol, amount: readDecimal(r, 'positionAmt', path), hedgeSide: hedgeSideOf(r['positionSide'], `${path}positionSide`), exchangeTime: updateTime > 0 ? updateTime : receivedAt, receivedAt };
    out.push(
      position(fields, {
        entryPrice: positiveOrUndefined(readDecimal(r, 'entryPrice', path)),
        markPrice: readOptionalDecimal(r, 'markPrice', path),
        unrealizedPnl: readOptionalDecimal(r, 'unRealizedProfit', path),
        leverage: readOptionalDecimal(r, 'leverage', path),
        marginMode: marginModeOf(readOptionalString(r, 'marginType', path), `${path}marginType`),
        liquidationPrice: positiveOrUndefined(readOptionalDecimal(r, 'liquidationPrice', path)),
      }),
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

/**
 * A spot `executionReport`. `x` = TRADE carries the fill (`t`, `L`, `l`, `n`/`N`, `m`); the client id is
 * `C` (the original order's) on cancels, else `c`; average = `Z` / `z`. Undefined when `s` is not a known market.
 */
export function parseExecutionReport(event: Fields, resolve: MarketResolver, receivedAt: number): OrderReport | undefined {
  const market = resolve(readString(event, 's', ''), 'spot');
  if (market === undefined) return undefined;
  const filled = readDecimal(event, 'z', '');
  const side = sideOf(event['S'], 'S');
  const orderId = idString(event['i'], 'i');
  const original = readOptionalString(event, 'C', '');
  const clientOrderId = original !== undefined && original !== '' ? original : readString(event, 'c', '');
  const exchangeTime = readOptionalInteger(event, 'T', '') ?? readInteger(event, 'E', '');
  let fill: Fill | undefined;
  if (readString(event, 'x', '') === 'TRADE') {
    const tradeId = tradeIdOf(event['t'], 't');
    if (tradeId === undefined) fail('t', 'a trade id on a TRADE execution', event['t']);
    const feeCurrency = readOptionalString(event, 'N', '');
    fill = defined<Fill>({
      venue: 'binance',
      symbol: market.symbol,
      tradeId,
      orderId,
      clientOrderId,
      side,
      price: readDecimal(event, 'L', ''),
      amount: readDecimal(event, 'l', ''),
      fee: readDecimal(event, 'n', ''),
      feeCurrency: feeCurrency === '' ? undefined : feeCurrency,
      liquidity: readBoolean(event, 'm', '') ? 'maker' : 'taker',
      exchangeTime,
      receivedAt,
    });
  }
  const reason = readOptionalString(event, 'r', '');
  return defined<OrderReport>({
    venue: 'binance',
    symbol: market.symbol,
    orderId,
    clientOrderId,
    status: binanceOrderStatus(event['X'], 'X', filled),
    filled,
    average: averageOf(readOptionalDecimal(event, 'Z', ''), filled),
    side,
    ...orderShape(readString(event, 'o', ''), readOptionalString(event, 'f', '')),
    price: positiveOrUndefined(readDecimal(event, 'p', '')),
    amount: readDecimal(event, 'q', ''),
    reduceOnly: false,
    fill,
    reason: reason === undefined || reason === 'NONE' ? undefined : reason,
    exchangeTime,
    receivedAt,
    source: 'stream',
  });
}

/** Spot balance rows (`{asset, free, locked}` over REST, `{a, f, l}` on the stream) into `out`; total = free + locked. */
function readFreeLocked(out: Record<string, BalanceEntry>, rows: unknown, name: string, [asset, freeKey, lockedKey]: readonly [string, string, string]): void {
  asArray(rows, name).forEach((row, i) => {
    const path = `${name}[${i}].`;
    const b = asObject(row, `${name}[${i}]`);
    const currency = readString(b, asset, path);
    const free = readDecimal(b, freeKey, path);
    out[currency] = entry(currency, free, free.add(readDecimal(b, lockedKey, path)));
  });
}

/** A spot `outboundAccountPosition`: the changed balances (`partial: true`), total = free + locked. */
export function parseOutboundAccountPosition(event: Fields, receivedAt: number): Balances {
  const balances: Record<string, BalanceEntry> = {};
  readFreeLocked(balances, event['B'], 'B', ['a', 'f', 'l']);
  const exchangeTime = readOptionalInteger(event, 'u', '') ?? readInteger(event, 'E', '');
  return { venue: 'binance', account: 'spot', balances, partial: true, exchangeTime, receivedAt };
}

/**
 * A USD-M `ORDER_TRADE_UPDATE`. `x` = TRADE (or CALCULATED, a liquidation) with a trade id carries the
 * fill (`t`, `L`, `l`, `n`/`N` when sent, `m`); `ap` is the average price. Undefined for unknown markets.
 */
export function parseOrderTradeUpdate(event: Fields, resolve: MarketResolver, receivedAt: number): OrderReport | undefined {
  const o = asObject(event['o'], 'o');
  const market = resolve(readString(o, 's', 'o.'), 'usdm');
  if (market === undefined) return undefined;
  const filled = readDecimal(o, 'z', 'o.');
  const side = sideOf(o['S'], 'o.S');
  const orderId = idString(o['i'], 'o.i');
  const clientOrderId = readString(o, 'c', 'o.');
  const exchangeTime = readOptionalInteger(o, 'T', 'o.') ?? readOptionalInteger(event, 'T', '') ?? readInteger(event, 'E', '');
  const execution = readString(o, 'x', 'o.');
  const tradeId = execution === 'TRADE' || execution === 'CALCULATED' ? tradeIdOf(o['t'], 'o.t') : undefined;
  if (execution === 'TRADE' && tradeId === undefined) fail('o.t', 'a trade id on a TRADE execution', o['t']);
  const fill =
    tradeId === undefined
      ? undefined
      : defined<Fill>({
          venue: 'binance',
          symbol: market.symbol,
          tradeId,
          orderId,
          clientOrderId,
          side,
          price: readDecimal(o, 'L', 'o.'),
          amount: readDecimal(o, 'l', 'o.'),
          fee: readOptionalDecimal(o, 'n', 'o.'),
          feeCurrency: readOptionalString(o, 'N', 'o.'),
          liquidity: readBoolean(o, 'm', 'o.') ? 'maker' : 'taker',
          exchangeTime,
          receivedAt,
        });
  return defined<OrderReport>({
    venue: 'binance',
    symbol: market.symbol,
    orderId,
    clientOrderId,
    status: binanceOrderStatus(o['X'], 'o.X', filled),
    filled,
    average: filled.isPositive() ? positiveOrUndefined(readDecimal(o, 'ap', 'o.')) : undefined,
    side,
    ...orderShape(readString(o, 'o', 'o.'), readOptionalString(o, 'f', 'o.')),
    price: positiveOrUndefined(readDecimal(o, 'p', 'o.')),
    amount: readDecimal(o, 'q', 'o.'),
    reduceOnly: readBoolean(o, 'R', 'o.'),
    fill,
    exchangeTime,
    receivedAt,
    source: 'stream',
  });
}

/**
 * A USD-M `ACCOUNT_UPDATE`: wallet balances (`partial: true`; total = `wb` wallet balance, free = `cw` cross
 * wallet balance, used = the isolated wallets `wb - cw`) and positions (`pa` signed, `ep`, `up`, `cr`, `mt`,
 * `ps`). The stream carries no available balance: REST `free` (availableBalance) and stream `free` differ.
 */
export function parseAccountUpdate(event: Fields, resolve: MarketResolver, receivedAt: number): { balances: Balances; positions: Position[] } {
  const a = asObject(event['a'], 'a');
  const exchangeTime = readOptionalInteger(event, 'T', '') ?? readInteger(event, 'E', '');
  const balances: Record<string, BalanceEntry> = {};
  asArray(a['B'], 'a.B').forEach((row, i) => {
    const path = `a.B[${i}].`;
    const b = asObject(row, `a.B[${i}]`);
    const currency = readString(b, 'a', path);
    balances[currency] = entry(currency, readDecimal(b, 'cw', path), readDecimal(b, 'wb', path));
  });
  const positions: Position[] = [];
  asArray(a['P'] ?? [], 'a.P').forEach((row, i) => {
    const path = `a.P[${i}].`;
    const p = asObject(row, `a.P[${i}]`);
    const market = resolve(readString(p, 's', path), 'usdm');
    if (market === undefined) return;
    const fields = { symbol: market.symbol, amount: readDecimal(p, 'pa', path), hedgeSide: hedgeSideOf(p['ps'], `${path}ps`), exchangeTime, receivedAt };
    positions.push(
      position(fields, {
        entryPrice: positiveOrUndefined(readDecimal(p, 'ep', path)),
        unrealizedPnl: readDecimal(p, 'up', path),
        realizedPnl: readOptionalDecimal(p, 'cr', path),
        marginMode: marginModeOf(readOptionalString(p, 'mt', path), `${path}mt`),
      }),
    );
  });
  return { balances: { venue: 'binance', account: 'usdm', balances, partial: true, exchangeTime, receivedAt }, positions };
}
