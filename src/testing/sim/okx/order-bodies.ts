/**
 * The OKX trading records built from the engine's orders, fills, balances and positions, in the field order of
 * the fixtures (`trade-order-details.json`, `trade-fills.json`, `account-balance.json`, `account-positions.json`,
 * `ws/orders-push.json`). Every number a string without trailing zeros; OKX fees are negative when charged.
 */
import { Decimal } from '../../../core/decimal.js';
import type { SimBalance, SimFill, SimOrder, SimPosition } from '../trading/engine-types.js';
import { px, sz, type OkxInstrument } from './wire-format.js';

/** OKX `ordType`s the simulator accepts. */
export type OkxOrdType = 'limit' | 'market' | 'post_only' | 'fok' | 'ioc';

/** What the wire carries that the engine does not keep: written once at placement. */
export interface OkxOrderMeta {
  readonly ordType: OkxOrdType;
  readonly tdMode: string;
  /** The client's `clOrdId` (`''` when none was given; the engine holds a generated one then). */
  readonly clOrdId: string;
  readonly tag: string;
  /** SPOT market orders: `base_ccy` | `quote_ccy`; otherwise `''`. */
  readonly tgtCcy: string;
  /** `sz` as the order was placed (a quote amount for `quote_ccy` market orders). */
  readonly sz: string;
}

/** OKX `state` of an engine status. */
export function okxState(order: SimOrder): string {
  switch (order.status) {
    case 'new':
      return 'live';
    case 'partially-filled':
      return 'partially_filled';
    case 'filled':
      return 'filled';
    default:
      return 'canceled';
  }
}

/** A decimal as OKX writes it (no trailing zeros, `0` for zero). */
export function dec(d: Decimal): string {
  return d.normalize().toString();
}

/** The fee as OKX signs it: negative when charged. */
export function okxFee(fee: Decimal): string {
  return dec(fee.neg());
}

/** The fills of `order` that made its current `filledUnits` (oldest first); `extra` is added when not recorded yet. */
export function fillsSoFar(order: SimOrder, fillsOfSymbol: readonly SimFill[], extra?: SimFill): SimFill[] {
  const out: SimFill[] = [];
  let filled = 0;
  for (const f of fillsOfSymbol) {
    if (filled >= order.filledUnits) break;
    if (f.orderId !== order.orderId) continue;
    out.push(f);
    filled += f.qtyUnits;
  }
  if (extra !== undefined && filled < order.filledUnits && !out.some((f) => f.tradeId === extra.tradeId)) out.push(extra);
  return out;
}

/** Volume-weighted average price of fills, exact to 8 decimals past the tick, or undefined without fills. */
export function averagePrice(w: OkxInstrument, fills: readonly SimFill[]): string | undefined {
  let num = 0n;
  let den = 0n;
  for (const f of fills) {
    num += BigInt(f.priceUnits) * BigInt(f.qtyUnits);
    den += BigInt(f.qtyUnits);
  }
  if (den === 0n) return undefined;
  const { priceScale, qtyScale } = w.instrument;
  return dec(Decimal.fromScaled(num, priceScale + qtyScale).div(Decimal.fromScaled(den, qtyScale), priceScale + 8));
}

function feeTotal(fills: readonly SimFill[]): Decimal {
  return fills.reduce((sum, f) => sum.add(f.fee), Decimal.ZERO);
}

/** Fee currency and rebate currency of an order without fills: SPOT the currency received, contracts the settlement one. */
function feeCurrencies(w: OkxInstrument, side: 'buy' | 'sell'): [fee: string, rebate: string] {
  const i = w.instrument;
  if (w.instType !== 'SPOT') return [i.settle ?? i.quote, i.settle ?? i.quote];
  return side === 'buy' ? [i.base, i.quote] : [i.quote, i.base];
}

/** The notional of a fill in USD(T): price × size for SPOT and linear contracts (× ctVal), size × ctVal for inverse. */
function fillNotional(w: OkxInstrument, f: SimFill): string {
  const { priceScale, qtyScale, contractSize, inverse } = w.instrument;
  const size = Decimal.fromScaled(f.qtyUnits, qtyScale);
  if (inverse) return dec(size.mul(contractSize));
  const value = Decimal.fromScaled(f.priceUnits, priceScale).mul(size);
  return dec(w.instType === 'SPOT' ? value : value.mul(contractSize));
}

