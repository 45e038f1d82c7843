/**
 * The Binance private-stream dialect: spot user data on the WebSocket API (`userDataStream.subscribe.signature`,
 * events wrapped `{subscriptionId,event}`) and USD-M user data on a listenKey stream under the `/private` root.
 * Frame classification, heartbeat rules and event parsing. Pure: owns no socket or timer.
 */
import { VenueError } from '../../core/errors.js';
import { parseJson } from '../../core/json.js';
import { decodeProblem, refusedPart } from '../../core/problems.js';
import type { MarketResolver, PrivateEvent, PrivateInbound, PrivatePreparation, PrivateStreamDialect } from '../../core/trading.js';
import { describeShape } from '../../core/venue.js';
import type { Credentials, HeartbeatRule } from '../../core/venue.js';
import { signWsApiParams } from './auth.js';
import { LISTEN_KEY_KEEPALIVE_MS, MAX_OUTGOING_PER_SECOND, MAX_PRIVATE_FRAME_BYTES, STALE_AFTER_MS, VENUE, type BinanceSegment, type BinanceUrls } from './config.js';
import { binanceErrorCode } from './errors.js';
import { asObject, readString, type Fields } from './field-readers.js';
import { parseAccountUpdate, parseExecutionReport, parseOrderTradeUpdate, parseOutboundAccountPosition, salvageExecutionFill } from './trading-parse.js';
import { createListenKey, keepAliveListenKey } from './trading-rest.js';
import type { BinanceWsApiRequest } from './wire-trading.js';

/** The private connections: spot (WebSocket API) and usdm (listenKey stream). */
export const BINANCE_PRIVATE_CONNECTIONS: readonly BinanceSegment[] = ['spot', 'usdm'];

/** The WebSocket API method that subscribes the account's user data with a signature (any key type). */
export const USER_DATA_SUBSCRIBE_METHOD = 'userDataStream.subscribe.signature';

function connectionOf(connection: string): BinanceSegment {
  if (connection === 'spot' || connection === 'usdm') return connection;
  throw new VenueError('invalid-argument', `unknown binance private connection ${JSON.stringify(connection)} (spot, usdm)`, { venue: VENUE });
}

/** The listenKey of a `POST`/`PUT /fapi/v1/listenKey` answer. @throws {VenueError} `decode` when absent. */
export function parseListenKey(body: unknown): string {
  return readString(asObject(body, 'listenKey response'), 'listenKey', '');
}

/**
 * The login frame of the spot WebSocket API: `userDataStream.subscribe.signature` with `apiKey`,
 * `timestamp` (venue time), optional `recvWindow` and `signature` over the sorted params.
 */
export function userDataSubscribeFrame(credentials: Credentials, timestampMs: number, id: number, recvWindowMs?: number): string {
  const params = signWsApiParams(recvWindowMs === undefined ? {} : { recvWindow: recvWindowMs }, credentials, timestampMs);
  const request: BinanceWsApiRequest = { id, method: USER_DATA_SUBSCRIBE_METHOD, params };
  return JSON.stringify(request);
}

/**
 * The error a WebSocket API `{status, error:{code,msg}}` answer to the login step stands for: `auth`, except
 * rate limits (`rate-limited`; the wait is `error.data.retryAfter - error.data.serverTime` when both are
 * sent, as on 418 bans) and timestamps (`clock-skew`).
 */
