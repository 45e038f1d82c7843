/**
 * Binance REST trading bodies written from the engine's orders, fills, balances and positions, in the field order and
 * types of test/fixtures/binance/rest (spot-order-*, spot-my-trades, spot-account, usdm-order-*, usdm-balance-v3...).
 */
import { Decimal, parseScaled } from '../../../core/decimal.js';
import { VenueError } from '../../../core/errors.js';
import type { SimBalance, SimFill, SimOrder, SimOrderStatus, SimPosition } from '../trading/engine-types.js';
import { price, qty, type WireSymbol } from './wire-format.js';

// ------------------------------------------------------------------ JSON with 64-bit integer ids

const RAW_MARK = '\u0001int:';

/** A decimal-string id to be written as a bare JSON integer by `toJson` (never through a JS number). */
export function rawInt(digits: string): string {
  if (!/^-?[0-9]+$/.test(digits)) throw new VenueError('invalid-argument', `not an integer id: ${digits}`);
  return RAW_MARK + digits;
}

/** `JSON.stringify`, with `rawInt` values written as bare integers. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001int:(-?[0-9]+)"/g, '$1');
}

// ------------------------------------------------------------------ shared number formats

/** A money amount with exactly `decimals` decimals. */
export function money(d: Decimal, decimals = 8): string {
  return d.toScale(decimals, 'half-even').toString();
}

export function priceDecimal(w: WireSymbol, units: number): Decimal {
  return Decimal.fromScaled(units, w.instrument.priceScale);
}

export function qtyDecimal(w: WireSymbol, units: number): Decimal {
  return Decimal.fromScaled(units, w.instrument.qtyScale);
}

/** A quote amount (price × size) at the exact scale `priceScale + qtyScale` (USD-M `cumQuote`, `quoteQty`). */
function exactQuote(w: WireSymbol, d: Decimal): string {
  return money(d, w.instrument.priceScale + w.instrument.qtyScale);
}

export const STATUS: Record<SimOrderStatus, string> = { new: 'NEW', 'partially-filled': 'PARTIALLY_FILLED', filled: 'FILLED', cancelled: 'CANCELED', rejected: 'REJECTED', expired: 'EXPIRED' };

export function sideOf(o: { side: 'buy' | 'sell' }): string {
  return o.side === 'buy' ? 'BUY' : 'SELL';
}

/** Spot order type: post-only limits are `LIMIT_MAKER`. */
export function spotType(o: SimOrder): string {
  if (o.type === 'market') return 'MARKET';
  return o.timeInForce === 'GTX' ? 'LIMIT_MAKER' : 'LIMIT';
}

/** Spot `timeInForce`: MARKET and LIMIT_MAKER orders report `GTC` (spot-order-new-result.json). */
export function spotTif(o: SimOrder): string {
  return o.type === 'market' || o.timeInForce === 'GTX' ? 'GTC' : o.timeInForce;
}

export function usdmTif(o: SimOrder): string {
  return o.type === 'market' ? 'GTC' : o.timeInForce;
}

export function isWorking(o: SimOrder): boolean {
  return o.status === 'new' || o.status === 'partially-filled';
}

function orderPrice(w: WireSymbol, o: SimOrder): string {
  return price(w, o.type === 'market' ? 0 : (o.priceUnits ?? 0));
}

// ------------------------------------------------------------------ spot

export type SpotRespType = 'ACK' | 'RESULT' | 'FULL';

/** `POST /api/v3/order` answer (spot-order-new-{ack,result,full}.json). */
export function spotNewOrderBody(w: WireSymbol, o: SimOrder, fills: readonly SimFill[], respType: SpotRespType, transactTime: number): Record<string, unknown> {
  const ack = { symbol: w.id, orderId: rawInt(o.orderId), orderListId: -1, clientOrderId: o.clientOrderId, transactTime };
  if (respType === 'ACK') return ack;
  const result = {
    ...ack,
    price: orderPrice(w, o),
    origQty: qty(w, o.qtyUnits),
    executedQty: qty(w, o.filledUnits),
    origQuoteOrderQty: money(Decimal.ZERO, w.priceDecimals),
    cummulativeQuoteQty: money(o.cumQuote, w.priceDecimals),
    status: STATUS[o.status],
    timeInForce: spotTif(o),
    type: spotType(o),
    side: sideOf(o),
    workingTime: isWorking(o) || o.filledUnits > 0 ? o.createdAt : -1,
    selfTradePreventionMode: 'NONE',
  };
  if (respType === 'RESULT') return result;
  return { ...result, fills: fills.map((f) => ({ price: price(w, f.priceUnits), qty: qty(w, f.qtyUnits), commission: money(f.fee), commissionAsset: f.feeCurrency, tradeId: rawInt(f.tradeId) })) };
}

