/**
 * The Binance front end's signed REST trading and account endpoints (spot `/api/v3/*`, USD-M `/fapi/*`) over the
 * shared trading engine: authentication, parameters, order-count limits and headers, the venue's error bodies.
 */
import { randomBytes } from 'node:crypto';
import { Decimal } from '../../../core/decimal.js';
import type { SimTradingEngine } from '../trading/engine.js';
import { SimRejection, type PlaceInput, type SimFill, type SimOrder, type SimTimeInForce } from '../trading/engine-types.js';
import type { AckFault, TradingFaults } from '../trading/trading-faults.js';
import { BinanceApiError, checkApiKey, missingParam, readSignedRequest, verifySignedRest } from './auth-check.js';
import { maintMarginOf, realizedPnlByFill, spotAccountBody, spotCancelBody, spotNewOrderBody, spotQueryBody, spotTradeBody, toJson, unitsOf, usdmAccountBody, usdmBalanceBody, usdmOrderBody, usdmPositionBody, usdmTradeBody, type AssetRisk, type SpotRespType } from './order-bodies.js';
import { rejectionError } from './reject-codes.js';
import type { BinanceRestApi, RestResponse } from './rest-api.js';
import type { BinanceSegment, WireSymbol } from './wire-format.js';

/** USD-M listenKeys, owned by the private stream server. */
export interface ListenKeyRegistry {
  /** The account's active key (extended), or a new one. */
  create(apiKey: string): string;
  /** Extends the account's active key; undefined when it has none. */
  keepAlive(apiKey: string): string | undefined;
  /** Closes the account's key (and its streams). */
  remove(apiKey: string): void;
}

export interface TradingRestOptions {
  readonly segment: BinanceSegment;
  readonly engine: SimTradingEngine;
  readonly tradingFaults: TradingFaults;
  /** This segment's symbols by venue id. */
  readonly symbols: ReadonlyMap<string, WireSymbol>;
  /** The public REST API: REST faults, weight meter, headers and counters. */
  readonly rest: BinanceRestApi;
  readonly now: () => number;
  /** USD-M only. */
  readonly listenKeys?: ListenKeyRegistry | undefined;
}

/** What the front end does with an answer: send it, maybe after an acknowledgement fault. */
export interface TradingOutcome {
  readonly response: RestResponse;
  /** Set on place/cancel commands that reached the engine, when a fault was armed. */
  readonly ackFault?: AckFault;
}

interface Request {
  readonly params: URLSearchParams;
  readonly apiKey: string;
  readonly now: number;
}

type Security = 'signed' | 'api-key';

interface TradingRoute {
  readonly method: string;
  readonly suffix: string;
  readonly security: Security;
  readonly command?: boolean;
  weight(q: URLSearchParams): number;
  run(req: Request): unknown;
}

/** Fixed-window order counters per account, as in `exchangeInfo.rateLimits` (`ORDERS`). */
interface OrderWindow {
  readonly header: string;
  readonly ms: number;
  readonly limit: number;
  readonly text: string;
}

const SPOT_ORDER_WINDOWS: readonly OrderWindow[] = [
  { header: 'X-MBX-ORDER-COUNT-10S', ms: 10_000, limit: 100, text: '100 orders per 10 SECOND' },
  { header: 'X-MBX-ORDER-COUNT-1D', ms: 86_400_000, limit: 200_000, text: '200000 orders per DAY' },
];
const USDM_ORDER_WINDOWS: readonly OrderWindow[] = [
  { header: 'X-MBX-ORDER-COUNT-10S', ms: 10_000, limit: 300, text: '300 orders per 10 SECOND' },
  { header: 'X-MBX-ORDER-COUNT-1M', ms: 60_000, limit: 1200, text: '1200 orders per MINUTE' },
];

