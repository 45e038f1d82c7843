/**
 * Wire types of Binance trading and account payloads (spot `/api/v3`, USD-M `/fapi`), the WebSocket API
 * user-data subscription and the private-stream events, as the venue documents them. Types only.
 */
import type { WireId } from './wire.js';

/**
 * Order status (spot `enums.md`, USD-M "Order Status", where `NEW_INSURANCE` is a liquidation with the insurance
 * fund and `NEW_ADL` a counterparty liquidation; both carry fills). The parsers take any other string too: a
 * status added later passes through as the report's `venueStatus`.
 */
export type BinanceOrderStatus =
  | 'NEW'
  | 'PENDING_NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'PENDING_CANCEL'
  | 'REJECTED'
  | 'EXPIRED'
  | 'EXPIRED_IN_MATCH'
  | 'NEW_INSURANCE'
  | 'NEW_ADL';

/** One fill of a spot `newOrderRespType=FULL` answer. */
export interface BinanceSpotOrderFill {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: WireId;
}

/**
 * A spot order: `POST /api/v3/order` (ACK carries only the ids and `transactTime`; RESULT adds the order;
 * FULL adds `fills`), `DELETE /api/v3/order` (with `origClientOrderId`), `GET /api/v3/order`, `openOrders`.
 */
export interface BinanceSpotOrder {
  symbol: string;
  orderId: WireId;
  orderListId?: WireId;
  clientOrderId: string;
  /** Cancel answers: the order's own client id (`clientOrderId` is then the cancel request's id). */
  origClientOrderId?: string;
  transactTime?: number;
  price?: string;
  origQty?: string;
  executedQty?: string;
  cummulativeQuoteQty?: string;
  status?: BinanceOrderStatus;
  timeInForce?: string;
  type?: string;
  side?: 'BUY' | 'SELL';
  time?: number;
  updateTime?: number;
  workingTime?: number;
  fills?: BinanceSpotOrderFill[];
}

/** A USD-M order: `POST`/`DELETE`/`GET /fapi/v1/order`, `GET /fapi/v1/openOrders`. */
export interface BinanceUsdmOrder {
  orderId: WireId;
  symbol: string;
  status: BinanceOrderStatus;
  clientOrderId: string;
  price: string;
  avgPrice?: string;
  origQty: string;
  executedQty: string;
  cumQuote?: string;
  timeInForce: string;
  type: string;
  origType?: string;
  reduceOnly: boolean;
  closePosition?: boolean;
  side: 'BUY' | 'SELL';
  positionSide?: 'BOTH' | 'LONG' | 'SHORT';
  time?: number;
  updateTime: number;
}