/** `GET /api/v3/order` and each entry of `GET /api/v3/openOrders` (spot-order-query.json). */
export function spotQueryBody(w: WireSymbol, o: SimOrder): Record<string, unknown> {
  return {
    symbol: w.id,
    orderId: rawInt(o.orderId),
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: orderPrice(w, o),
    origQty: qty(w, o.qtyUnits),
    executedQty: qty(w, o.filledUnits),
    cummulativeQuoteQty: money(o.cumQuote, w.priceDecimals),
    status: STATUS[o.status],
    timeInForce: spotTif(o),
    type: spotType(o),
    side: sideOf(o),
    stopPrice: price(w, 0),
    icebergQty: qty(w, 0),
    time: o.createdAt,
    updateTime: o.updatedAt,
    isWorking: isWorking(o),
    workingTime: o.createdAt,
    origQuoteOrderQty: money(Decimal.ZERO, w.priceDecimals),
    selfTradePreventionMode: 'NONE',
  };
}

/** `DELETE /api/v3/order` answer (spot-order-cancel.json): `clientOrderId` is the cancel's own id. */
export function spotCancelBody(w: WireSymbol, o: SimOrder, cancelClientOrderId: string, transactTime: number): Record<string, unknown> {
  return {
    symbol: w.id,
    origClientOrderId: o.clientOrderId,
    orderId: rawInt(o.orderId),
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime,
    price: orderPrice(w, o),
    origQty: qty(w, o.qtyUnits),
    executedQty: qty(w, o.filledUnits),
    origQuoteOrderQty: money(Decimal.ZERO, w.priceDecimals),
    cummulativeQuoteQty: money(o.cumQuote, w.priceDecimals),
    status: STATUS[o.status],
    timeInForce: spotTif(o),
    type: spotType(o),
    side: sideOf(o),
    selfTradePreventionMode: 'NONE',
  };
}

/** One entry of `GET /api/v3/myTrades` (spot-my-trades.json). */
export function spotTradeBody(w: WireSymbol, f: SimFill): Record<string, unknown> {
  return {
    symbol: w.id,
    id: rawInt(f.tradeId),
    orderId: rawInt(f.orderId),
    orderListId: -1,
    price: price(w, f.priceUnits),
    qty: qty(w, f.qtyUnits),
    quoteQty: money(priceDecimal(w, f.priceUnits).mul(qtyDecimal(w, f.qtyUnits)), w.priceDecimals),
    commission: money(f.fee),
    commissionAsset: f.feeCurrency,
    time: f.time,
    isBuyer: f.side === 'buy',
    isMaker: f.liquidity === 'maker',
    isBestMatch: true,
  };
}

/** Fee rates as Binance writes them: basis points as integers and the rates with 8 decimals. */
export interface FeeRates {
  readonly maker: Decimal;
  readonly taker: Decimal;
}

/** `GET /api/v3/account` (spot-account.json). */
export function spotAccountBody(balances: readonly SimBalance[], fees: FeeRates, now: number, uid: number): Record<string, unknown> {
  const bps = (d: Decimal): number => Number(d.mul(Decimal.from(10000)).toScale(0, 'half-even').toString());
  return {
    makerCommission: bps(fees.maker),
    takerCommission: bps(fees.taker),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: money(fees.maker), taker: money(fees.taker), buyer: money(Decimal.ZERO), seller: money(Decimal.ZERO) },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: now,
    accountType: 'SPOT',
    balances: balances.map((b) => ({ asset: b.currency, free: money(b.free), locked: money(b.locked) })),
    permissions: ['SPOT'],
    uid,
  };
}

// ------------------------------------------------------------------ USD-M

/** Average fill price, exact to `priceScale + qtyScale` decimals; `0` at the price's decimals before any fill. */
export function usdmAvgPrice(w: WireSymbol, o: SimOrder): string {
  if (o.filledUnits === 0) return price(w, 0);
  const scale = w.instrument.priceScale + w.instrument.qtyScale;
  return money(o.cumQuote.div(qtyDecimal(w, o.filledUnits), scale, 'half-even'), scale);
}

/**
 * A USD-M order (usdm-order-new-recorded.json); `query` adds `time` and drops `cumQty` like the recorded
 * query and open-orders bodies.
 */
export function usdmOrderBody(w: WireSymbol, o: SimOrder, query: boolean): Record<string, unknown> {
  const head = {
    orderId: rawInt(o.orderId),
    symbol: w.id,
    status: STATUS[o.status],
    clientOrderId: o.clientOrderId,
    price: orderPrice(w, o),
    avgPrice: usdmAvgPrice(w, o),
    origQty: qty(w, o.qtyUnits),
    executedQty: qty(w, o.filledUnits),
  };
  const type = o.type === 'market' ? 'MARKET' : 'LIMIT';
  const tail = {
    cumQuote: exactQuote(w, o.cumQuote),
    timeInForce: usdmTif(o),
    type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: sideOf(o),
    positionSide: 'BOTH',
    stopPrice: price(w, 0),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'NONE',
    goodTillDate: 0,
  };
  if (query) return { ...head, ...tail, time: o.createdAt, updateTime: o.updatedAt };
  return { ...head, cumQty: qty(w, o.filledUnits), ...tail, updateTime: o.updatedAt };
}