/** `/api/v5/trade/order` and `/orders-pending` record (trade-order-details.json field order). */
export function orderRecord(w: OkxInstrument, order: SimOrder, meta: OkxOrderMeta, fills: readonly SimFill[]): Record<string, unknown> {
  const last = fills[fills.length - 1];
  const [defaultFeeCcy, rebateCcy] = feeCurrencies(w, order.side);
  const spot = w.instType === 'SPOT';
  return {
    accFillSz: sz(w, order.filledUnits),
    algoClOrdId: '',
    algoId: '',
    attachAlgoClOrdId: '',
    attachAlgoOrds: [],
    avgPx: averagePrice(w, fills) ?? '',
    cTime: String(order.createdAt),
    cancelSource: '',
    cancelSourceReason: '',
    category: 'normal',
    ccy: '',
    clOrdId: meta.clOrdId,
    fee: okxFee(feeTotal(fills)),
    feeCcy: last?.feeCurrency ?? defaultFeeCcy,
    fillPx: last === undefined ? '' : px(w, last.priceUnits),
    fillSz: last === undefined ? '0' : sz(w, last.qtyUnits),
    fillTime: last === undefined ? '' : String(last.time),
    instId: w.instId,
    instType: w.instType,
    isTpLimit: 'false',
    lever: spot ? '' : '10',
    linkedAlgoOrd: { algoId: '' },
    ordId: order.orderId,
    ordType: meta.ordType,
    pnl: '0',
    posSide: 'net',
    px: order.priceUnits === undefined ? '' : px(w, order.priceUnits),
    pxType: '',
    pxUsd: '',
    pxVol: '',
    quickMgnType: '',
    rebate: '0',
    rebateCcy,
    reduceOnly: String(order.reduceOnly),
    side: order.side,
    slOrdPx: '',
    slTriggerPx: '',
    slTriggerPxType: '',
    source: '',
    state: okxState(order),
    stpId: '',
    stpMode: '',
    sz: meta.sz,
    tag: meta.tag,
    tdMode: meta.tdMode,
    tgtCcy: meta.tgtCcy,
    tpOrdPx: '',
    tpTriggerPx: '',
    tpTriggerPxType: '',
    tradeId: last?.tradeId ?? '',
    tradeQuoteCcy: spot ? w.instrument.quote : '',
    uTime: String(order.updatedAt),
  };
}

/**
 * One `orders` push item (ws/orders-push.json field order). `fill` is the execution of this update: it fills
 * `tradeId`, `fillPx`, `fillSz`, `fillFee`, `fillFeeCcy`, `fillTime`, `execType` (`T` taker, `M` maker).
 */
