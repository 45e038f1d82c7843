/**
 * How the Bybit v5 front end writes trading objects: order, execution, position and UNIFIED wallet items for REST
 * (`/v5/order/*`, `/v5/execution/list`, `/v5/position/list`, `/v5/account/wallet-balance`) and the private stream,
 * keys in the order of test/fixtures/bybit, every number a string except the documented integers.
 */
import { Decimal } from '../../../core/decimal.js';
import type { Market } from '../market.js';
import type { SimBalance, SimFill, SimOrder, SimPosition, SimRejectReason } from '../trading/engine-types.js';
import { px, sz, type BybitSymbol } from './wire-format.js';

/** Client order ids the front end made up for orders sent without `orderLinkId` (written back as `""`). */
export class BybitLinkIds {
  private readonly generated = new Set<string>();
  private next = 1;

  /** A fresh engine client id for an order without `orderLinkId`. */
  generate(): string {
    const id = `sim-bybit-${this.next++}`;
    this.generated.add(id);
    return id;
  }

  /** The `orderLinkId` to write for an engine client id. */
  wire(clientOrderId: string): string {
    return this.generated.has(clientOrderId) ? '' : clientOrderId;
  }
}

/** Everything the writers need besides the object itself. */
export interface BybitBodyContext {
  readonly market: Market;
  readonly linkIds: BybitLinkIds;
  readonly makerFee: string;
  readonly takerFee: string;
}

const side = (s: 'buy' | 'sell'): string => (s === 'buy' ? 'Buy' : 'Sell');
const dec = (d: Decimal): string => d.normalize().toString();
const isOpen = (o: SimOrder): boolean => o.status === 'new' || o.status === 'partially-filled';

/** `orderStatus` (enum.mdx): spot partial fills that end are `PartiallyFilledCanceled`, derivatives `Cancelled`. */
export function orderStatus(s: BybitSymbol, o: SimOrder): string {
  switch (o.status) {
    case 'new':
      return 'New';
    case 'partially-filled':
      return 'PartiallyFilled';
    case 'filled':
      return 'Filled';
    case 'rejected':
      return 'Rejected';
    case 'cancelled':
    case 'expired':
      return s.category === 'spot' && o.filledUnits > 0 ? 'PartiallyFilledCanceled' : 'Cancelled';
  }
}

/** `rejectReason` of an order: why it ended without filling, `EC_NoError` otherwise. */
export function rejectReason(o: SimOrder): string {
  const byReason: Partial<Record<SimRejectReason, string>> = {
    'post-only-would-take': 'EC_PostOnlyWillTakeLiquidity',
    'fok-unfillable': 'EC_CancelForNoFullFill',
    'no-liquidity': 'EC_NoImmediateQtyToFill',
  };
  if (o.rejectReason !== undefined) return byReason[o.rejectReason] ?? 'EC_Others';
  if (o.status === 'cancelled') return 'EC_PerCancelRequest';
  if (o.status === 'expired') return o.timeInForce === 'FOK' ? 'EC_CancelForNoFullFill' : 'EC_NoImmediateQtyToFill';
  return 'EC_NoError';
}

function cancelType(o: SimOrder): string {
  if (o.status === 'cancelled' && o.rejectReason === undefined) return 'CancelByUser';
  return 'UNKNOWN';
}

function timeInForce(o: SimOrder): string {
  return o.timeInForce === 'GTX' ? 'PostOnly' : o.timeInForce;
}

/** Exact trade value: spot and linear `qty × price`, inverse `qty × contractSize / price` (8 decimals). */
export function tradeValue(s: BybitSymbol, priceUnits: number, qtyUnits: number): Decimal {
  const i = s.instrument;
  const price = Decimal.fromScaled(priceUnits, i.priceScale);
  const qty = Decimal.fromScaled(qtyUnits, i.qtyScale);
  if (i.inverse) return price.isZero() ? Decimal.ZERO : qty.mul(i.contractSize).div(price, 8, 'half-even');
  return qty.mul(price);
}

/** The mid price of the book as a decimal string (`""` when a side is empty). */
export function midPrice(market: Market, s: BybitSymbol): string {
  const snap = market.snapshot(s.instrument.symbol, 1);
  const bid = snap.bids[0];
  const ask = snap.asks[0];
  if (bid === undefined || ask === undefined) return '';
  return dec(Decimal.fromScaled(bid[0] + ask[0], s.instrument.priceScale).div('2', s.instrument.priceScale + 1));
}