/** One entry of `GET /fapi/v1/userTrades` (usdm-user-trades.json). */
export function usdmTradeBody(w: WireSymbol, f: SimFill, realizedPnl: Decimal): Record<string, unknown> {
  return {
    buyer: f.side === 'buy',
    commission: money(f.fee),
    commissionAsset: f.feeCurrency,
    id: rawInt(f.tradeId),
    maker: f.liquidity === 'maker',
    orderId: rawInt(f.orderId),
    price: price(w, f.priceUnits),
    qty: qty(w, f.qtyUnits),
    quoteQty: exactQuote(w, priceDecimal(w, f.priceUnits).mul(qtyDecimal(w, f.qtyUnits))),
    realizedPnl: money(realizedPnl),
    side: sideOf(f),
    positionSide: 'BOTH',
    symbol: w.id,
    time: f.time,
  };
}

/**
 * Realized PnL of each fill of one symbol (by trade id), replaying the one-way position over the fills in order:
 * a fill that reduces the position realizes `(price - entry) × closed × contractSize` (sign of the position);
 * commissions are not included, as on Binance.
 */
export function realizedPnlByFill(w: WireSymbol, fills: readonly SimFill[]): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  const contract = Decimal.from(w.instrument.contractSize);
  const entryScale = w.instrument.priceScale + 8;
  let pos = 0n;
  let entry = Decimal.ZERO;
  for (const f of fills) {
    const q = BigInt(f.side === 'buy' ? f.qtyUnits : -f.qtyUnits);
    const px = priceDecimal(w, f.priceUnits);
    let realized = Decimal.ZERO;
    if (pos === 0n || (pos > 0n) === (q > 0n)) {
      const absPos = pos < 0n ? -pos : pos;
      const absQ = q < 0n ? -q : q;
      entry = entry.mul(Decimal.fromScaled(absPos, 0)).add(px.mul(Decimal.fromScaled(absQ, 0))).div(Decimal.fromScaled(absPos + absQ, 0), entryScale);
      pos += q;
    } else {
      const absPos = pos < 0n ? -pos : pos;
      const absQ = q < 0n ? -q : q;
      const closed = absQ < absPos ? absQ : absPos;
      const diff = pos > 0n ? px.sub(entry) : entry.sub(px);
      realized = diff.mul(Decimal.fromScaled(closed, w.instrument.qtyScale)).mul(contract);
      pos += q;
      if (pos === 0n) entry = Decimal.ZERO;
      else if ((pos > 0n) === (q > 0n)) entry = px;
    }
    out.set(f.tradeId, realized);
  }
  return out;
}

/** `GET /fapi/v3/balance` (usdm-balance-v3.json): wallet = free + locked, available = free. */
export function usdmBalanceBody(balances: readonly SimBalance[], unrealizedByAsset: ReadonlyMap<string, Decimal>, now: number, alias: string): Array<Record<string, unknown>> {
  return balances.map((b) => {
    const wallet = b.free.add(b.locked);
    return {
      accountAlias: alias,
      asset: b.currency,
      balance: money(wallet),
      crossWalletBalance: money(wallet),
      crossUnPnl: money(unrealizedByAsset.get(b.currency) ?? Decimal.ZERO),
      availableBalance: money(b.free),
      maxWithdrawAmount: money(b.free),
      marginAvailable: true,
      updateTime: now,
    };
  });
}

/** Maintenance margin rate of Binance's first notional bracket (0.4%) used for `maintMargin`. */
const MAINT_MARGIN_RATE = Decimal.from('0.004');

