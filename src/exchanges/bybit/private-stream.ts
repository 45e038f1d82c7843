/**
 * The Bybit v5 private-stream dialect (`/v5/private`): the `auth` login frame, one subscribe frame for
 * `order`, `execution`, `position`, `wallet`, frame classification, the `{"op":"ping"}` heartbeat and the
 * events a push carries. Pure: owns no socket or timer.
 */
import { VenueError } from '../../core/errors.js';
import { parseJson } from '../../core/json.js';
import { ProblemLog, refusedPart } from '../../core/problems.js';
import type { MarketResolver, PrivateEvent, PrivateInbound, PrivateStreamDialect } from '../../core/trading.js';
import { describeShape } from '../../core/venue.js';
import type { Credentials } from '../../core/venue.js';
import { wsAuthFrame } from './auth.js';
import { BYBIT_MAINNET, MAX_OUTGOING_PER_SECOND, MAX_PRIVATE_FRAME_BYTES, PRIVATE_TOPICS, UNIFIED_ACCOUNT, VENUE, WS_AUTH_VALIDITY_MS, type BybitUrls } from './config.js';
import { asArray, asObject, readOptionalInteger, readString } from './field-readers.js';
import { bybitHeartbeat } from './stream-dialect.js';
import { parseExecutionRow, parseOrderRow, parsePositionRow, parseWalletAccounts } from './trading-parse.js';

/** The one private connection group. */
export const PRIVATE_CONNECTION = 'private';

/** Channels whose pushes are account events (`order`, `order.linear`, `execution.fast`, ... by their first part). */
const EVENT_CHANNELS: ReadonlySet<string> = new Set(['order', 'execution', 'position', 'wallet']);

/** retCodes that announce a service restart (WS trade docs: 10016, 10019): open a new connection. */
const RESTART_CODES: ReadonlySet<number> = new Set([10016, 10019]);

function checkConnection(connection: string): void {
  if (connection !== PRIVATE_CONNECTION) throw new VenueError('invalid-argument', `bybit has one private connection (${PRIVATE_CONNECTION}), not ${JSON.stringify(connection)}`, { venue: VENUE });
}

/**
 * The login frame `{"req_id","op":"auth","args":[apiKey, expires, signature]}` with `expires` =
 * `timestampMs` (venue time) + `validityMs` (default 10 s) and
 * `signature = hex(HMAC_SHA256(secret, "GET/realtime" + expires))`.
 */
export function privateAuthFrame(credentials: Credentials, timestampMs: number, reqId: string, validityMs: number = WS_AUTH_VALIDITY_MS): string {
  return wsAuthFrame(credentials, timestampMs + validityMs, reqId);
}

/** `{"req_id","op":"subscribe","args":["order","execution","position","wallet"]}`: one frame, one ack. */
export function privateSubscribeFrame(reqId: string): string {
  return JSON.stringify({ req_id: reqId, op: 'subscribe', args: PRIVATE_TOPICS });
}

function authError(message: string): VenueError {
  return new VenueError('auth', message, { venue: VENUE });
}

/**
 * What a private frame is: `{topic, data}` of an account channel → event (the whole frame is the payload);
 * `{"op":"pong"}` (and the public-style `{"op":"ping","ret_msg":"pong"}`) → pong; `{"op":"auth","success"}` →
 * login-ack and `{"op":"subscribe","success"}` → subscribe-ack, with an `auth` error when `success` is false
 * ("already subscribed" is fine); an unsubscribe answer → ignore; a frame with retCode 10016/10019 (service
 * restarting) → shutdown. Anything else → `unknown`: non-object JSON, a push on a channel the session does not
 * subscribe, a push whose `topic` or `data` is missing or broken, `{}`.
 */
export function classifyBybitPrivateFrame(frame: unknown): PrivateInbound {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { role: 'unknown', reason: `not a JSON object but ${describeShape(frame)}` };
  const o = frame as Record<string, unknown>;
  const topic = o['topic'];
  if (typeof topic === 'string' && Array.isArray(o['data'])) {
    const channel = topic.split('.')[0] as string;
    return EVENT_CHANNELS.has(channel) ? { role: 'event', payload: o } : { role: 'unknown', reason: `a push on ${JSON.stringify(channel.slice(0, 40))}, a channel the session does not subscribe` };
  }
  const op = o['op'];
  const msg = typeof o['ret_msg'] === 'string' ? o['ret_msg'] : '';
  if (op === 'pong' || (op === 'ping' && msg === 'pong')) return { role: 'pong' };
  if (op === 'auth' && typeof o['success'] === 'boolean') {
    return o['success'] ? { role: 'login-ack' } : { role: 'login-ack', error: authError(`private stream login refused: ${msg === '' ? 'no reason given' : msg}`) };
  }
  if (op === 'subscribe' && typeof o['success'] === 'boolean') {
    if (o['success'] || /already subscribed/i.test(msg)) return { role: 'subscribe-ack' };
    return { role: 'subscribe-ack', error: authError(`private stream subscribe refused: ${msg === '' ? 'no reason given' : msg}`) };
  }
  if (op === 'unsubscribe' && typeof o['success'] === 'boolean') return { role: 'ignore' };
  const retCode = o['retCode'];
  if (typeof retCode === 'number' && RESTART_CODES.has(retCode)) return { role: 'shutdown' };
  if (topic !== undefined || 'data' in o) {
    const why = typeof topic !== 'string' ? `its topic is ${topic === undefined ? 'missing' : describeShape(topic)}` : `its data is ${describeShape(o['data'])}, not a list`;
    return { role: 'unknown', reason: `a push whose routing is broken: ${why} (${describeShape(frame)})` };
  }
  return { role: 'unknown', reason: `no known frame shape: ${describeShape(frame)}` };
}

