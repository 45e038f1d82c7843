/**
 * The OKX v5 WebSocket dialect: topics (`channel:instId`), connection groups (`public`, `business` for
 * candles, `private`), batched subscribe frames with string ids, frame classification (pushes routed by
 * `arg.channel` + `arg.instId`, acks, `event:error` nacks, the 64008 upgrade notice, the text `pong`), the
 * text-`ping` heartbeat and limits. Pure: owns no socket or timer.
 */
import { VenueError } from '../../core/errors.js';
import { parseJson } from '../../core/json.js';
import { describeShape } from '../../core/venue.js';
import type { ConnectionLimits, HeartbeatRule, InboundFrame, StreamDialect, StreamTopic } from '../../core/venue.js';
import { scanOkxBooksFrame } from './book-scanner.js';
import {
  MAX_OUTGOING_PER_SECOND,
  MAX_PRIVATE_FRAME_BYTES,
  MAX_PUBLIC_FRAME_BYTES,
  MAX_TOPICS_PER_CONNECTION,
  REQUESTS_PER_HOUR,
  OKX_PRODUCTION,
  PING_INTERVAL_MS,
  STALE_AFTER_MS,
  TOPICS_PER_FRAME,
  VENUE,
  type OkxConnection,
  type OkxUrls,
} from './config.js';
import { okxError } from './errors.js';
import { toOkxBar } from './intervals.js';
import type { OkxChannelArg, OkxStreamRequest } from './wire.js';

/** Book channels: `books` (400 levels, 100 ms), `books5` (5-level snapshots), `bbo-tbt` (best level, 10 ms), and the VIP `-l2-tbt` ones. */
export type OkxBookChannel = 'books' | 'books5' | 'bbo-tbt' | 'books50-l2-tbt' | 'books-l2-tbt';

/** What `decode` returns for the plain-text `pong` frame (it is not JSON). */
export const PONG = 'pong';

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

/** The topic for `channel` on `instId`: key `channel:instId`, exactly what a push's `arg` names. */
export function channelTopic(channel: string, instId: string, connection: OkxConnection = 'public'): StreamTopic {
  if (instId === '' || instId.includes(':')) throw invalid(`bad instrument id ${JSON.stringify(instId)}`);
  return { key: `${channel}:${instId}`, connection };
}

/** A book channel topic (`books:BTC-USDT`). */
export function bookTopic(instId: string, channel: OkxBookChannel = 'books'): StreamTopic {
  return channelTopic(channel, instId);
}

/** The public trades topic (`trades:BTC-USDT`). */
export function tradesTopic(instId: string): StreamTopic {
  return channelTopic('trades', instId);
}

/** The ticker topic (`tickers:BTC-USDT`). */
export function tickersTopic(instId: string): StreamTopic {
  return channelTopic('tickers', instId);
}

/** The candle topic on the business connection (`candle1H:BTC-USDT`); `interval` is unified. */
export function candleTopic(instId: string, interval: string): StreamTopic {
  return channelTopic(`candle${toOkxBar(interval)}`, instId, 'business');
}

/** The subscription arg a topic stands for. */
export function argOfTopic(topic: StreamTopic): OkxChannelArg {
  const cut = topic.key.indexOf(':');
  if (cut <= 0 || cut === topic.key.length - 1) throw invalid(`not an okx topic key: ${JSON.stringify(topic.key)} (expected channel:instId)`);
  return { channel: topic.key.slice(0, cut), instId: topic.key.slice(cut + 1) };
}

function controlFrames(op: OkxStreamRequest['op'], topics: readonly StreamTopic[], nextId: () => number): string[] {
  const frames: string[] = [];
  for (let i = 0; i < topics.length; i += TOPICS_PER_FRAME) {
    const request: OkxStreamRequest = { id: String(nextId()), op, args: topics.slice(i, i + TOPICS_PER_FRAME).map(argOfTopic) };
    frames.push(JSON.stringify(request));
  }
  return frames;
}

function requestId(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Why a push (a frame without `event`) cannot be routed, for an `unknown` reason. */
export function brokenPushReason(o: Record<string, unknown>): string {
  const arg = o['arg'];
  let why: string;
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) why = `its arg is ${arg === undefined ? 'missing' : describeShape(arg)}`;
  else if (!('data' in o)) why = 'it has no data';
  else why = `its arg is ${describeShape(arg)}, without a channel and instId as strings`;
  return `${'arg' in o || 'data' in o ? 'a push whose routing is broken' : 'no known frame shape'}: ${why} (${describeShape(o)})`;
}

/** What an `event: notice` of a code other than 64008 said, for an `unknown` reason. */
export function unknownNoticeReason(o: Record<string, unknown>): string {
  const code = o['code'];
  const msg = o['msg'];
  const codeText = typeof code === 'string' || typeof code === 'number' ? JSON.stringify(String(code).slice(0, 20)) : describeShape(code);
  return `a notice of code ${codeText}: ${typeof msg === 'string' ? msg.slice(0, 200) : describeShape(msg)}`;
}