function orderValues(s: BybitSymbol, o: SimOrder, fees: Decimal): Record<string, string> {
  const i = s.instrument;
  const open = isOpen(o);
  const leaves = o.qtyUnits - o.filledUnits;
  const avg = o.filledUnits === 0 ? '' : dec(o.cumQuote.div(Decimal.fromScaled(o.filledUnits, i.qtyScale), i.priceScale + 4));
  const cumValue = i.inverse && o.filledUnits > 0 && avg !== '' ? dec(Decimal.fromScaled(o.filledUnits, i.qtyScale).mul(i.contractSize).div(avg, 8)) : dec(o.cumQuote);
  return {
    price: o.priceUnits === undefined ? '0' : px(s, o.priceUnits),
    qty: sz(s, o.qtyUnits),
    avgPrice: avg,
    leavesQty: open ? sz(s, leaves) : '',
    leavesValue: open && o.priceUnits !== undefined ? dec(tradeValue(s, o.priceUnits, leaves)) : '',
    cumExecQty: sz(s, o.filledUnits),
    cumExecValue: cumValue,
    cumExecFee: dec(fees),
  };
}

/** One order as `GET /v5/order/realtime` and `/v5/order/history` list it (keys as in order-realtime.json). */
export function restOrderItem(s: BybitSymbol, o: SimOrder, fees: Decimal, ctx: BybitBodyContext): Record<string, unknown> {
  const v = orderValues(s, o, fees);
  return {
    orderId: o.orderId,
    orderLinkId: ctx.linkIds.wire(o.clientOrderId),
    blockTradeId: '',
    symbol: s.id,
    price: v['price'],
    qty: v['qty'],
    side: side(o.side),
    isLeverage: s.category === 'spot' ? '0' : '',
    positionIdx: 0,
    orderStatus: orderStatus(s, o),
    cancelType: cancelType(o),
    rejectReason: rejectReason(o),
    avgPrice: v['avgPrice'],
    leavesQty: v['leavesQty'],
    leavesValue: v['leavesValue'],
    cumExecQty: v['cumExecQty'],
    cumExecValue: v['cumExecValue'],
    cumExecFee: v['cumExecFee'],
    timeInForce: timeInForce(o),
    orderType: o.type === 'limit' ? 'Limit' : 'Market',
    stopOrderType: '',
    orderIv: '',
    triggerPrice: '',
    takeProfit: '',
    stopLoss: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: '',
    reduceOnly: o.reduceOnly,
    closeOnTrigger: false,
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    tpslMode: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    placeType: '',
    createType: 'CreateByUser',
    marketUnit: '',
    createdTime: String(o.createdAt),
    updatedTime: String(o.updatedAt),
  };
}

/** One `order` topic item (keys as in private-order-new-recorded.json). */
export function wsOrderItem(s: BybitSymbol, o: SimOrder, fees: Decimal, ctx: BybitBodyContext): Record<string, unknown> {
  const v = orderValues(s, o, fees);
  return {
    category: s.category,
    symbol: s.id,
    orderId: o.orderId,
    orderLinkId: ctx.linkIds.wire(o.clientOrderId),
    blockTradeId: '',
    side: side(o.side),
    positionIdx: 0,
    orderStatus: orderStatus(s, o),
    cancelType: cancelType(o),
    rejectReason: rejectReason(o),
    timeInForce: timeInForce(o),
    isLeverage: s.category === 'spot' ? '0' : '',
    price: v['price'],
    qty: v['qty'],
    avgPrice: v['avgPrice'],
    leavesQty: v['leavesQty'],
    leavesValue: v['leavesValue'],
    cumExecQty: v['cumExecQty'],
    cumExecValue: v['cumExecValue'],
    cumExecFee: v['cumExecFee'],
    orderType: o.type === 'limit' ? 'Limit' : 'Market',
    stopOrderType: '',
    orderIv: '',
    triggerPrice: '',
    takeProfit: '',
    stopLoss: '',
    triggerBy: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    placeType: '',
    lastPriceOnCreated: '',
    closeOnTrigger: false,
    reduceOnly: o.reduceOnly,
    smpGroup: 0,
    smpType: 'None',
    smpOrderId: '',
    slLimitPrice: '0',
    tpLimitPrice: '0',
    tpslMode: 'UNKNOWN',
    createType: 'CreateByUser',
    marketUnit: '',
    createdTime: String(o.createdAt),
    updatedTime: String(o.updatedAt),
    feeCurrency: '',
    closedPnl: '0',
  };
}

