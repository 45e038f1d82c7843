/**
 * The OKX v5 private WebSocket dialect: the one `private` connection, the `login` frame (unix seconds,
 * signed `GET/users/self/verify`), one subscribe frame per channel (`orders`, `account`, `positions`, each
 * acknowledged once), frame classification, the text-`ping` heartbeat and the push → event parsers.
 */
import { VenueError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';
import { parseJson } from '../../core/json.js';
import { refusedPart } from '../../core/problems.js';
import type { MarketResolver, PrivateEvent, PrivateInbound, PrivateStreamDialect } from '../../core/trading.js';
import { describeShape } from '../../core/venue.js';
import type { Credentials } from '../../core/venue.js';
import { wsLoginRequest } from './auth.js';
import { MAX_OUTGOING_PER_SECOND, MAX_PRIVATE_FRAME_BYTES, VENUE, type OkxUrls } from './config.js';
import { okxErrorCode } from './errors.js';
import { asArray, asObject, readOptionalString, readString } from './field-readers.js';
import { brokenPushReason, channelConnCountError, okxHeartbeat, PONG, unknownNoticeReason } from './stream-dialect.js';
import { OKX_TRADING_ACCOUNT, parseBalanceRow, parseOrderRow, parseResolvedPosition } from './trading-parse.js';
import type { OkxPrivateSubscribeArg } from './wire-trading.js';

/** The one private connection group (orders, account and positions of every instrument type). */
export const OKX_PRIVATE_CONNECTION = 'private';

/** The channels subscribed after login, one frame each (so each frame gets exactly one `subscribe` ack). */
export const OKX_PRIVATE_CHANNELS: readonly OkxPrivateSubscribeArg[] = [
  { channel: 'orders', instType: 'ANY' },
  { channel: 'account' },
  { channel: 'positions', instType: 'ANY' },
];

/** Channels whose pushes are events. */
const EVENT_CHANNELS: ReadonlySet<string> = new Set(OKX_PRIVATE_CHANNELS.map((a) => a.channel));

/**
 * `event:error` codes that answer a login (protocols.md §4.3 and the WS error table): invalid timestamp,
 * invalid apiKey, timestamp expired, invalid sign, login failure, wrong passphrase, key does not exist,
 * internal login error. Other errors without an id answer a subscribe.
 */
export const OKX_LOGIN_ERROR_CODES: ReadonlySet<string> = new Set(['60004', '60005', '60006', '60007', '60009', '60024', '60031', '63999']);

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

function checkConnection(connection: string): void {
  if (connection !== OKX_PRIVATE_CONNECTION) throw invalid(`unknown okx private connection ${JSON.stringify(connection)} (private)`);
}

/** The `login` frame at venue time `timestampMs` (sent as unix seconds; OKX refuses it 30 s later). */
export function privateLoginFrame(credentials: Credentials, timestampMs: number): string {
  return JSON.stringify(wsLoginRequest(credentials, Math.floor(timestampMs / 1000)));
}

/** `{"id","op":"subscribe","args":[arg]}` for each private channel, with a fresh id each. */
export function privateSubscribeFrames(nextId: () => number): string[] {
  return OKX_PRIVATE_CHANNELS.map((arg) => JSON.stringify({ id: String(nextId()), op: 'subscribe', args: [arg] }));
}

/**
 * A login or subscribe failure: `auth` (the session cannot go on with these credentials or channels), except
 * timestamp problems (`clock-skew`: resync the clock and log in again), request-rate refusals (`rate-limited`)
 * and the venue's internal login error 63999 (`network`: try again).
 */
function privateFailure(code: string | undefined, msg: string, operation: string): VenueError {
  const mapped = okxErrorCode(code, undefined, false);
  const errorCode: ErrorCode = mapped === 'clock-skew' || mapped === 'rate-limited' || mapped === 'network' ? mapped : 'auth';
  return new VenueError(errorCode, msg === '' ? `${operation} failed` : msg, {
    venue: VENUE,
    operation,
    ...(code === undefined ? {} : { venueCode: code }),
    ...(errorCode === 'rate-limited' ? { retryAfterMs: 1000 } : {}),
  });
}

function codeOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' && Number.isInteger(value) ? String(value) : undefined;
}

/**
 * What a private frame is: `pong`; `event:login` → login-ack (an error when `code` is not "0");
 * `event:subscribe` → subscribe-ack; `event:error` → a subscribe-ack failure when it echoes a request id or
 * is not a login code, else a login-ack failure; `event:notice` 64008 → shutdown; `channel-conn-count-error` (OKX
 * ended a channel's subscription) → unsubscribed (the session starts over); a push on `orders`, `account` or `positions` → event. Documented and
 * harmless → ignore: `unsubscribe` answers and `channel-conn-count`. Anything else → `unknown`: non-object JSON, a push
 * on a channel the session does not subscribe, a push whose `arg` or `data` is missing or broken, a notice of another
 * code, an unknown event, `{}`. OKX has no expiry notice on this stream.
 */