export function orderPushItem(w: OkxInstrument, order: SimOrder, meta: OkxOrderMeta, fills: readonly SimFill[], fill: SimFill | undefined): Record<string, unknown> {
  const [defaultFeeCcy, rebateCcy] = feeCurrencies(w, order.side);
  const notional = order.priceUnits === undefined ? '' : dec(Decimal.fromScaled(order.priceUnits, w.instrument.priceScale).mul(Decimal.fromScaled(order.qtyUnits, w.instrument.qtyScale)));
  const spot = w.instType === 'SPOT';
  return {
    accFillSz: sz(w, order.filledUnits),
    algoClOrdId: '',
    algoId: '',
    amendResult: '',
    amendSource: '',
    avgPx: averagePrice(w, fills) ?? '0',
    cancelSource: '',
    category: 'normal',
    ccy: '',
    clOrdId: meta.clOrdId,
    code: '0',
    cTime: String(order.createdAt),
    execType: fill === undefined ? '' : fill.liquidity === 'maker' ? 'M' : 'T',
    fee: okxFee(feeTotal(fills)),
    feeCcy: fills[fills.length - 1]?.feeCurrency ?? defaultFeeCcy,
    fillFee: fill === undefined ? '0' : okxFee(fill.fee),
    fillFeeCcy: fill?.feeCurrency ?? '',
    fillNotionalUsd: fill === undefined ? '' : fillNotional(w, fill),
    fillPx: fill === undefined ? '' : px(w, fill.priceUnits),
    fillSz: fill === undefined ? '0' : sz(w, fill.qtyUnits),
    fillPnl: '0',
    fillTime: fill === undefined ? '' : String(fill.time),
    fillPxVol: '',
    fillPxUsd: '',
    fillMarkVol: '',
    fillFwdPx: '',
    fillMarkPx: '',
    fillIdxPx: '',
    instId: w.instId,
    instType: w.instType,
    lever: spot ? '0' : '10',
    msg: '',
    notionalUsd: notional,
    ordId: order.orderId,
    ordType: meta.ordType,
    pnl: '0',
    posSide: spot ? '' : 'net',
    px: order.priceUnits === undefined ? '' : px(w, order.priceUnits),
    pxUsd: '',
    pxVol: '',
    pxType: '',
    quickMgnType: '',
    rebate: '0',
    rebateCcy,
    reduceOnly: String(order.reduceOnly),
    reqId: '',
    side: order.side,
    attachAlgoClOrdId: '',
    slOrdPx: '',
    slTriggerPx: '',
    slTriggerPxType: '',
    source: '',
    state: okxState(order),
    stpId: '',
    stpMode: '',
    sz: meta.sz,
    tag: meta.tag,
    tdMode: meta.tdMode,
    tgtCcy: meta.tgtCcy,
    tpOrdPx: '',
    tpTriggerPx: '',
    tpTriggerPxType: '',
    attachAlgoOrds: [],
    tradeId: fill?.tradeId ?? '',
    tradeQuoteCcy: spot ? w.instrument.quote : '',
    lastPx: fill === undefined ? '' : px(w, fill.priceUnits),
    uTime: String(order.updatedAt),
    isTpLimit: 'false',
    linkedAlgoOrd: { algoId: '' },
  };
}

/** `/api/v5/trade/fills` record (trade-fills.json field order); `feeRate` negative when charged. */
export function fillRecord(w: OkxInstrument, f: SimFill, clOrdId: string, tag: string, feeRate: string, ts: number): Record<string, unknown> {
  return {
    side: f.side,
    fillSz: sz(w, f.qtyUnits),
    fillPx: px(w, f.priceUnits),
    fillPxVol: '',
    fillFwdPx: '',
    fee: okxFee(f.fee),
    fillPnl: '0',
    ordId: f.orderId,
    feeRate: dec(Decimal.from(feeRate).neg()),
    instType: w.instType,
    fillPxUsd: '',
    instId: w.instId,
    clOrdId,
    posSide: 'net',
    billId: f.tradeId,
    subType: f.side === 'buy' ? '1' : '2',
    fillMarkVol: '',
    tag,
    fillTime: String(f.time),
    execType: f.liquidity === 'maker' ? 'M' : 'T',
    fillIdxPx: '',
    tradeId: f.tradeId,
    fillMarkPx: '',
    feeCcy: f.feeCurrency,
    ts: String(ts),
    tradeQuoteCcy: w.instType === 'SPOT' ? w.instrument.quote : '',
  };
}

/** One currency of `account/balance` `details` (account-balance.json order); `upl` of positions settled in it. */
export function balanceDetail(b: SimBalance, upl: Decimal, eqUsd: string, uTime: number): Record<string, unknown> {
  const cash = b.free.add(b.locked);
  return {
    autoLendStatus: 'off',
    autoLendMtAmt: '0',
    availBal: dec(b.free),
    availEq: dec(b.free),
    borrowFroz: '0',
    cashBal: dec(cash),
    ccy: b.currency,
    crossLiab: '0',
    colRes: '0',
    collateralEnabled: false,
    collateralRestrict: false,
    colBorrAutoConversion: '0',
    disEq: eqUsd,
    eq: dec(cash.add(upl)),
    eqUsd,
    smtSyncEq: '0',
    spotCopyTradingEq: '0',
    fixedBal: '0',
    frozenBal: dec(b.locked),
    imr: '',
    interest: '0',
    isoEq: '0',
    isoLiab: '0',
    isoUpl: '0',
    liab: '0',
    maxLoan: '0',
    mgnRatio: '',
    mmr: '',
    notionalLever: '',
    ordFrozen: dec(b.locked),
    rewardBal: '0',
    spotInUseAmt: '',
    clSpotInUseAmt: '',
    maxSpotInUse: '',
    spotIsoBal: '0',
    stgyEq: '0',
    twap: '0',
    uTime: String(uTime),
    upl: dec(upl),
    uplLiab: '0',
    spotBal: '',
    openAvgPx: '',
    accAvgPx: '',
    spotUpl: '',
    spotUplRatio: '',
    totalPnl: '',
    totalPnlRatio: '',
  };
}