const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 22-character id like the ones Binance generates (`6gCrw2kRUAF9CvJDGP16IP`). */
export function generatedClientId(): string {
  return [...randomBytes(22)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/** A refusal by the engine (it acted on the command), as opposed to a request refused before reaching it. */
class EngineRefusal extends BinanceApiError {}

/** Serves the signed routes of one segment. */
export class BinanceTradingRest {
  private readonly routes: TradingRoute[];
  private readonly windows: readonly OrderWindow[];
  private readonly orderCounts = new Map<string, { window: number; count: number }>();

  constructor(private readonly o: TradingRestOptions) {
    this.routes = o.segment === 'spot' ? this.spotRoutes() : this.usdmRoutes();
    this.windows = o.segment === 'spot' ? SPOT_ORDER_WINDOWS : USDM_ORDER_WINDOWS;
  }

  /** Whether a path (any prefix) is one of the trading routes, for any method. */
  serves(pathname: string): boolean {
    return this.routes.some((r) => pathname.endsWith(r.suffix));
  }

  /** Answers one request. Never throws. */
  handle(method: string, pathAndQuery: string, rawBody: string, apiKeyHeader: string | undefined, ip: string): TradingOutcome {
    const qIndex = pathAndQuery.indexOf('?');
    const pathname = qIndex < 0 ? pathAndQuery : pathAndQuery.slice(0, qIndex);
    const rawQuery = qIndex < 0 ? '' : pathAndQuery.slice(qIndex + 1);
    const route = this.routes.find((r) => r.method === method && pathname.endsWith(r.suffix));
    const now = this.o.now();
    const rest = this.o.rest;
    const signed = readSignedRequest(rawQuery, rawBody);
    const key = route?.suffix ?? 'unknown';
    if (route === undefined) {
      const msg = `Path ${pathname}, Method ${method} is invalid`;
      return this.finish(key, { response: rest.json(404, this.o.segment === 'usdm' ? { code: -5000, msg } : { code: -1000, msg }, 0) });
    }
    const admitted = rest.admit(ip, safeWeight(route, signed.params), now);
    if (!admitted.ok) return this.finish(key, { response: admitted.response });
    let extraHeaders: Record<string, string> = {};
    try {
      const creds = route.security === 'signed' ? verifySignedRest(this.o.segment, apiKeyHeader, signed, (k) => this.o.engine.credentials(k), now) : checkApiKey(this.o.segment, apiKeyHeader, (k) => this.o.engine.credentials(k));
      const req: Request = { params: signed.params, apiKey: creds.apiKey, now };
      if (route.suffix.endsWith('/order') && method === 'POST') extraHeaders = this.countOrder(creds.apiKey, now);
      let body: unknown;
      let failure: BinanceApiError | undefined;
      try {
        body = route.run(req);
      } catch (err) {
        if (!(err instanceof EngineRefusal)) throw err;
        failure = err; // the engine acted (and refused): still an order command whose answer the faults may shape
      }
      const ackFault = route.command === true ? this.o.tradingFaults.takeAckFault('binance') : undefined;
      const response = failure === undefined ? { status: 200, headers: rest.headers(admitted.used, extraHeaders), body: toJson(body) } : rest.json(failure.status, { code: failure.code, msg: failure.msg }, admitted.used);
      return this.finish(key, ackFault === undefined ? { response } : { response, ackFault });
    } catch (err) {
      if (err instanceof BinanceApiError) return this.finish(key, { response: rest.json(err.status, { code: err.code, msg: err.msg }, admitted.used) });
      return this.finish(key, { response: rest.json(500, { code: -1000, msg: 'An unknown error occurred while processing the request.' }, admitted.used) });
    }
  }

  private finish(key: string, outcome: TradingOutcome): TradingOutcome {
    this.o.rest.record(key, outcome.response.status);
    return outcome;
  }

  /** Counts a new order of the account; -1015 (429) over a window's limit; the count headers otherwise. */
  private countOrder(apiKey: string, now: number): Record<string, string> {
    const headers: Record<string, string> = {};
    const states = this.windows.map((w) => {
      const id = `${apiKey}|${w.ms}`;
      const window = Math.floor(now / w.ms);
      let s = this.orderCounts.get(id);
      if (s === undefined || s.window !== window) {
        s = { window, count: 0 };
        this.orderCounts.set(id, s);
      }
      return [w, s] as const;
    });
    for (const [w, s] of states) if (s.count + 1 > w.limit) throw new BinanceApiError(429, -1015, `Too many new orders; current limit is ${w.text}.`);
    for (const [w, s] of states) headers[w.header] = String(++s.count);
    return headers;
  }

  // ------------------------------------------------------------------ parameters

  private symbol(q: URLSearchParams): WireSymbol {
    const s = q.get('symbol');
    if (s === null || s === '') throw missingParam('symbol');
    const w = this.o.symbols.get(s);
    if (w === undefined) throw new BinanceApiError(400, -1121, 'Invalid symbol.');
    return w;
  }

  private optionalSymbol(q: URLSearchParams): WireSymbol | undefined {
    return q.has('symbol') ? this.symbol(q) : undefined;
  }

  private required(q: URLSearchParams, name: string, wireName = name): string {
    const v = q.get(name);
    if (v === null || v === '') throw missingParam(wireName);
    return v;
  }

  private int(q: URLSearchParams, name: string): number | undefined {
    const v = q.get(name);
    if (v === null) return undefined;
    if (!/^[0-9]{1,20}$/.test(v)) throw new BinanceApiError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
    return Number(v);
  }

  private units(q: URLSearchParams, name: string, scale: number): number {
    const text = this.required(q, name);
    const { units, problem } = unitsOf(text, scale);
    if (problem === 'illegal') throw new BinanceApiError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`);
    if (problem === 'precision') throw new BinanceApiError(400, -1111, this.o.segment === 'spot' ? `Parameter '${name}' has too much precision.` : 'Precision is over the maximum defined for this asset.');
    return units;
  }

  private clientId(q: URLSearchParams, name: string): string | undefined {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (!CLIENT_ID.test(v)) throw new BinanceApiError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.`);
    return v;
  }

  /** `orderId` or `origClientOrderId` (one is required). */
  private orderRef(q: URLSearchParams): { orderId?: string; clientOrderId?: string } {
    const orderId = this.int(q, 'orderId');
    const clientOrderId = this.clientId(q, 'origClientOrderId');
    if (orderId === undefined && clientOrderId === undefined) throw new BinanceApiError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    return orderId !== undefined ? { orderId: q.get('orderId') as string } : { clientOrderId: clientOrderId as string };
  }

  /** Maps an engine refusal to the venue's error. */
  private rejected(err: unknown): never {
    if (!(err instanceof SimRejection)) throw err;
    const e = rejectionError(this.o.segment, err.reason);
    throw new EngineRefusal(e.status, e.code, e.msg);
  }

  private placeInput(req: Request, w: WireSymbol): PlaceInput & { respType?: string } {
    const q = req.params;
    const spot = this.o.segment === 'spot';
    const sideText = this.required(q, 'side');
    if (sideText !== 'BUY' && sideText !== 'SELL') throw new BinanceApiError(400, -1117, 'Invalid side.');
    const typeText = this.required(q, 'type');
    const types = spot ? ['LIMIT', 'MARKET', 'LIMIT_MAKER'] : ['LIMIT', 'MARKET'];
    if (!types.includes(typeText)) throw new BinanceApiError(400, -1116, 'Invalid orderType.');
    const type = typeText === 'MARKET' ? 'market' : 'limit';
    let timeInForce: SimTimeInForce | undefined;
    if (typeText === 'LIMIT_MAKER') timeInForce = 'GTX';
    else if (typeText === 'LIMIT') {
      const tif = this.required(q, 'timeInForce', spot ? 'timeInForce' : 'timeinforce');
      const allowed = spot ? ['GTC', 'IOC', 'FOK'] : ['GTC', 'IOC', 'FOK', 'GTX'];
      if (!allowed.includes(tif)) throw new BinanceApiError(400, -1115, 'Invalid timeInForce.');
      timeInForce = tif as SimTimeInForce;
    } else if (q.has('price')) throw new BinanceApiError(400, -1106, "Parameter 'price' sent when not required.");
    if (!spot) {
      const ps = q.get('positionSide');
      if (ps !== null && ps !== 'BOTH') throw new BinanceApiError(400, -4061, "Order's position side does not match user's setting.");
    }
    const reduceOnlyText = q.get('reduceOnly');
    if (!spot && reduceOnlyText !== null && reduceOnlyText !== 'true' && reduceOnlyText !== 'false') throw new BinanceApiError(400, -1100, "Illegal characters found in parameter 'reduceOnly'; legal range is 'true, false'.");
    const qtyUnits = this.units(q, 'quantity', w.instrument.qtyScale);
    const priceUnits = type === 'limit' ? this.units(q, 'price', w.instrument.priceScale) : undefined;
    const clientOrderId = this.clientId(q, 'newClientOrderId') ?? generatedClientId();
    const input: PlaceInput = { apiKey: req.apiKey, symbol: w.instrument.symbol, side: sideText === 'BUY' ? 'buy' : 'sell', type, qtyUnits, clientOrderId, ...(priceUnits === undefined ? {} : { priceUnits }), ...(timeInForce === undefined ? {} : { timeInForce }), ...(reduceOnlyText === 'true' ? { reduceOnly: true } : {}) };
    return input;
  }

  // ------------------------------------------------------------------ spot

  private spotRoutes(): TradingRoute[] {
    const e = this.o.engine;
    return [
      {
        method: 'POST',
        suffix: '/api/v3/order',
        security: 'signed',
        command: true,
        weight: () => 1,
        run: (req) => {
          const w = this.symbol(req.params);
          const input = this.placeInput(req, w);
          const respText = req.params.get('newOrderRespType') ?? 'FULL';
          if (respText !== 'ACK' && respText !== 'RESULT' && respText !== 'FULL') throw new BinanceApiError(400, -1100, "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT, FULL'.");
          let placed: { order: SimOrder; fills: readonly SimFill[] };
          try {
            placed = e.place(input);
          } catch (err) {
            this.rejected(err);
          }
          if (placed.order.status === 'expired' && placed.order.rejectReason === 'post-only-would-take') throw new EngineRefusal(400, -2010, 'Order would immediately match and take.');
          return spotNewOrderBody(w, placed.order, placed.fills, respText as SpotRespType, placed.order.createdAt);
        },
      },
      {
        method: 'DELETE',
        suffix: '/api/v3/order',
        security: 'signed',
        command: true,
        weight: () => 1,
        run: (req) => {
          const w = this.symbol(req.params);
          const ref = this.orderRef(req.params);
          const cancelId = this.clientId(req.params, 'newClientOrderId') ?? generatedClientId();
          try {
            const cancelled = e.cancel(req.apiKey, w.instrument.symbol, ref);
            return spotCancelBody(w, cancelled, cancelId, cancelled.updatedAt);
          } catch (err) {
            this.rejected(err);
          }
        },
      },
      {
        method: 'GET',
        suffix: '/api/v3/order',
        security: 'signed',
        weight: () => 4,
        run: (req) => {
          const w = this.symbol(req.params);
          const o = e.order(req.apiKey, w.instrument.symbol, this.orderRef(req.params));
          if (o === undefined) throw new BinanceApiError(400, -2013, 'Order does not exist.');
          return spotQueryBody(w, o);
        },
      },
      {
        method: 'GET',
        suffix: '/api/v3/openOrders',
        security: 'signed',
        weight: (q) => (q.has('symbol') ? 6 : 80),
        run: (req) => {
          const one = this.optionalSymbol(req.params);
          return e.openOrders(req.apiKey, one?.instrument.symbol).flatMap((o) => this.bySymbol(o.symbol, (w) => spotQueryBody(w, o)));
        },
      },
      {
        method: 'GET',
        suffix: '/api/v3/myTrades',
        security: 'signed',
        weight: () => 20,
        run: (req) => {
          const w = this.symbol(req.params);
          return this.tradeWindow(req, w).map((f) => spotTradeBody(w, f));
        },
      },
      {
        method: 'GET',
        suffix: '/api/v3/account',
        security: 'signed',
        weight: () => 20,
        run: (req) => spotAccountBody(e.balances(req.apiKey), this.feeRates(), req.now, accountUid(req.apiKey)),
      },
    ];
  }

  private bySymbol<T>(unified: string, f: (w: WireSymbol) => T): T[] {
    for (const w of this.o.symbols.values()) if (w.instrument.symbol === unified) return [f(w)];
    return [];
  }

  private feeRates(): { maker: Decimal; taker: Decimal } {
    return { maker: Decimal.from(this.o.engine.options.makerFee ?? '0.0002'), taker: Decimal.from(this.o.engine.options.takerFee ?? '0.0005') };
  }

  /** Fills of a symbol filtered by `orderId`, `startTime`, `endTime`, `fromId`, `limit` (default 500, max 1000). */
  private tradeWindow(req: Request, w: WireSymbol): SimFill[] {
    const q = req.params;
    const orderId = this.int(q, 'orderId');
    const start = this.int(q, 'startTime');
    const end = this.int(q, 'endTime');
    const fromId = this.int(q, 'fromId');
    const limit = Math.max(1, Math.min(1000, this.int(q, 'limit') ?? 500));
    let fills = this.o.engine.fills(req.apiKey, w.instrument.symbol, start);
    if (orderId !== undefined) fills = fills.filter((f) => f.orderId === q.get('orderId'));
    if (end !== undefined) fills = fills.filter((f) => f.time <= end);
    if (fromId !== undefined) fills = fills.filter((f) => BigInt(f.tradeId) >= BigInt(q.get('fromId') as string));
    return fromId !== undefined ? fills.slice(0, limit) : fills.slice(-limit);
  }

  // ------------------------------------------------------------------ USD-M

  /** Unrealized PnL and margins of the account's positions, per settlement asset. */
  private assetRisk(apiKey: string): Map<string, AssetRisk> {
    const out = new Map<string, AssetRisk>();
    for (const p of this.o.engine.positions(apiKey)) {
      const w = this.bySymbol(p.symbol, (x) => x)[0];
      const asset = w?.instrument.settle;
      if (w === undefined || asset === undefined) continue;
      const r = out.get(asset) ?? { unrealized: Decimal.ZERO, positionMargin: Decimal.ZERO, maintMargin: Decimal.ZERO };
      const notional = Decimal.fromScaled(p.sizeUnits, w.instrument.qtyScale).mul(p.markPrice).mul(Decimal.from(w.instrument.contractSize));
      out.set(asset, { unrealized: r.unrealized.add(p.unrealizedPnl), positionMargin: r.positionMargin.add(p.margin), maintMargin: r.maintMargin.add(maintMarginOf(notional)) });
    }
    return out;
  }

  private usdmRoutes(): TradingRoute[] {
    const e = this.o.engine;
    const keys = (): ListenKeyRegistry => {
      if (this.o.listenKeys === undefined) throw new BinanceApiError(400, -1000, 'An unknown error occurred while processing the request.');
      return this.o.listenKeys;
    };
    return [
      {
        method: 'POST',
        suffix: '/fapi/v1/order',
        security: 'signed',
        command: true,
        weight: () => 1,
        run: (req) => {
          const w = this.symbol(req.params);
          const input = this.placeInput(req, w);
          const respText = req.params.get('newOrderRespType') ?? 'ACK';
          if (respText !== 'ACK' && respText !== 'RESULT') throw new BinanceApiError(400, -1100, "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT'.");
          try {
            return usdmOrderBody(w, e.place(input).order, false);
          } catch (err) {
            this.rejected(err);
          }
        },
      },
      {
        method: 'DELETE',
        suffix: '/fapi/v1/order',
        security: 'signed',
        command: true,
        weight: () => 1,
        run: (req) => {
          const w = this.symbol(req.params);
          try {
            return usdmOrderBody(w, e.cancel(req.apiKey, w.instrument.symbol, this.orderRef(req.params)), false);
          } catch (err) {
            this.rejected(err);
          }
        },
      },
      {
        method: 'GET',
        suffix: '/fapi/v1/order',
        security: 'signed',
        weight: () => 1,
        run: (req) => {
          const w = this.symbol(req.params);
          const o = e.order(req.apiKey, w.instrument.symbol, this.orderRef(req.params));
          if (o === undefined) throw new BinanceApiError(400, -2013, 'Order does not exist.');
          return usdmOrderBody(w, o, true);
        },
      },
      {
        method: 'GET',
        suffix: '/fapi/v1/openOrders',
        security: 'signed',
        weight: (q) => (q.has('symbol') ? 1 : 40),
        run: (req) => {
          const one = this.optionalSymbol(req.params);
          return e.openOrders(req.apiKey, one?.instrument.symbol).flatMap((o) => this.bySymbol(o.symbol, (w) => usdmOrderBody(w, o, true)));
        },
      },
      {
        method: 'GET',
        suffix: '/fapi/v1/userTrades',
        security: 'signed',
        weight: () => 5,
        run: (req) => {
          const w = this.symbol(req.params);
          const pnl = realizedPnlByFill(w, e.fills(req.apiKey, w.instrument.symbol));
          return this.tradeWindow(req, w).map((f) => usdmTradeBody(w, f, pnl.get(f.tradeId) ?? Decimal.ZERO));
        },
      },
      {
        method: 'GET',
        suffix: '/fapi/v3/balance',
        security: 'signed',
        weight: () => 5,
        run: (req) => {
          const unrealized = new Map([...this.assetRisk(req.apiKey)].map(([asset, r]) => [asset, r.unrealized]));
          return usdmBalanceBody(e.balances(req.apiKey), unrealized, req.now, accountAlias(req.apiKey));
        },
      },
      {
        method: 'GET',
        suffix: '/fapi/v3/account',
        security: 'signed',
        weight: () => 5,
        run: (req) => {
          const open = e.positions(req.apiKey).flatMap((p) => (p.sizeUnits === 0 ? [] : this.bySymbol(p.symbol, (w) => ({ w, p }))));
          return usdmAccountBody(e.balances(req.apiKey), this.assetRisk(req.apiKey), open, req.now);
        },
      },
      {
        method: 'GET',
        suffix: '/fapi/v3/positionRisk',
        security: 'signed',
        weight: () => 5,
        run: (req) => {
          const one = this.optionalSymbol(req.params);
          const open = new Set(e.openOrders(req.apiKey).map((o) => o.symbol));
          const taker = this.feeRates().taker;
          return e
            .positions(req.apiKey)
            .filter((p) => (one === undefined || p.symbol === one.instrument.symbol) && (p.sizeUnits !== 0 || open.has(p.symbol)))
            .flatMap((p) => this.bySymbol(p.symbol, (w) => usdmPositionBody(w, p, taker)));
        },
      },
      { method: 'POST', suffix: '/fapi/v1/listenKey', security: 'api-key', weight: () => 1, run: (req) => ({ listenKey: keys().create(req.apiKey) }) },
      {
        method: 'PUT',
        suffix: '/fapi/v1/listenKey',
        security: 'api-key',
        weight: () => 1,
        run: (req) => {
          const key = keys().keepAlive(req.apiKey);
          if (key === undefined) throw new BinanceApiError(400, -1125, 'This listenKey does not exist.');
          return { listenKey: key };
        },
      },
      {
        method: 'DELETE',
        suffix: '/fapi/v1/listenKey',
        security: 'api-key',
        weight: () => 1,
        run: (req) => {
          keys().remove(req.apiKey);
          return {};
        },
      },
    ];
  }
}

function safeWeight(route: TradingRoute, q: URLSearchParams): number {
  try {
    return route.weight(q);
  } catch {
    return 1;
  }
}

/** A stable numeric account id per API key (spot `uid`). */
function accountUid(apiKey: string): number {
  let h = 0;
  for (let i = 0; i < apiKey.length; i++) h = (h * 31 + apiKey.charCodeAt(i)) % 1_000_000_000;
  return 100_000_000 + h;
}

/** A short stable alias per API key (USD-M `accountAlias`, e.g. `SgsR`). */
function accountAlias(apiKey: string): string {
  const n = accountUid(apiKey);
  return [0, 1, 2, 3].map((i) => ALNUM[Math.floor(n / 52 ** i) % 52]).join('');
}