/** A row of `GET /api/v3/myTrades`. */
export interface BinanceSpotMyTrade {
  symbol: string;
  id: WireId;
  orderId: WireId;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

/** A row of `GET /fapi/v1/userTrades`. */
export interface BinanceUsdmUserTrade {
  symbol: string;
  id: WireId;
  orderId: WireId;
  side: 'BUY' | 'SELL';
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  realizedPnl: string;
  buyer: boolean;
  maker: boolean;
  positionSide: string;
  time: number;
}

/** `GET /api/v3/account` (fields this folder reads). */
export interface BinanceSpotAccount {
  updateTime: number;
  accountType: string;
  balances: Array<{ asset: string; free: string; locked: string }>;
}

/** One asset of `GET /fapi/v3/account`. */
export interface BinanceUsdmAccountAsset {
  asset: string;
  walletBalance: string;
  marginBalance: string;
  availableBalance: string;
  initialMargin: string;
  updateTime: number;
}

/** `GET /fapi/v3/account` (fields this folder reads). */
export interface BinanceUsdmAccount {
  assets: BinanceUsdmAccountAsset[];
}

/** A row of `GET /fapi/v3/balance`. */
export interface BinanceUsdmBalanceRow {
  asset: string;
  balance: string;
  crossUnPnl: string;
  availableBalance: string;
  updateTime: number;
}

/** A row of `GET /fapi/v3/positionRisk` (v2 rows also carry `leverage` and `marginType`). */
export interface BinanceUsdmPositionRisk {
  symbol: string;
  positionSide: 'BOTH' | 'LONG' | 'SHORT';
  positionAmt: string;
  entryPrice: string;
  markPrice: string;
  unRealizedProfit: string;
  liquidationPrice: string;
  leverage?: string;
  marginType?: string;
  updateTime: number;
}

/** `POST /fapi/v1/listenKey` (and `PUT`, which also answers the key). */
export interface BinanceListenKeyResponse {
  listenKey: string;
}

/** The WebSocket API login step: `userDataStream.subscribe.signature`. */
export interface BinanceWsApiRequest {
  id: number | string;
  method: string;
  params?: Record<string, unknown>;
}

/** A WebSocket API answer: `result` on success, `error` otherwise (`id` null when unsolicited). */
export interface BinanceWsApiResponse {
  id: number | string | null;
  status: number;
  result?: { subscriptionId?: number } & Record<string, unknown>;
  error?: { code: number; msg: string; data?: { retryAfter?: number } };
}

/** A user-data event on the WebSocket API: `{"subscriptionId":N,"event":{...}}`. */
export interface BinanceWsApiUserEvent {
  subscriptionId?: number;
  event: { e: string; E: number } & Record<string, unknown>;
}

/**
 * Spot `executionReport` (fields this folder reads). Essential: `s`, `i`, `S`, `z`, `q` (and `t`, `L`, `l` for the
 * fill of a TRADE execution); the rest is read leniently.
 */
export interface BinanceExecutionReport {
  e: 'executionReport';
  E: number;
  s: string;
  /** Client order id; `""` reads as none. */
  c: string;
  S: 'BUY' | 'SELL';
  o: string;
  f: string;
  q: string;
  p: string;
  /** Original client order id on cancels; `""` otherwise. */
  C: string;
  x: string;
  X: BinanceOrderStatus;
  r: string;
  i: WireId;
  l: string;
  z: string;
  L: string;
  n: string;
  N: string | null;
  T: number;
  t: WireId;
  m: boolean;
  Z: string;
}

/** Spot `outboundAccountPosition`: the balances that changed. */
export interface BinanceOutboundAccountPosition {
  e: 'outboundAccountPosition';
  E: number;
  u: number;
  B: Array<{ a: string; f: string; l: string }>;
}

/**
 * USD-M `ORDER_TRADE_UPDATE` (fields this folder reads). Essential: `o.s`, `o.i`, `o.S`, `o.z`, `o.q` (and `o.t`,
 * `o.L`, `o.l` for the fill of a TRADE or CALCULATED execution); the rest is read leniently.
 */
export interface BinanceOrderTradeUpdate {
  e: 'ORDER_TRADE_UPDATE';
  E: number;
  T: number;
  o: {
    s: string;
    c: string;
    S: 'BUY' | 'SELL';
    o: string;
    f: string;
    q: string;
    p: string;
    ap: string;
    x: string;
    X: BinanceOrderStatus;
    i: WireId;
    l: string;
    z: string;
    L: string;
    n?: string;
    N?: string;
    T: number;
    t: WireId;
    m: boolean;
    R: boolean;
    ps: string;
    rp: string;
  };
}

/** USD-M `ACCOUNT_UPDATE`: wallet balances `B` and positions `P` that changed. */
export interface BinanceAccountUpdate {
  e: 'ACCOUNT_UPDATE';
  E: number;
  T: number;
  a: {
    m: string;
    B: Array<{ a: string; wb: string; cw: string; bc?: string }>;
    P: Array<{ s: string; pa: string; ep: string; cr: string; up: string; mt: string; iw: string; ps: string; bep?: string }>;
  };
}