export function classifyPrivateFrame(frame: unknown, text = ''): PrivateInbound {
  if (frame === PONG || text === PONG) return { role: 'pong' };
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { role: 'unknown', reason: `not a JSON object but ${describeShape(frame)}` };
  const o = frame as Record<string, unknown>;
  const event = o['event'];
  const msg = typeof o['msg'] === 'string' ? o['msg'] : '';
  if (event === undefined) {
    const arg = o['arg'];
    const channel = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>)['channel'] : undefined;
    if (typeof channel !== 'string' || !Array.isArray(o['data'])) return { role: 'unknown', reason: brokenPushReason(o) };
    return EVENT_CHANNELS.has(channel) ? { role: 'event', payload: frame } : { role: 'unknown', reason: `a push on ${JSON.stringify(channel.slice(0, 40))}, a channel the session does not subscribe` };
  }
  switch (event) {
    case 'login': {
      const code = codeOf(o['code']);
      return code === undefined || code === '0' ? { role: 'login-ack' } : { role: 'login-ack', error: privateFailure(code, msg, 'ws login') };
    }
    case 'subscribe':
      return { role: 'subscribe-ack' };
    case 'error': {
      const code = codeOf(o['code']);
      const hasId = typeof o['id'] === 'string' && o['id'] !== '';
      if (!hasId && code !== undefined && OKX_LOGIN_ERROR_CODES.has(code)) return { role: 'login-ack', error: privateFailure(code, msg, 'ws login') };
      return { role: 'subscribe-ack', error: privateFailure(code, msg, 'ws subscribe') };
    }
    case 'notice':
      return codeOf(o['code']) === '64008' ? { role: 'shutdown' } : { role: 'unknown', reason: unknownNoticeReason(o) };
    case 'unsubscribe':
    case 'channel-conn-count':
      return { role: 'ignore' };
    case 'channel-conn-count-error':
      // OKX ended this channel's subscription on this connection: nothing more of it arrives.
      return { role: 'unsubscribed', error: channelConnCountError(o) };
    default:
      return { role: 'unknown', reason: `an event of an unknown kind: ${typeof event === 'string' ? JSON.stringify(event.slice(0, 40)) : describeShape(event)}` };
  }
}

/** Raw private frame text → value: the text `pong` as `PONG`, everything else as JSON (64-bit safe). */
export function decodePrivateFrame(text: string): unknown {
  return text === PONG ? PONG : parseJson(text);
}

/**
 * The events of one private push. `orders` → one `order` per row (with the fill the push carries);
 * `account` → one `balance` (`partial` unless `eventType` is `snapshot`); `positions` → one `position` per
 * row. Rows of markets the resolver does not know are left out. A row that cannot be read becomes a `problem`
 * event and the other rows stand. @throws {VenueError} `decode` naming the first malformed field when no row of
 * the push can be read.
 */
export function parsePrivateEvents(payload: unknown, resolve: MarketResolver, receivedAt: number): PrivateEvent[] {
  const push = asObject(payload, 'push');
  const arg = asObject(push['arg'], 'arg');
  const channel = readString(arg, 'channel', 'arg.');
  const rows = asArray(push['data'], 'data');
  const events: PrivateEvent[] = [];
  const problems: PrivateEvent[] = [];
  let firstError: VenueError | undefined;
  let read = 0;
  const eachRow = (parse: (row: unknown, path: string) => PrivateEvent | undefined): PrivateEvent[] => {
    rows.forEach((r, i) => {
      try {
        const event = parse(r, `data[${i}].`);
        if (event !== undefined) events.push(event);
        read++;
      } catch (err) {
        if (!VenueError.is(err, 'decode')) throw err;
        firstError ??= err;
        problems.push({ kind: 'problem', problem: refusedPart('okx', `data[${i}]`, err, 'the row left out, the rest of the push stands') });
      }
    });
    if (firstError !== undefined && read === 0) throw firstError;
    return [...events, ...problems];
  };
  switch (channel) {
    case 'orders':
      return eachRow((r, path) => {
        const row = asObject(r, path.slice(0, -1));
        const market = resolve(readString(row, 'instId', path), readOptionalString(row, 'instType', path));
        return market === undefined ? undefined : { kind: 'order', report: parseOrderRow(row, market.symbol, 'stream', receivedAt, path) };
      });
    case 'account': {
      const partial = push['eventType'] !== 'snapshot';
      return eachRow((r, path) => ({ kind: 'balance', balances: parseBalanceRow(r, OKX_TRADING_ACCOUNT, partial, receivedAt, path) }));
    }
    case 'positions': {
      const instType = readOptionalString(arg, 'instType', 'arg.');
      return eachRow((r, path) => {
        const position = parseResolvedPosition(r, instType, resolve, receivedAt, path);
        return position === undefined ? undefined : { kind: 'position', position };
      });
    }
    default:
      return events;
  }
}

/** The OKX `PrivateStreamDialect` on an environment's private URL. */
export function createOkxPrivateStream(urls: OkxUrls): PrivateStreamDialect {
  return {
    connections: [OKX_PRIVATE_CONNECTION],
    url: (connection) => {
      checkConnection(connection);
      return urls.private;
    },
    loginFrames: (connection, credentials, timestampMs) => {
      checkConnection(connection);
      return [privateLoginFrame(credentials, timestampMs)];
    },
    subscribeFrames: (connection, nextId) => {
      checkConnection(connection);
      return privateSubscribeFrames(nextId);
    },
    decode: decodePrivateFrame,
    classify: (_connection, frame, text) => classifyPrivateFrame(frame, text),
    heartbeat: (connection) => {
      checkConnection(connection);
      return okxHeartbeat(connection);
    },
    maxOutgoingPerSecond: () => MAX_OUTGOING_PER_SECOND,
    maxFrameBytes: (connection) => {
      checkConnection(connection);
      return MAX_PRIVATE_FRAME_BYTES;
    },
    parseEvents: (connection, payload, resolve, receivedAt) => {
      checkConnection(connection);
      return parsePrivateEvents(payload, resolve, receivedAt);
    },
  };
}