/** The account summary around `details` (account-balance.json / ws account-push.json top-level order). */
export function balanceSummary(details: Array<Record<string, unknown>>, totalEq: Decimal, upl: Decimal, uTime: number): Record<string, unknown> {
  return {
    adjEq: dec(totalEq),
    availEq: dec(totalEq),
    borrowFroz: '0',
    details,
    imr: '0',
    isoEq: '0',
    mgnRatio: '',
    mmr: '0',
    notionalUsd: '0',
    notionalUsdForBorrow: '0',
    notionalUsdForFutures: '0',
    notionalUsdForOption: '0',
    notionalUsdForSwap: '0',
    ordFroz: '0',
    totalEq: dec(totalEq),
    uTime: String(uTime),
    upl: dec(upl),
  };
}

/** A stable 19-digit `posId` for an instrument (FNV-1a of its instId). */
function positionId(instId: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < instId.length; i++) h = ((h ^ BigInt(instId.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return String(1_000_000_000_000_000_000n + (h % 8_000_000_000_000_000_000n));
}

/** An `account/positions` record / `positions` push item (account-positions.json field order), net mode. */
export function positionRecord(w: OkxInstrument, p: SimPosition, last: string, lastTradeId: string): Record<string, unknown> {
  const i = w.instrument;
  const size = sz(w, p.sizeUnits);
  const flat = p.sizeUnits === 0;
  const qty = Decimal.fromScaled(Math.abs(p.sizeUnits), i.qtyScale);
  const notional = i.inverse ? qty.mul(i.contractSize) : qty.mul(i.contractSize).mul(p.markPrice);
  return {
    adl: flat ? '' : '1',
    availPos: size,
    avgPx: flat ? '' : dec(p.entryPrice),
    baseBal: '',
    baseBorrowed: '',
    baseInterest: '',
    bePx: '',
    bizRefId: '',
    bizRefType: '',
    cTime: String(p.updatedAt),
    ccy: i.settle ?? i.quote,
    clSpotInUseAmt: '',
    closeOrderAlgo: [],
    deltaBS: '',
    deltaPA: '',
    fee: '',
    fundingFee: '',
    gammaBS: '',
    gammaPA: '',
    idxPx: dec(p.markPrice),
    imr: p.marginMode === 'cross' ? dec(p.margin) : '',
    instId: w.instId,
    instType: w.instType,
    interest: '0',
    last,
    lever: String(p.leverage),
    liab: '',
    liabCcy: '',
    liqPenalty: '',
    liqPx: '',
    margin: p.marginMode === 'isolated' ? dec(p.margin) : '',
    markPx: dec(p.markPrice),
    maxSpotInUseAmt: '',
    mgnMode: p.marginMode,
    mgnRatio: '',
    mmr: '',
    notionalUsd: dec(notional),
    optVal: '',
    pendingCloseOrdLiabVal: '0',
    pnl: dec(p.realizedPnl),
    pos: size,
    posCcy: '',
    posId: positionId(w.instId),
    posSide: 'net',
    quoteBal: '',
    quoteBorrowed: '',
    quoteInterest: '',
    realizedPnl: dec(p.realizedPnl),
    spotInUseAmt: '',
    spotInUseCcy: '',
    thetaBS: '',
    thetaPA: '',
    tradeId: lastTradeId,
    uTime: String(p.updatedAt),
    upl: dec(p.unrealizedPnl),
    uplLastPx: dec(p.unrealizedPnl),
    uplRatio: '',
    uplRatioLastPx: '',
    usdPx: '',
    vegaBS: '',
    vegaPA: '',
    nonSettleAvgPx: '',
    settledPnl: '',
  };
}

