/**
 * The Binance market-stream dialect: topic names, connection groups (spot, USD-M `/public` and
 * `/market` roots), combined-stream URLs, SUBSCRIBE frames, frame classification, heartbeat and limits.
 * Pure: owns no socket or timer.
 */
import { VenueError } from '../../core/errors.js';
import { parseJson } from '../../core/json.js';
import { describeShape } from '../../core/venue.js';
import type { ConnectionLimits, HeartbeatRule, InboundFrame, StreamDialect, StreamTopic } from '../../core/venue.js';
import {
  BINANCE_MAINNET,
  MAX_CONNECTION_LIFETIME_MS,
  MAX_OUTGOING_PER_SECOND,
  MAX_STREAM_FRAME_BYTES,
  MAX_STREAMS_PER_CONNECTION,
  STALE_AFTER_MS,
  VENUE,
  type BinanceSegment,
  type BinanceUrls,
} from './config.js';
import { scanDepthFrame } from './depth-scanner.js';
import { binanceErrorCode } from './errors.js';
import { toBinanceInterval } from './intervals.js';
import type { BinanceStreamRequest } from './wire.js';

/** Connection groups: spot streams share one root; USD-M splits book data (`/public`) from the rest (`/market`). */
export type BinanceConnection = 'spot' | 'usdm-public' | 'usdm-market';

/** Diff-depth update speeds: spot 1000ms (default) or 100ms; USD-M 250ms (default), 500ms or 100ms. */
export type BinanceDepthSpeed = '100ms' | '250ms' | '500ms' | '1000ms';

/** Streams per SUBSCRIBE frame. Binance sets no documented cap; this keeps frames small. */
export const TOPICS_PER_FRAME = 200;

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

function topic(segment: BinanceSegment, id: string, suffix: string, bookData: boolean): StreamTopic {
  if (id === '') throw invalid('empty market id');
  const connection: BinanceConnection = segment === 'spot' ? 'spot' : bookData ? 'usdm-public' : 'usdm-market';
  return { key: `${id.toLowerCase()}@${suffix}`, connection };
}

const DEPTH_SUFFIX: Readonly<Record<BinanceSegment, Readonly<Record<string, string>>>> = {
  spot: { '1000ms': 'depth', '100ms': 'depth@100ms' },
  usdm: { '250ms': 'depth', '500ms': 'depth@500ms', '100ms': 'depth@100ms' },
};

/** The diff-depth stream (`btcusdt@depth@100ms`). Spot's 1000ms and USD-M's 250ms are the unsuffixed `@depth`. */
export function depthTopic(segment: BinanceSegment, id: string, speed: BinanceDepthSpeed = segment === 'spot' ? '1000ms' : '250ms'): StreamTopic {
  const suffix = DEPTH_SUFFIX[segment][speed];
  if (suffix === undefined) throw invalid(`binance ${segment} has no ${speed} depth stream`);
  return topic(segment, id, suffix, true);
}

/** The raw trade stream (`btcusdt@trade`); spot only, USD-M publishes aggregate trades. */
export function tradeTopic(segment: BinanceSegment, id: string): StreamTopic {
  if (segment !== 'spot') throw invalid('binance usdm has no raw trade stream; use aggTradeTopic');
  return topic(segment, id, 'trade', false);
}

/** The aggregate trade stream (`btcusdt@aggTrade`). */
export function aggTradeTopic(segment: BinanceSegment, id: string): StreamTopic {
  return topic(segment, id, 'aggTrade', false);
}

/** The kline stream (`btcusdt@kline_1m`); `interval` is unified. */
export function klineTopic(segment: BinanceSegment, id: string, interval: string): StreamTopic {
  return topic(segment, id, `kline_${toBinanceInterval(interval, segment)}`, false);
}

/** The rolling 24 h ticker stream (`btcusdt@ticker`). */
export function tickerTopic(segment: BinanceSegment, id: string): StreamTopic {
  return topic(segment, id, 'ticker', false);
}

/** The rolling 24 h mini ticker stream (`btcusdt@miniTicker`). */
export function miniTickerTopic(segment: BinanceSegment, id: string): StreamTopic {
  return topic(segment, id, 'miniTicker', false);
}

/** The best bid/offer stream (`btcusdt@bookTicker`), on USD-M's `/public` root. */
export function bookTickerTopic(segment: BinanceSegment, id: string): StreamTopic {
  return topic(segment, id, 'bookTicker', true);
}

function controlFrames(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', topics: readonly StreamTopic[], nextId: () => number): string[] {
  const frames: string[] = [];
  for (let i = 0; i < topics.length; i += TOPICS_PER_FRAME) {
    const request: BinanceStreamRequest = { method, params: topics.slice(i, i + TOPICS_PER_FRAME).map((t) => t.key), id: nextId() };
    frames.push(JSON.stringify(request));
  }
  return frames;
}

function requestId(value: unknown): string | number | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