/**
 * The events of one private push. `order` rows → order reports (Bybit orders carry no fill), `execution` /
 * `execution.fast` rows → fills (funding and settlement rows left out), `position` rows → positions, `wallet`
 * → one partial balance update of the unified account. Markets are resolved by `(symbol, category)`; rows
 * of markets the resolver does not know (options, markets not loaded) are left out. A row that cannot be read
 * becomes a `problem` event and the other rows stand; an execution row that is no fill for an unknown reason
 * (an unknown `execType`, no quantity) is a `problem` too.
 * @throws {VenueError} `decode` naming the first malformed field when no row of the push can be read.
 */
export function parseBybitPrivateEvents(payload: unknown, resolve: MarketResolver, receivedAt: number): PrivateEvent[] {
  const frame = asObject(payload, 'frame');
  const topic = readString(frame, 'topic', '');
  const channel = topic.split('.')[0];
  const rows = asArray(frame['data'], 'data');
  const log = new ProblemLog('bybit');
  const creationTime = log.lenient('creationTime', frame['creationTime'], () => readOptionalInteger(frame, 'creationTime', '')) ?? receivedAt;
  const events: PrivateEvent[] = [];
  if (channel === 'wallet') {
    const balances = parseWalletAccounts(rows, 'data', log);
    if (Object.keys(balances).length > 0) events.push({ kind: 'balance', balances: { venue: 'bybit', account: UNIFIED_ACCOUNT, balances, partial: true, exchangeTime: creationTime, receivedAt } });
    return [...events, ...problemEvents(log)];
  }
  let firstError: VenueError | undefined;
  let read = 0;
  rows.forEach((row, i) => {
    const path = `data[${i}].`;
    try {
      const o = asObject(row, `data[${i}]`);
      const market = resolve(readString(o, 'symbol', path), readString(o, 'category', path));
      if (market === undefined) return void read++;
      if (channel === 'order') events.push({ kind: 'order', report: parseOrderRow(o, path, market.symbol, receivedAt, 'stream') });
      else if (channel === 'execution') {
        const fill = parseExecutionRow(o, path, market, receivedAt, log);
        if (fill !== undefined) events.push({ kind: 'fill', fill });
      } else if (channel === 'position') events.push({ kind: 'position', position: parsePositionRow(o, path, market.symbol, creationTime, receivedAt) });
      read++;
    } catch (err) {
      if (!VenueError.is(err, 'decode')) throw err;
      firstError ??= err;
      log.problems.push(refusedPart('bybit', `data[${i}]`, err, 'the row left out, the rest of the push stands'));
    }
  });
  if (firstError !== undefined && read === 0) throw firstError;
  return [...events, ...problemEvents(log)];
}

function problemEvents(log: ProblemLog): PrivateEvent[] {
  return log.problems.map((problem) => ({ kind: 'problem', problem }));
}

export interface BybitPrivateStreamOptions {
  /** How long past the venue time the auth frame's `expires` lies (default 10 s). */
  readonly authValidityMs?: number;
}

/** The Bybit `PrivateStreamDialect` on the given URLs (default mainnet): one connection, `private`. */
export function createBybitPrivateStream(urls: BybitUrls = BYBIT_MAINNET, options: BybitPrivateStreamOptions = {}): PrivateStreamDialect {
  const validityMs = options.authValidityMs ?? WS_AUTH_VALIDITY_MS;
  return {
    connections: [PRIVATE_CONNECTION],
    url: (connection) => {
      checkConnection(connection);
      return urls.ws.private;
    },
    loginFrames: (connection, credentials, timestampMs, nextId) => {
      checkConnection(connection);
      return [privateAuthFrame(credentials, timestampMs, String(nextId()), validityMs)];
    },
    subscribeFrames: (connection, nextId) => {
      checkConnection(connection);
      return [privateSubscribeFrame(String(nextId()))];
    },
    decode: (text) => parseJson(text),
    classify: (_connection, frame) => classifyBybitPrivateFrame(frame),
    heartbeat: (connection) => {
      checkConnection(connection);
      return bybitHeartbeat(connection);
    },
    maxOutgoingPerSecond: (connection) => {
      checkConnection(connection);
      return MAX_OUTGOING_PER_SECOND;
    },
    maxFrameBytes: (connection) => {
      checkConnection(connection);
      return MAX_PRIVATE_FRAME_BYTES;
    },
    parseEvents: (connection, payload, resolve, receivedAt) => {
      checkConnection(connection);
      return parseBybitPrivateEvents(payload, resolve, receivedAt);
    },
  };
}