/** The per-fill values shared by the REST and WS execution items. */
function executionValues(s: BybitSymbol, f: SimFill, order: SimOrder | undefined, leavesUnits: number, ctx: BybitBodyContext): Record<string, string> {
  const value = tradeValue(s, f.priceUnits, f.qtyUnits);
  return {
    execFee: dec(f.fee),
    execId: f.tradeId,
    execPrice: px(s, f.priceUnits),
    execQty: sz(s, f.qtyUnits),
    execValue: dec(value),
    feeRate: f.liquidity === 'maker' ? ctx.makerFee : ctx.takerFee,
    markPrice: midPrice(ctx.market, s),
    leavesQty: sz(s, leavesUnits),
    orderPrice: order?.priceUnits === undefined ? '0' : px(s, order.priceUnits),
    orderQty: order === undefined ? '0' : sz(s, order.qtyUnits),
    orderType: order?.type === 'market' ? 'Market' : 'Limit',
    execTime: String(f.time),
  };
}

/** `seq` is a JSON integer on the wire: the engine's trade id when it is one, else 0. */
function seqOf(f: SimFill): number {
  return /^\d{1,15}$/.test(f.tradeId) ? Number(f.tradeId) : 0;
}

/** One `GET /v5/execution/list` item (keys as in execution-list.json). */
export function restExecutionItem(s: BybitSymbol, f: SimFill, order: SimOrder | undefined, leavesUnits: number, ctx: BybitBodyContext): Record<string, unknown> {
  const v = executionValues(s, f, order, leavesUnits, ctx);
  return {
    symbol: s.id,
    orderType: v['orderType'],
    underlyingPrice: '',
    orderLinkId: ctx.linkIds.wire(f.clientOrderId),
    side: side(f.side),
    indexPrice: '',
    orderId: f.orderId,
    stopOrderType: 'UNKNOWN',
    leavesQty: v['leavesQty'],
    execTime: v['execTime'],
    feeCurrency: f.feeCurrency,
    isMaker: f.liquidity === 'maker',
    execFee: v['execFee'],
    feeRate: v['feeRate'],
    execId: v['execId'],
    tradeIv: '',
    blockTradeId: '',
    markPrice: v['markPrice'],
    execPrice: v['execPrice'],
    markIv: '',
    orderQty: v['orderQty'],
    orderPrice: v['orderPrice'],
    execValue: v['execValue'],
    execType: 'Trade',
    execQty: v['execQty'],
    closedSize: '',
    extraFees: '',
    seq: seqOf(f),
  };
}

/** One `execution` topic item (keys as in private-execution-recorded.json). */
export function wsExecutionItem(s: BybitSymbol, f: SimFill, order: SimOrder | undefined, leavesUnits: number, ctx: BybitBodyContext): Record<string, unknown> {
  const v = executionValues(s, f, order, leavesUnits, ctx);
  return {
    category: s.category,
    symbol: s.id,
    closedSize: '0',
    execFee: v['execFee'],
    execId: v['execId'],
    execPrice: v['execPrice'],
    execQty: v['execQty'],
    execType: 'Trade',
    execValue: v['execValue'],
    feeRate: v['feeRate'],
    tradeIv: '',
    markIv: '',
    blockTradeId: '',
    markPrice: v['markPrice'],
    indexPrice: '',
    underlyingPrice: '',
    leavesQty: v['leavesQty'],
    orderId: f.orderId,
    orderLinkId: ctx.linkIds.wire(f.clientOrderId),
    orderPrice: v['orderPrice'],
    orderQty: v['orderQty'],
    orderType: v['orderType'],
    stopOrderType: 'UNKNOWN',
    side: side(f.side),
    execTime: v['execTime'],
    isLeverage: '0',
    isMaker: f.liquidity === 'maker',
    seq: seqOf(f),
    marketUnit: '',
    execPnl: '0',
    createType: 'CreateByUser',
    feeCurrency: f.feeCurrency,
  };
}

function positionValues(s: BybitSymbol, p: SimPosition): Record<string, string> {
  const i = s.instrument;
  const abs = Math.abs(p.sizeUnits);
  const size = Decimal.fromScaled(abs, i.qtyScale);
  const value = abs === 0 || p.entryPrice.isZero() ? Decimal.ZERO : i.inverse ? size.mul(i.contractSize).div(p.entryPrice, 8) : size.mul(p.entryPrice);
  return {
    side: p.sizeUnits > 0 ? 'Buy' : p.sizeUnits < 0 ? 'Sell' : '',
    size: sz(s, abs),
    entryPrice: dec(p.entryPrice),
    positionValue: dec(value),
    leverage: String(p.leverage),
    markPrice: dec(p.markPrice),
    positionIM: dec(p.margin),
    positionBalance: p.marginMode === 'isolated' ? dec(p.margin) : '0',
    unrealisedPnl: dec(p.unrealizedPnl),
    realisedPnl: dec(p.realizedPnl),
    updatedTime: String(p.updatedAt),
  };
}