/** One entry of `GET /fapi/v3/positionRisk` in one-way mode (usdm-position-risk-v3-oneway.json). */
export function usdmPositionBody(w: WireSymbol, p: SimPosition, takerFee: Decimal): Record<string, unknown> {
  const amt = Decimal.fromScaled(p.sizeUnits, w.instrument.qtyScale);
  const notional = amt.mul(p.markPrice).mul(Decimal.from(w.instrument.contractSize));
  const fee = p.sizeUnits >= 0 ? Decimal.ONE.add(takerFee) : Decimal.ONE.sub(takerFee);
  const isolated = p.marginMode === 'isolated';
  return {
    symbol: w.id,
    positionSide: 'BOTH',
    positionAmt: qty(w, p.sizeUnits),
    entryPrice: p.entryPrice.normalize().toString(),
    breakEvenPrice: p.sizeUnits === 0 ? '0' : p.entryPrice.mul(fee).toScale(8, 'half-even').normalize().toString(),
    markPrice: money(p.markPrice),
    unRealizedProfit: money(p.unrealizedPnl),
    liquidationPrice: '0',
    isolatedMargin: isolated ? money(p.margin) : '0',
    notional: money(notional),
    marginAsset: w.instrument.settle ?? w.instrument.quote,
    isolatedWallet: isolated ? money(p.margin) : '0',
    initialMargin: money(p.margin),
    maintMargin: money(maintMarginOf(notional)),
    positionInitialMargin: money(p.margin),
    openOrderInitialMargin: '0',
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
    updateTime: p.updatedAt,
  };
}

/** Per settlement asset: unrealized PnL, position margin and maintenance margin of its positions. */
export interface AssetRisk {
  unrealized: Decimal;
  positionMargin: Decimal;
  maintMargin: Decimal;
}

/**
 * `GET /fapi/v3/account` (usdm-account-v3-recorded.json), single-asset mode: the totals are the USDT asset's;
 * open-order margin is what the asset holds locked beyond its positions' margin.
 */
export function usdmAccountBody(balances: readonly SimBalance[], risk: ReadonlyMap<string, AssetRisk>, positions: ReadonlyArray<{ w: WireSymbol; p: SimPosition }>, now: number): Record<string, unknown> {
  const zero: AssetRisk = { unrealized: Decimal.ZERO, positionMargin: Decimal.ZERO, maintMargin: Decimal.ZERO };
  const assets = balances.map((b) => {
    const r = risk.get(b.currency) ?? zero;
    const wallet = b.free.add(b.locked);
    const orderMargin = b.locked.sub(r.positionMargin);
    const openOrderMargin = orderMargin.isNegative() ? Decimal.ZERO : orderMargin;
    return {
      asset: b.currency,
      walletBalance: money(wallet),
      unrealizedProfit: money(r.unrealized),
      marginBalance: money(wallet.add(r.unrealized)),
      maintMargin: money(r.maintMargin),
      initialMargin: money(r.positionMargin.add(openOrderMargin)),
      positionInitialMargin: money(r.positionMargin),
      openOrderInitialMargin: money(openOrderMargin),
      crossWalletBalance: money(wallet),
      crossUnPnl: money(r.unrealized),
      availableBalance: money(b.free),
      maxWithdrawAmount: money(b.free),
      updateTime: now,
    };
  });
  const usdt = assets.find((a) => a.asset === 'USDT');
  const total = (k: keyof NonNullable<typeof usdt>): string => (usdt === undefined ? money(Decimal.ZERO) : String(usdt[k]));
  return {
    totalInitialMargin: total('initialMargin'),
    totalMaintMargin: total('maintMargin'),
    totalWalletBalance: total('walletBalance'),
    totalUnrealizedProfit: total('unrealizedProfit'),
    totalMarginBalance: total('marginBalance'),
    totalPositionInitialMargin: total('positionInitialMargin'),
    totalOpenOrderInitialMargin: total('openOrderInitialMargin'),
    totalCrossWalletBalance: total('crossWalletBalance'),
    totalCrossUnPnl: total('crossUnPnl'),
    availableBalance: total('availableBalance'),
    maxWithdrawAmount: total('maxWithdrawAmount'),
    assets,
    positions: positions.map(({ w, p }) => {
      const notional = Decimal.fromScaled(p.sizeUnits, w.instrument.qtyScale).mul(p.markPrice).mul(Decimal.from(w.instrument.contractSize));
      const isolated = p.marginMode === 'isolated' ? money(p.margin) : '0';
      return { symbol: w.id, positionSide: 'BOTH', positionAmt: qty(w, p.sizeUnits), unrealizedProfit: money(p.unrealizedPnl), isolatedMargin: isolated, notional: money(notional), isolatedWallet: isolated, initialMargin: money(p.margin), maintMargin: money(maintMarginOf(notional)), updateTime: p.updatedAt };
    }),
  };
}

/** Maintenance margin of a position's notional at the first bracket's rate. */
export function maintMarginOf(notional: Decimal): Decimal {
  return notional.abs().mul(MAINT_MARGIN_RATE);
}

/** Integer units of a received decimal string: NaN when malformed (`illegal`) or finer than the scale (`precision`). */
export function unitsOf(text: string, scale: number): { units: number; problem?: 'illegal' | 'precision' } {
  if (!/^[0-9]{1,20}(\.[0-9]{1,20})?$/.test(text)) return { units: NaN, problem: 'illegal' };
  const units = parseScaled(text, scale);
  return Number.isNaN(units) ? { units, problem: 'precision' } : { units };
}
