/**
 * Bybit v5 trading and account payloads as the venue sends and takes them: order create/cancel bodies, orders,
 * executions, wallet balances, positions (REST `result`s and private-stream frames). Types only; trading-parse.ts
 * reads them with checked field readers. Values are strings; `""` stands for "not applicable".
 */

/** `POST /v5/order/create` body (the fields this library sends). */
export interface BybitCreateOrderBody {
  category: 'spot' | 'linear' | 'inverse';
  symbol: string;
  side: 'Buy' | 'Sell';
  orderType: 'Limit' | 'Market';
  /** Base coin (spot with `marketUnit=baseCoin`, linear) or contracts (inverse: USD). */
  qty: string;
  /** Limit orders only. */
  price?: string;
  /** `PostOnly` is how Bybit spells a post-only order. */
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'PostOnly';
  orderLinkId: string;
  /** Derivatives only. */
  reduceOnly?: boolean;
  /** Spot market orders: `baseCoin` makes `qty` a base quantity (Bybit's default for spot market buys is quote). */
  marketUnit?: 'baseCoin';
}

/** `POST /v5/order/cancel` body: `orderId` or `orderLinkId` (orderId wins when both are given). */
export interface BybitCancelOrderBody {
  category: 'spot' | 'linear' | 'inverse';
  symbol: string;
  orderId?: string;
  orderLinkId?: string;
}

/** `POST /v5/order/create` and `/v5/order/cancel` → `result`: ids only. */
export interface BybitOrderIds {
  orderId: string;
  orderLinkId: string;
}

/** An order: `GET /v5/order/realtime` `result.list[]`, `/v5/order/history`, and the private `order` topic. */
export interface BybitOrder {
  /** Present on the private stream (`spot`, `linear`, `inverse`, `option`); REST has it on `result`. */
  category?: string;
  symbol: string;
  orderId: string;
  orderLinkId: string;
  side: 'Buy' | 'Sell';
  /** `Limit`, `Market`, or `UNKNOWN` in some responses; any other value passes through as the report's `venueType`. */
  orderType: string;
  price: string;
  qty: string;
  /**
   * `New`, `PartiallyFilled`, `Untriggered`, `Triggered`, `Filled`, `Cancelled`, `PartiallyFilledCanceled`, `Rejected`,
   * `Deactivated`; any other value passes through as the report's `venueStatus`.
   */
  orderStatus: string;
  /** `GTC`, `IOC`, `FOK`, `PostOnly`, `RPI`. */
  timeInForce: string;
  /** `""` or `"0"` until something executed. */
  avgPrice: string;
  cumExecQty: string;
  cumExecValue: string;
  cumExecFee: string;
  leavesQty: string;
  reduceOnly: boolean;
  /** `EC_NoError`, `EC_PostOnlyWillTakeLiquidity`, ... */
  rejectReason: string;
  /** `UNKNOWN`, `CancelByUser`, ... */
  cancelType: string;
  /** Spot market orders: `baseCoin` or `quoteCoin` (then `qty` is a quote amount). */
  marketUnit?: string;
  feeCurrency?: string;
  createdTime: string;
  updatedTime: string;
}

/** `GET /v5/order/realtime` → `result`. */
export interface BybitOrderListResult {
  category: string;
  list: BybitOrder[];
  nextPageCursor: string;
}

/** One own execution: `GET /v5/execution/list` `result.list[]` and the private `execution` topic. */
export interface BybitExecution {
  category?: string;
  symbol: string;
  execId: string;
  orderId: string;
  orderLinkId: string;
  side: 'Buy' | 'Sell';
  execPrice: string;
  execQty: string;
  /** Positive = charged, negative = rebate. Absent on `execution.fast`. */
  execFee?: string;
  /** `""` on derivatives (the fee is in the settle coin); the coin on spot. */
  feeCurrency?: string;
  isMaker: boolean;
  /** `Trade`, `AdlTrade`, `BustTrade`, `BlockTrade`, `MovePosition`, `Funding`, `Settle`, `Delivery`... */
  execType?: string;
  execTime: string;
  seq?: number;
}

/** `GET /v5/execution/list` → `result`. */
export interface BybitExecutionListResult {
  category: string;
  list: BybitExecution[];
  nextPageCursor: string;
}

/** One coin of a unified account (`coin[]` of `wallet-balance` and the private `wallet` topic). */
export interface BybitWalletCoin {
  coin: string;
  walletBalance: string;
  /** Locked by spot orders. */
  locked: string;
  /** Initial margin of open derivatives orders; `""` when the coin is not margin. */
  totalOrderIM: string;
  /** Initial margin of positions; `""` when the coin is not margin. */
  totalPositionIM: string;
  equity: string;
  unrealisedPnl: string;
  /** Deprecated for unified accounts (`""`). */
  availableToWithdraw?: string;
}

/** One account of `GET /v5/account/wallet-balance` `result.list[]` / a private `wallet` row. */
export interface BybitWalletAccount {
  /** `UNIFIED` for this account; absent is read as the account asked for. */
  accountType?: string;
  totalEquity: string;
  totalWalletBalance: string;
  totalAvailableBalance: string;
  coin: BybitWalletCoin[];
}

/** One position: `GET /v5/position/list` `result.list[]` and the private `position` topic. */
export interface BybitPosition {
  category?: string;
  symbol: string;
  /** 0 one-way, 1 hedge-mode buy side, 2 hedge-mode sell side. */
  positionIdx: number;
  /** `Buy`, `Sell`, or `""` when flat. */
  side: string;
  size: string;
  /** REST `avgPrice`, stream `entryPrice`. */
  avgPrice?: string;
  entryPrice?: string;
  markPrice: string;
  leverage: string;
  unrealisedPnl: string;
  cumRealisedPnl: string;
  liqPrice: string;
  /** 0 cross, 1 isolated. */
  tradeMode: number;
  updatedTime: string;
}

/** A private-stream push: `{"id","topic","creationTime","data":[...]}`. */
export interface BybitPrivateFrame<T> {
  id?: string;
  topic: string;
  creationTime: number;
  data: T[];
}

/** Answers to `auth` / `subscribe` on the private stream. */
export interface BybitPrivateCommandResponse {
  req_id?: string;
  success: boolean;
  ret_msg: string;
  op: 'auth' | 'subscribe' | 'unsubscribe';
  conn_id: string;
}

/** The private pong: `{"req_id","op":"pong","args":["<ms>"],"conn_id"}`. */
export interface BybitPrivatePong {
  req_id?: string;
  op: 'pong';
  args: string[];
  conn_id: string;
}
