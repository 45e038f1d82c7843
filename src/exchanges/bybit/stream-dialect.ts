/**
 * The Bybit v5 stream dialect: topic names (`orderbook.50.BTCUSDT`, `publicTrade.BTCUSDT`, ...), one
 * connection group per category, `{"op":"subscribe"}` frames, frame classification, the `{"op":"ping"}`
 * heartbeat and limits. Pure: owns no socket or timer.
 */
import { VenueError } from '../../core/errors.js';
import { parseJson } from '../../core/json.js';
import { describeShape } from '../../core/venue.js';
import type { ConnectionLimits, HeartbeatRule, InboundFrame, StreamDialect, StreamTopic } from '../../core/venue.js';
import { scanBybitBookFrame } from './book-scanner.js';
import {
  BOOK_DEPTHS,
  BYBIT_MAINNET,
  DERIVATIVES_TOPICS_PER_FRAME,
  MAX_OUTGOING_PER_SECOND,
  MAX_PRIVATE_FRAME_BYTES,
  MAX_PUBLIC_FRAME_BYTES,
  MAX_TOPICS_PER_CONNECTION,
  PING_INTERVAL_MS,
  SPOT_TOPICS_PER_FRAME,
  STALE_AFTER_MS,
  VENUE,
  type BybitCategory,
  type BybitConnection,
  type BybitUrls,
} from './config.js';
import { toBybitInterval } from './intervals.js';
import type { BybitStreamRequest } from './wire.js';

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

function topic(category: BybitCategory, key: string, id: string): StreamTopic {
  if (id === '') throw invalid('empty market id');
  return { key, connection: category };
}

/**
 * The book depth to stream for a wanted depth: the smallest of 50/200/1000 that covers it (default 1000).
 * Level 1 is left to the best bid/offer stream: it is snapshot-only, so as a book every message would be a reset.
 */
export function bookDepthFor(depth: number | undefined): number {
  if (depth === undefined) return 1000;
  if (!(depth > 0)) throw invalid(`book depth must be positive, got ${depth}`);
  return BOOK_DEPTHS.find((d) => d >= depth && d > 1) ?? 1000;
}

/** `orderbook.{depth}.{symbol}`; `depth` must be one Bybit streams (1, 50, 200, 1000). */
export function orderbookTopic(category: BybitCategory, id: string, depth: number): StreamTopic {
  if (!BOOK_DEPTHS.includes(depth)) throw invalid(`bybit streams order books of depth ${BOOK_DEPTHS.join(', ')}, not ${depth}`);
  return topic(category, `orderbook.${depth}.${id}`, id);
}

/** `publicTrade.{symbol}`. */
export function publicTradeTopic(category: BybitCategory, id: string): StreamTopic {
  return topic(category, `publicTrade.${id}`, id);
}

/** `tickers.{symbol}`. */
export function tickersTopic(category: BybitCategory, id: string): StreamTopic {
  return topic(category, `tickers.${id}`, id);
}

/** `kline.{interval}.{symbol}`; `interval` is unified (`1m`, `1h`...). */
export function klineTopic(category: BybitCategory, id: string, interval: string): StreamTopic {
  return topic(category, `kline.${toBybitInterval(interval)}.${id}`, id);
}

/** A topic split into its channel, its parameter (depth or interval) if any, and the market id. */
export interface TopicParts {
  readonly channel: string;
  readonly param?: string;
  readonly id: string;
}

/** Splits `orderbook.50.BTCUSDT` / `publicTrade.BTCUSDT` / `kline.5.BTCUSDT`; undefined when not a market topic. */
export function topicParts(key: string): TopicParts | undefined {
  const parts = key.split('.');
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { channel: parts[0] as string, id: parts[1] as string };
  if (parts.length === 3 && parts[2] !== '') return { channel: parts[0] as string, param: parts[1] as string, id: parts[2] as string };
  return undefined;
}

/** Topics per subscribe frame: spot allows 10 args per request. */
export function topicsPerFrame(connection: string): number {
  return checkConnection(connection) === 'spot' ? SPOT_TOPICS_PER_FRAME : DERIVATIVES_TOPICS_PER_FRAME;
}

function controlFrames(op: 'subscribe' | 'unsubscribe', topics: readonly StreamTopic[], nextId: () => number): string[] {
  const frames: string[] = [];
  const perFrame = topics.length === 0 ? 1 : Math.min(...topics.map((t) => topicsPerFrame(t.connection)));
  for (let i = 0; i < topics.length; i += perFrame) {
    const request: BybitStreamRequest = { req_id: String(nextId()), op, args: topics.slice(i, i + perFrame).map((t) => t.key) };
    frames.push(JSON.stringify(request));
  }
  return frames;
}

