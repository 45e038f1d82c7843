/**
 * OKX v5 wire types of the trading and account payloads (REST trade/account endpoints and the private
 * `orders`, `account`, `positions` channels), as the venue sends them: every value is a string. Types only.
 */

/** `POST /api/v5/trade/order` body (the fields this folder sends). */
export interface OkxPlaceOrderBody {
  readonly instId: string;
  /** `cash` (SPOT, non-margin), `cross` (SWAP/FUTURES, this folder's choice), `isolated`. */
  readonly tdMode: 'cash' | 'cross' | 'isolated';
  readonly clOrdId: string;
  readonly side: 'buy' | 'sell';
  /** `market`, `limit`, `post_only`, `fok`, `ioc`. */
  readonly ordType: OkxOrdType;
  /** Base currency on SPOT (with `tgtCcy=base_ccy` on market orders), contracts on SWAP/FUTURES. */
  readonly sz: string;
  readonly px?: string;
  readonly reduceOnly?: boolean;
  readonly tgtCcy?: 'base_ccy' | 'quote_ccy';
}

/** `POST /api/v5/trade/cancel-order` body: `ordId` or `clOrdId` (ordId wins when both are given). */
export interface OkxCancelOrderBody {
  readonly instId: string;
  readonly ordId?: string;
  readonly clOrdId?: string;
}

/** Order types this folder sends; the parser also reads `optimal_limit_ioc`, `mmp`, `mmp_and_post_only`, `op_fok`. */
export type OkxOrdType = 'market' | 'limit' | 'post_only' | 'fok' | 'ioc';

/** `live`, `partially_filled`, `filled`, `canceled`, `mmp_canceled` (protocols.md §4.7). */
export type OkxOrderState = 'live' | 'partially_filled' | 'filled' | 'canceled' | 'mmp_canceled';

/** One `data` row of a place / cancel response: ids and the per-order result. */
export interface OkxOrderAck {
  readonly ordId: string;
  readonly clOrdId: string;
  readonly tag?: string;
  readonly ts?: string;
  /** "0" = accepted; otherwise an error code (`51008`...). */
  readonly sCode: string;
  readonly sMsg: string;
}

/** An order, as `GET /api/v5/trade/order`, `orders-pending` rows and `orders` pushes carry it. */
export interface OkxOrder {
  readonly instType: string;
  readonly instId: string;
  readonly ordId: string;
  readonly clOrdId: string;
  readonly side: string;
  /** An `OkxOrdType` or another the parser knows; one added later passes through as the report's `venueType`. */
  readonly ordType: string;
  /** An `OkxOrderState`; one added later passes through as the report's `venueStatus`. */
  readonly state: string;
  readonly px: string;
  readonly sz: string;
  /** `base_ccy` / `quote_ccy` (SPOT market orders) or `""`. */
  readonly tgtCcy: string;
  readonly accFillSz: string;
  readonly avgPx: string;
  readonly reduceOnly: string;
  /** Accumulated fee: negative = charged, positive = rebate. */
  readonly fee: string;
  readonly feeCcy: string;
  /** The last fill (REST) or this push's fill. */
  readonly tradeId: string;
  readonly fillPx: string;
  readonly fillSz: string;
  readonly fillTime: string;
  /** Push only: this fill's fee (negative = charged) and its currency. */
  readonly fillFee?: string;
  readonly fillFeeCcy?: string;
  /** `T` taker, `M` maker, `""` when the push carries no fill. */
  readonly execType?: string;
  readonly cancelSourceReason?: string;
  readonly msg?: string;
  readonly cTime: string;
  readonly uTime: string;
}

/** One row of `GET /api/v5/trade/fills`. `fee` negative = charged. */
export interface OkxFill {
  readonly instType: string;
  readonly instId: string;
  readonly tradeId: string;
  readonly ordId: string;
  readonly clOrdId: string;
  readonly side: string;
  readonly fillPx: string;
  readonly fillSz: string;
  readonly fee: string;
  readonly feeCcy: string;
  readonly execType: string;
  readonly fillTime: string;
  readonly ts: string;
}

/** One currency of `GET /api/v5/account/balance` `details` and the `account` push. */
export interface OkxBalanceDetail {
  readonly ccy: string;
  readonly availBal: string;
  readonly frozenBal: string;
  readonly cashBal: string;
  readonly eq: string;
  readonly uTime: string;
}

/** `GET /api/v5/account/balance` row and `account` push row. */
export interface OkxAccountBalance {
  readonly details: readonly OkxBalanceDetail[];
  readonly totalEq: string;
  readonly uTime: string;
}

/** `GET /api/v5/account/positions` row and `positions` push row. */
export interface OkxPosition {
  readonly instType: string;
  readonly instId: string;
  /** `net` (one-way: the sign of `pos` is the side), `long`, `short` (hedge mode). */
  readonly posSide: string;
  readonly pos: string;
  readonly avgPx: string;
  readonly markPx: string;
  readonly upl: string;
  readonly realizedPnl: string;
  readonly lever: string;
  readonly mgnMode: string;
  readonly liqPx: string;
  readonly uTime: string;
}

/** A private push: `{"arg":{"channel","instType"?,"uid"},"eventType"?,"data":[...]}`. */
export interface OkxPrivatePush<T> {
  readonly arg: { readonly channel: string; readonly instType?: string; readonly instId?: string; readonly uid?: string };
  /** `account` / `positions`: `snapshot` (all) or `event_update` (what changed). */
  readonly eventType?: string;
  readonly data: readonly T[];
}

/** A private subscribe arg: `orders`/`positions` by `instType` (`ANY` = every type), `account` without one. */
export interface OkxPrivateSubscribeArg {
  readonly channel: 'orders' | 'account' | 'positions';
  readonly instType?: 'ANY' | 'SPOT' | 'MARGIN' | 'SWAP' | 'FUTURES' | 'OPTION';
}