export function loginError(status: unknown, error: Fields): VenueError {
  const venueCode = typeof error['code'] === 'number' ? error['code'] : undefined;
  const msg = typeof error['msg'] === 'string' ? error['msg'] : 'user data subscription refused';
  const httpStatus = typeof status === 'number' ? status : undefined;
  const mapped = binanceErrorCode(venueCode, httpStatus, msg, false);
  const code = mapped === 'rate-limited' || mapped === 'clock-skew' ? mapped : 'auth';
  const data = typeof error['data'] === 'object' && error['data'] !== null ? (error['data'] as Fields) : {};
  const retryAt = data['retryAfter'];
  const serverTime = data['serverTime'];
  const wait = typeof retryAt === 'number' && typeof serverTime === 'number' ? Math.max(0, retryAt - serverTime) : undefined;
  return new VenueError(code, msg, {
    venue: VENUE,
    operation: USER_DATA_SUBSCRIBE_METHOD,
    ...(venueCode === undefined ? {} : { venueCode: String(venueCode) }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(code === 'rate-limited' && wait !== undefined ? { retryAfterMs: wait } : {}),
  });
}

/** The user-data event a frame carries: WS API `{subscriptionId,event}`, combined `{stream,data}`, or raw. */
export function unwrapUserEvent(frame: unknown): Fields | undefined {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return undefined;
  const o = frame as Fields;
  const inner = typeof o['event'] === 'object' && o['event'] !== null ? o['event'] : typeof o['stream'] === 'string' && typeof o['data'] === 'object' ? o['data'] : o;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return undefined;
  const event = inner as Fields;
  return typeof event['e'] === 'string' ? event : undefined;
}

function classifyEvent(event: Fields): PrivateInbound {
  switch (event['e']) {
    case 'eventStreamTerminated':
    case 'listenKeyExpired':
      return { role: 'expired' };
    case 'serverShutdown':
      return { role: 'shutdown' };
    default:
      return { role: 'event', payload: event };
  }
}

/**
 * What a private frame is. Spot (WebSocket API): `{id,status,result}` = login-ack, `{status,error}` =
 * login-ack with the error (also unsolicited `id: null`, e.g. a revoked key); wrapped events by `e`:
 * `eventStreamTerminated` = expired, `serverShutdown` = shutdown. USD-M: `listenKeyExpired` = expired;
 * other events (raw or `{stream,data}`) = event (which event types become events is `parsePrivateEvents`' call).
 * Pings are WebSocket control frames: no text pong exists, and nothing else is documented, so a frame that carries
 * no event (`e`) and answers nothing is `unknown`: non-object JSON, `{}`, an answer without result or error.
 */
export function classifyPrivateFrame(connection: string, frame: unknown): PrivateInbound {
  const segment = connectionOf(connection);
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { role: 'unknown', reason: `not a JSON object but ${describeShape(frame)}` };
  const o = frame as Fields;
  if (segment === 'spot' && 'status' in o && 'id' in o) {
    if (typeof o['error'] === 'object' && o['error'] !== null) return { role: 'login-ack', error: loginError(o['status'], o['error'] as Fields) };
    if ('result' in o) return { role: 'login-ack' };
    return { role: 'unknown', reason: `an answer without result or error: ${describeShape(frame)}` };
  }
  const event = unwrapUserEvent(frame);
  if (event === undefined) return { role: 'unknown', reason: `no user-data event (a string \`e\`) in it: ${describeShape(frame)}` };
  return classifyEvent(event);
}

/**
 * An order event: the report (with its fill), or, when the report's own fields cannot be read, its fill alone
 * and a problem naming what was refused, so the fill is not lost with the report.
 */
function orderEvents(event: Fields, segment: BinanceSegment, resolve: MarketResolver, receivedAt: number): PrivateEvent[] {
  try {
    const report = segment === 'spot' ? parseExecutionReport(event, resolve, receivedAt) : parseOrderTradeUpdate(event, resolve, receivedAt);
    return report === undefined ? [] : [{ kind: 'order', report }];
  } catch (err) {
    if (!VenueError.is(err, 'decode')) throw err;
    const fill = salvageExecutionFill(event, segment, resolve, receivedAt);
    if (fill === undefined) throw err;
    const what = segment === 'spot' ? 'executionReport' : 'ORDER_TRADE_UPDATE';
    return [
      { kind: 'fill', fill },
      { kind: 'problem', problem: refusedPart('binance', what, err, `the order report left out, its fill ${fill.tradeId} delivered`) },
    ];
  }
}

/**
 * The events one payload carries. Spot: executionReport (order, with its fill on TRADE) and
 * outboundAccountPosition (balances). USD-M: ORDER_TRADE_UPDATE (order + fill) and ACCOUNT_UPDATE (balances
 * and positions; rows that cannot be read become problems). Not turned into events: spot balanceUpdate (a delta;
 * the outboundAccountPosition that follows carries the balance), listStatus, externalLockUpdate; USD-M TRADE_LITE
 * (the ORDER_TRADE_UPDATE of the same trade carries the fill with its fee), MARGIN_CALL, ACCOUNT_CONFIG_UPDATE, others.
 */
export function parsePrivateEvents(connection: string, payload: unknown, resolve: MarketResolver, receivedAt: number): PrivateEvent[] {
  const segment = connectionOf(connection);
  const event = unwrapUserEvent(payload);
  if (event === undefined) return [];
  const type = event['e'];
  if (segment === 'spot') {
    if (type === 'executionReport') return orderEvents(event, segment, resolve, receivedAt);
    if (type === 'outboundAccountPosition') return [{ kind: 'balance', balances: parseOutboundAccountPosition(event, receivedAt) }];
    return unusedEvent(type, SPOT_UNUSED_EVENTS);
  }
  if (type === 'ORDER_TRADE_UPDATE') return orderEvents(event, segment, resolve, receivedAt);
  if (type === 'ACCOUNT_UPDATE') {
    const { balances, positions, problems } = parseAccountUpdate(event, resolve, receivedAt);
    const events: PrivateEvent[] = [];
    if (Object.keys(balances.balances).length > 0) events.push({ kind: 'balance', balances });
    for (const position of positions) events.push({ kind: 'position', position });
    for (const problem of problems) events.push({ kind: 'problem', problem });
    return events;
  }
  return unusedEvent(type, USDM_UNUSED_EVENTS);
}

/**
 * Documented user-data events the unified model does not use (protocols.md §1.7, §2.7; `STRATEGY_UPDATE` and
 * `GRID_UPDATE`: developers.binance.com, USDⓈ-M "User Data Streams"): `balanceUpdate` is followed by the
 * `outboundAccountPosition` that carries the new balances; `TRADE_LITE` repeats the fill of the
 * `ORDER_TRADE_UPDATE` after it; grid sub-orders come as `ORDER_TRADE_UPDATE` too; the rest carry no order, fill,
 * balance or position.
 */
const SPOT_UNUSED_EVENTS: ReadonlySet<unknown> = new Set(['balanceUpdate', 'listStatus', 'externalLockUpdate']);
const USDM_UNUSED_EVENTS: ReadonlySet<unknown> = new Set(['TRADE_LITE', 'MARGIN_CALL', 'ACCOUNT_CONFIG_UPDATE', 'CONDITIONAL_ORDER_TRIGGER_REJECT', 'STRATEGY_UPDATE', 'GRID_UPDATE']);

/** Nothing for a documented event the model does not use; a `problem` for an event type nobody documented. */
function unusedEvent(type: unknown, documented: ReadonlySet<unknown>): PrivateEvent[] {
  return documented.has(type) ? [] : [{ kind: 'problem', problem: decodeProblem(VENUE, 'e', type, 'an event type venuekit does not know: left out') }];
}

/**
 * No client pings: the servers ping (spot WS API every 20 s, USD-M every 3 min) and the core answers with
 * control-frame pongs. Stale after 1 min of silence on spot, 4 min on USD-M.
 */
export function binancePrivateHeartbeat(connection: string): HeartbeatRule {
  return { staleAfterMs: connectionOf(connection) === 'spot' ? STALE_AFTER_MS : 4 * STALE_AFTER_MS };
}

export interface BinancePrivateStreamOptions {
  /** `recvWindow` sent with the spot login step; absent = the venue's default (5000 ms). */
  readonly recvWindowMs?: number;
}

/** The `PrivateStreamDialect` for Binance on the given environment's URLs. */
export function createBinancePrivateStream(urls: BinanceUrls, options: BinancePrivateStreamOptions = {}): PrivateStreamDialect {
  const usdmPreparation: PrivatePreparation = {
    request: createListenKey(),
    parse: parseListenKey,
    keepAlive: { request: () => keepAliveListenKey(), intervalMs: LISTEN_KEY_KEEPALIVE_MS },
  };
  return {
    connections: BINANCE_PRIVATE_CONNECTIONS,
    prepare: (connection) => (connectionOf(connection) === 'usdm' ? usdmPreparation : undefined),
    url(connection, token) {
      if (connectionOf(connection) === 'spot') return urls.spot.wsApi;
      if (token === undefined || token === '') throw new VenueError('invalid-argument', 'the usdm private stream needs a listenKey', { venue: VENUE });
      return `${urls.usdm.ws}/private/ws?listenKey=${encodeURIComponent(token)}`;
    },
    loginFrames(connection, credentials, timestampMs, nextId) {
      if (connectionOf(connection) === 'usdm') return [];
      return [userDataSubscribeFrame(credentials, timestampMs, nextId(), options.recvWindowMs)];
    },
    subscribeFrames(connection) {
      connectionOf(connection);
      return [];
    },
    decode: (text) => parseJson(text),
    classify: (connection, frame) => classifyPrivateFrame(connection, frame),
    heartbeat: binancePrivateHeartbeat,
    maxOutgoingPerSecond: (connection) => MAX_OUTGOING_PER_SECOND[connectionOf(connection)],
    maxFrameBytes: (connection) => {
      connectionOf(connection);
      return MAX_PRIVATE_FRAME_BYTES;
    },
    parseEvents: parsePrivateEvents,
  };
}