function requestId(value: unknown): string | number | undefined {
  return (typeof value === 'string' && value !== '') || typeof value === 'number' ? value : undefined;
}

/**
 * What a decoded frame is: `{topic, data}` → data routed by topic (the whole frame is the payload, since
 * `type`, `ts` and `cts` sit beside `data`); `{"op":"pong"}` and `{"op":"ping","ret_msg":"pong"}` → pong;
 * `{"success":true,"op":"subscribe"|"unsubscribe"|"auth"}` (and the option/spread `COMMAND_RESP`) → ack by
 * `req_id`; `success:false` → nack, except "already subscribed", which is an ack. The public streams document
 * nothing else, so anything else is `unknown`: non-object JSON, a push whose `topic` is missing or not a string or
 * whose `data` is missing, `{}`.
 */
export function classifyBybitFrame(frame: unknown): InboundFrame {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { role: 'unknown', reason: `not a JSON object but ${describeShape(frame)}` };
  const o = frame as Record<string, unknown>;
  const topic = o['topic'];
  if (typeof topic === 'string' && 'data' in o && o['type'] !== 'COMMAND_RESP') return { role: 'data', topic, payload: o };
  const op = o['op'];
  const msg = typeof o['ret_msg'] === 'string' ? o['ret_msg'] : '';
  if (op === 'pong' || (op === 'ping' && (o['success'] === true || msg === 'pong'))) return { role: 'pong' };
  if (typeof o['success'] !== 'boolean') {
    if (topic !== undefined || 'data' in o) {
      const why = typeof topic !== 'string' ? `its topic is ${topic === undefined ? 'missing' : describeShape(topic)}` : 'it has no data';
      return { role: 'unknown', reason: `a push whose routing is broken: ${why} (${describeShape(frame)})` };
    }
    return { role: 'unknown', reason: `no known frame shape: ${describeShape(frame)}` };
  }
  const id = requestId(o['req_id']);
  const failTopics = (o['data'] as { failTopics?: unknown } | undefined)?.failTopics;
  const failed = o['success'] === false || (Array.isArray(failTopics) && failTopics.length > 0);
  if (!failed || /already subscribed/i.test(msg)) return { role: 'ack', id };
  const text = msg !== '' ? msg : Array.isArray(failTopics) ? `subscribe failed for ${failTopics.join(', ')}` : `${String(op ?? 'request')} failed`;
  const code = op === 'auth' ? 'auth' : 'invalid-argument';
  return { role: 'nack', id, error: new VenueError(code, text, { venue: VENUE }) };
}

function checkConnection(connection: string): BybitConnection {
  if (connection === 'spot' || connection === 'linear' || connection === 'inverse' || connection === 'private') return connection;
  throw invalid(`unknown bybit connection group ${JSON.stringify(connection)} (spot, linear, inverse, private)`);
}

/** The client pings with `{"op":"ping"}` every 20 s; 30 s of total silence means the connection is dead. */
export function bybitHeartbeat(connection: string): HeartbeatRule {
  checkConnection(connection);
  return { clientPing: { frame: () => '{"op":"ping"}', intervalMs: PING_INTERVAL_MS }, staleAfterMs: STALE_AFTER_MS };
}

/**
 * Per-connection limits: 400 topics (21,000 characters of args), 10 (spot) or 100 topics per frame, 10 messages/s,
 * 1 MiB frames (4 MiB on the private connection); no lifetime.
 */
export function bybitConnectionLimits(connection: string): ConnectionLimits {
  return {
    maxTopicsPerConnection: MAX_TOPICS_PER_CONNECTION,
    maxTopicsPerFrame: topicsPerFrame(connection),
    maxOutgoingPerSecond: MAX_OUTGOING_PER_SECOND,
    maxFrameBytes: connection === 'private' ? MAX_PRIVATE_FRAME_BYTES : MAX_PUBLIC_FRAME_BYTES,
  };
}

/** A `StreamDialect` for Bybit public (and, later, private) streams on the given URLs (default mainnet). */
export function createBybitStreamDialect(urls: BybitUrls = BYBIT_MAINNET): StreamDialect {
  return {
    venue: 'bybit',
    url: (connection) => urls.ws[checkConnection(connection)],
    subscribeFrames: (topics, nextId) => controlFrames('subscribe', topics, nextId),
    unsubscribeFrames: (topics, nextId) => controlFrames('unsubscribe', topics, nextId),
    classify: (frame) => classifyBybitFrame(frame),
    // Order-book frames (the bulk of the traffic) take the scanner; everything else, and anything the
    // scanner is not sure about, goes through parseJson (the scanner's results are identical to it).
    decode: (text) => scanBybitBookFrame(text) ?? parseJson(text),
    heartbeat: bybitHeartbeat,
    limits: bybitConnectionLimits,
  };
}