/** One `GET /v5/position/list` item (keys as in position-list.json). */
export function restPositionItem(s: BybitSymbol, p: SimPosition, seq: number): Record<string, unknown> {
  const v = positionValues(s, p);
  return {
    positionIdx: 0,
    riskId: 1,
    riskLimitValue: '2000000',
    symbol: s.id,
    side: v['side'],
    size: v['size'],
    avgPrice: v['entryPrice'],
    positionValue: v['positionValue'],
    tradeMode: p.marginMode === 'isolated' ? 1 : 0,
    positionStatus: 'Normal',
    autoAddMargin: 0,
    adlRankIndicator: p.sizeUnits === 0 ? 0 : 2,
    leverage: v['leverage'],
    breakEvenPrice: v['entryPrice'],
    positionBalance: v['positionBalance'],
    markPrice: v['markPrice'],
    liqPrice: '',
    bustPrice: '',
    positionMM: '0',
    positionMMByMp: '0',
    positionIM: v['positionIM'],
    positionIMByMp: v['positionIM'],
    tpslMode: 'Full',
    takeProfit: '0',
    stopLoss: '0',
    trailingStop: '0',
    unrealisedPnl: v['unrealisedPnl'],
    curRealisedPnl: v['realisedPnl'],
    cumRealisedPnl: v['realisedPnl'],
    seq,
    isReduceOnly: false,
    mmrSysUpdateTime: '',
    leverageSysUpdatedTime: '',
    sessionAvgPrice: '',
    createdTime: v['updatedTime'],
    updatedTime: v['updatedTime'],
  };
}

/** One `position` topic item (keys as in private-position-recorded.json). */
export function wsPositionItem(s: BybitSymbol, p: SimPosition, seq: number): Record<string, unknown> {
  const v = positionValues(s, p);
  return {
    positionIdx: 0,
    tradeMode: p.marginMode === 'isolated' ? 1 : 0,
    riskId: 1,
    riskLimitValue: '2000000',
    symbol: s.id,
    side: v['side'],
    size: v['size'],
    entryPrice: v['entryPrice'],
    sessionAvgPrice: '',
    leverage: v['leverage'],
    positionValue: v['positionValue'],
    positionBalance: v['positionBalance'],
    markPrice: v['markPrice'],
    positionIM: v['positionIM'],
    positionMM: '0',
    takeProfit: '0',
    stopLoss: '0',
    trailingStop: '0',
    unrealisedPnl: v['unrealisedPnl'],
    cumRealisedPnl: v['realisedPnl'],
    curRealisedPnl: v['realisedPnl'],
    createdTime: v['updatedTime'],
    updatedTime: v['updatedTime'],
    tpslMode: 'Full',
    liqPrice: '',
    bustPrice: '',
    category: s.category,
    positionStatus: 'Normal',
    adlRankIndicator: p.sizeUnits === 0 ? 0 : 2,
    autoAddMargin: 0,
    leverageSysUpdatedTime: '',
    mmrSysUpdatedTime: '',
    seq,
    isReduceOnly: false,
  };
}

/** What a coin is worth in USD: stablecoins 1, others the mid of their USDT spot book, else 0. */
function usdPrice(market: Market, coin: string): Decimal {
  if (coin === 'USDT' || coin === 'USDC' || coin === 'USD') return Decimal.ONE;
  const inst = market.instruments.get(`${coin}/USDT`);
  if (inst === undefined) return Decimal.ZERO;
  const snap = market.snapshot(inst.symbol, 1);
  const bid = snap.bids[0];
  const ask = snap.asks[0];
  if (bid === undefined || ask === undefined) return Decimal.ZERO;
  return Decimal.fromScaled(bid[0] + ask[0], inst.priceScale).div('2', inst.priceScale + 1);
}

interface CoinFigures {
  readonly b: SimBalance;
  readonly wallet: Decimal;
  readonly equity: Decimal;
  readonly upl: Decimal;
  readonly realised: Decimal;
  readonly positionIM: Decimal;
  readonly usd: Decimal;
}

const usd8 = (d: Decimal): string => dec(d.toScale(8));

/**
 * The UNIFIED account figures over `balances` (the coins to list) with totals over `all` balances: wallet = free +
 * locked, equity = wallet + unrealised PnL of the positions settled in the coin, USD values at book mids.
 */