/** The error a `channel-conn-count-error` event stands for: OKX ended a channel's subscription on this connection. */
export function channelConnCountError(o: Record<string, unknown>): VenueError {
  const channel = typeof o['channel'] === 'string' ? o['channel'] : 'a channel';
  const count = typeof o['connCount'] === 'string' || typeof o['connCount'] === 'number' ? ` (${String(o['connCount'])} connections)` : '';
  return new VenueError('rejected', `OKX ended the ${channel} subscription: too many connections subscribe to it${count}`, { venue: VENUE });
}

/**
 * What a decoded frame is: a push `{arg, data}` → data routed by `channel:instId`; `event: subscribe` /
 * `unsubscribe` → ack (by `id`; acks without one, as before OKX echoed ids, match nothing); `event: error`
 * → nack with the decoded error; `event: notice` 64008 → shutdown (reconnect before the upgrade);
 * `channel-conn-count-error` (OKX ended a subscription) → a nack no request owns; the text `pong` → pong.
 * Documented and harmless → ignore: `login` and `channel-conn-count`. Anything else → `unknown`: non-object JSON, a
 * push whose `arg` (channel, instId) or `data` is missing or broken, a notice of another code, an event OKX does not
 * document, `{}`.
 */
export function classifyOkxFrame(frame: unknown, text = ''): InboundFrame {
  if (frame === PONG || text === PONG) return { role: 'pong' };
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { role: 'unknown', reason: `not a JSON object but ${describeShape(frame)}` };
  const o = frame as Record<string, unknown>;
  const event = o['event'];
  if (event === undefined) {
    const arg = o['arg'];
    if (typeof arg === 'object' && arg !== null && 'data' in o) {
      const { channel, instId } = arg as Record<string, unknown>;
      if (typeof channel === 'string' && typeof instId === 'string') return { role: 'data', topic: `${channel}:${instId}`, payload: frame };
    }
    return { role: 'unknown', reason: brokenPushReason(o) };
  }
  switch (event) {
    case 'subscribe':
    case 'unsubscribe':
      return { role: 'ack', id: requestId(o['id']) };
    case 'error': {
      const code = typeof o['code'] === 'string' ? o['code'] : typeof o['code'] === 'number' ? String(o['code']) : undefined;
      return { role: 'nack', id: requestId(o['id']), error: okxError(code, typeof o['msg'] === 'string' ? o['msg'] : '', { operation: 'ws request' }) };
    }
    case 'notice':
      if (o['code'] === '64008' || o['code'] === 64008) return { role: 'shutdown' };
      return { role: 'unknown', reason: unknownNoticeReason(o) };
    case 'login':
    case 'channel-conn-count':
      return { role: 'ignore' };
    case 'channel-conn-count-error':
      return { role: 'nack', id: undefined, error: channelConnCountError(o) };
    default:
      return { role: 'unknown', reason: `an event of an unknown kind: ${typeof event === 'string' ? JSON.stringify(event.slice(0, 40)) : describeShape(event)}` };
  }
}

/**
 * Raw frame text → value: the plain-text `pong` as `PONG`, everything else as JSON (64-bit safe). `books`
 * pushes (the bulk of the traffic) take the scanner, whose results are identical to parseJson's.
 */
export function decodeOkxFrame(text: string): unknown {
  return text === PONG ? PONG : (scanOkxBooksFrame(text) ?? parseJson(text));
}

function checkConnection(connection: string): OkxConnection {
  if (connection === 'public' || connection === 'private' || connection === 'business') return connection;
  throw invalid(`unknown okx connection group ${JSON.stringify(connection)} (public, private, business)`);
}

/** The client sends the text `ping` every 20 s (OKX drops a connection after 30 s of silence); stale after 30 s. */
export function okxHeartbeat(connection: string): HeartbeatRule {
  checkConnection(connection);
  return { clientPing: { frame: () => 'ping', intervalMs: PING_INTERVAL_MS }, staleAfterMs: STALE_AFTER_MS };
}

/**
 * Per-connection limits: topics batched 100 per request (64 KB args cap, 480 requests/hour), 1 MiB frames (4 MiB on
 * the private connection); no lifetime cap.
 */
export function okxConnectionLimits(connection: string): ConnectionLimits {
  const maxFrameBytes = checkConnection(connection) === 'private' ? MAX_PRIVATE_FRAME_BYTES : MAX_PUBLIC_FRAME_BYTES;
  return { maxTopicsPerConnection: MAX_TOPICS_PER_CONNECTION, maxTopicsPerFrame: TOPICS_PER_FRAME, maxOutgoingPerSecond: MAX_OUTGOING_PER_SECOND, maxFrameBytes, maxRequestsPerHour: REQUESTS_PER_HOUR };
}

/** A `StreamDialect` for OKX on the given environment's WebSocket URLs (default production). */
export function createOkxStreamDialect(urls: OkxUrls = OKX_PRODUCTION): StreamDialect {
  return {
    venue: 'okx',
    url: (connection) => urls[checkConnection(connection)],
    subscribeFrames: (topics, nextId) => controlFrames('subscribe', topics, nextId),
    unsubscribeFrames: (topics, nextId) => controlFrames('unsubscribe', topics, nextId),
    classify: classifyOkxFrame,
    decode: decodeOkxFrame,
    heartbeat: okxHeartbeat,
    limits: okxConnectionLimits,
  };
}