function nack(id: unknown, code: unknown, msg: unknown): InboundFrame {
  const venueCode = typeof code === 'number' ? code : undefined;
  const text = typeof msg === 'string' ? msg : 'stream request failed';
  // Codes 0..3 are the stream server's own (unknown property, invalid value type, invalid request, invalid JSON).
  const errorCode = venueCode !== undefined && venueCode >= 0 && venueCode <= 3 ? 'invalid-argument' : binanceErrorCode(venueCode, undefined, text, false);
  const error = new VenueError(errorCode, text, { venue: VENUE, ...(venueCode === undefined ? {} : { venueCode: String(venueCode) }) });
  return { role: 'nack', id: requestId(id), error };
}

function isShutdown(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { e?: unknown }).e === 'serverShutdown';
}

/**
 * What a decoded frame is: combined `{stream,data}` → data routed by stream name; `{result,id}` → ack (also the
 * answers to LIST_SUBSCRIPTIONS and GET_PROPERTY); `{error:{code,msg},id}` (or a bare `{code,msg}`) → nack;
 * `serverShutdown` (combined, raw or WS-API wrapped) → shutdown. A combined stream documents nothing else (pings are
 * WebSocket control frames), so anything else is `unknown`: non-object JSON, an envelope whose `stream` is missing
 * or not a string or whose `data` is missing, a raw event, `{}`.
 */
export function classifyBinanceFrame(frame: unknown): InboundFrame {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { role: 'unknown', reason: `not a JSON object but ${describeShape(frame)}` };
  const o = frame as Record<string, unknown>;
  const stream = o['stream'];
  if (typeof stream === 'string' && 'data' in o) {
    if (stream === '!serverShutdown' || isShutdown(o['data'])) return { role: 'shutdown' };
    return { role: 'data', topic: stream, payload: o['data'] };
  }
  if (isShutdown(o) || isShutdown(o['event'])) return { role: 'shutdown' };
  if (typeof o['error'] === 'object' && o['error'] !== null) {
    const error = o['error'] as Record<string, unknown>;
    return nack(o['id'], error['code'], error['msg']);
  }
  if ('result' in o && 'id' in o) return { role: 'ack', id: requestId(o['id']) };
  if (typeof o['code'] === 'number' && typeof o['msg'] === 'string' && o['e'] === undefined) return nack(o['id'], o['code'], o['msg']);
  if (stream !== undefined || 'data' in o) {
    const why = typeof stream !== 'string' ? `its stream name is ${stream === undefined ? 'missing' : describeShape(stream)}` : 'it has no data';
    return { role: 'unknown', reason: `a combined-stream frame whose routing is broken: ${why} (${describeShape(frame)})` };
  }
  return { role: 'unknown', reason: `no known frame shape: ${describeShape(frame)}` };
}

function checkConnection(connection: string): BinanceConnection {
  if (connection === 'spot' || connection === 'usdm-public' || connection === 'usdm-market') return connection;
  throw invalid(`unknown binance connection group ${JSON.stringify(connection)} (spot, usdm-public, usdm-market)`);
}

/**
 * Server pings keep Binance connections alive (20 s spot, 3 min USD-M); the client never pings. Stale
 * after a minute of silence on spot; on USD-M, where quiet streams may only carry the 3-minute ping,
 * after 4 minutes.
 */
export function binanceHeartbeat(connection: string): HeartbeatRule {
  return { staleAfterMs: checkConnection(connection) === 'spot' ? STALE_AFTER_MS : 4 * STALE_AFTER_MS };
}

/** Per-connection limits: 1024 streams, 5 (spot) or 10 (USD-M) messages/s, 4 MiB frames, 24 h lifetime. */
export function binanceConnectionLimits(connection: string): ConnectionLimits {
  const segment: BinanceSegment = checkConnection(connection) === 'spot' ? 'spot' : 'usdm';
  return {
    maxTopicsPerConnection: MAX_STREAMS_PER_CONNECTION,
    maxTopicsPerFrame: TOPICS_PER_FRAME,
    maxOutgoingPerSecond: MAX_OUTGOING_PER_SECOND[segment],
    maxFrameBytes: MAX_STREAM_FRAME_BYTES,
    maxLifetimeMs: MAX_CONNECTION_LIFETIME_MS,
  };
}

/** A `StreamDialect` for Binance market streams on the given environment's roots (default mainnet). */
export function createBinanceStreamDialect(urls: BinanceUrls = BINANCE_MAINNET): StreamDialect {
  return {
    venue: 'binance',
    url(connection: string): string {
      switch (checkConnection(connection)) {
        case 'spot':
          return `${urls.spot.ws}/stream`;
        case 'usdm-public':
          return `${urls.usdm.ws}/public/stream`;
        case 'usdm-market':
          return `${urls.usdm.ws}/market/stream`;
      }
    },
    subscribeFrames: (topics, nextId) => controlFrames('SUBSCRIBE', topics, nextId),
    unsubscribeFrames: (topics, nextId) => controlFrames('UNSUBSCRIBE', topics, nextId),
    classify: (frame) => classifyBinanceFrame(frame),
    // Diff-depth frames (the bulk of the traffic) take the scanner; everything else, and anything the
    // scanner is not sure about, goes through parseJson (the scanner's results are identical to it).
    decode: (text) => scanDepthFrame(text) ?? parseJson(text),
    heartbeat: binanceHeartbeat,
    limits: binanceConnectionLimits,
  };
}