function walletFigures(market: Market, balances: readonly SimBalance[], all: readonly SimBalance[], positions: ReadonlyArray<{ readonly settle: string; readonly p: SimPosition }>): { coins: CoinFigures[]; totals: Record<string, string> } {
  const figures = (b: SimBalance): CoinFigures => {
    const mine = positions.filter((x) => x.settle === b.currency);
    const upl = mine.reduce((a, x) => a.add(x.p.unrealizedPnl), Decimal.ZERO);
    const realised = mine.reduce((a, x) => a.add(x.p.realizedPnl), Decimal.ZERO);
    const positionIM = mine.reduce((a, x) => a.add(x.p.margin), Decimal.ZERO);
    const wallet = b.free.add(b.locked);
    const equity = wallet.add(upl);
    return { b, wallet, equity, upl, realised, positionIM, usd: usdPrice(market, b.currency) };
  };
  const every = all.map(figures);
  const sum = (pick: (c: CoinFigures) => Decimal): string => usd8(every.reduce((a, c) => a.add(pick(c).mul(c.usd)), Decimal.ZERO));
  const totals = {
    totalEquity: sum((c) => c.equity),
    totalWalletBalance: sum((c) => c.wallet),
    totalMarginBalance: sum((c) => c.equity),
    totalAvailableBalance: sum((c) => c.b.free),
    totalPerpUPL: sum((c) => c.upl),
    totalInitialMargin: sum((c) => c.positionIM),
  };
  return { coins: balances.map(figures), totals };
}

/** Positions paired with their settlement coin, for the wallet figures. */
export type SettledPositions = ReadonlyArray<{ readonly settle: string; readonly p: SimPosition }>;

/** The `list[0]` account of `GET /v5/account/wallet-balance?accountType=UNIFIED` (wallet-balance-unified-recorded.json). */
export function restWalletAccount(market: Market, balances: readonly SimBalance[], all: readonly SimBalance[], positions: SettledPositions): Record<string, unknown> {
  const { coins, totals } = walletFigures(market, balances, all, positions);
  return {
    totalEquity: totals['totalEquity'],
    accountIMRate: '0',
    totalMarginBalance: totals['totalMarginBalance'],
    totalInitialMargin: totals['totalInitialMargin'],
    accountType: 'UNIFIED',
    totalAvailableBalance: totals['totalAvailableBalance'],
    accountMMRate: '0',
    totalPerpUPL: totals['totalPerpUPL'],
    totalWalletBalance: totals['totalWalletBalance'],
    accountLTV: '0',
    totalMaintenanceMargin: '0',
    coin: coins.map((c) => ({
      availableToBorrow: '',
      bonus: '0',
      accruedInterest: '0',
      availableToWithdraw: '',
      totalOrderIM: '0',
      equity: dec(c.equity),
      totalPositionMM: '0',
      usdValue: usd8(c.equity.mul(c.usd)),
      unrealisedPnl: dec(c.upl),
      collateralSwitch: true,
      spotHedgingQty: '0',
      borrowAmount: '0',
      totalPositionIM: dec(c.positionIM),
      walletBalance: dec(c.wallet),
      cumRealisedPnl: dec(c.realised),
      locked: dec(c.b.locked),
      marginCollateral: true,
      coin: c.b.currency,
    })),
  };
}

/** One `wallet` topic item (private-wallet-recorded.json). */
export function wsWalletItem(market: Market, balances: readonly SimBalance[], all: readonly SimBalance[], positions: SettledPositions): Record<string, unknown> {
  const { coins, totals } = walletFigures(market, balances, all, positions);
  return {
    accountIMRate: '0',
    accountMMRate: '0',
    totalEquity: totals['totalEquity'],
    totalWalletBalance: totals['totalWalletBalance'],
    totalMarginBalance: totals['totalMarginBalance'],
    totalAvailableBalance: totals['totalAvailableBalance'],
    totalPerpUPL: totals['totalPerpUPL'],
    totalInitialMargin: totals['totalInitialMargin'],
    totalMaintenanceMargin: '0',
    coin: coins.map((c) => ({
      coin: c.b.currency,
      equity: dec(c.equity),
      usdValue: usd8(c.equity.mul(c.usd)),
      walletBalance: dec(c.wallet),
      availableToWithdraw: '',
      availableToBorrow: '',
      borrowAmount: '0',
      accruedInterest: '0',
      totalOrderIM: '0',
      totalPositionIM: dec(c.positionIM),
      totalPositionMM: '0',
      unrealisedPnl: dec(c.upl),
      cumRealisedPnl: dec(c.realised),
      bonus: '0',
      collateralSwitch: true,
      marginCollateral: true,
      locked: dec(c.b.locked),
      spotHedgingQty: '0',
    })),
    accountLTV: '0',
    accountType: 'UNIFIED',
  };
}
