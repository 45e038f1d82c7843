/**
 * Bybit v5 frames read back from a recording (`venuekit normalize`): which are Bybit's, what each is, and
 * the category a frame's own shape proves. Topics do not name the category (`orderbook.50.BTCUSDT` is the
 * same on spot and linear), but some frames do: a public trade carrying the tick direction `L` ("unique
 * field for perps & futures"; `bybit/ws/public-trade-BTCUSDT-{spot,linear}-recorded-sequence.jsonl`), a
 * ticker `delta` (spot tickers are snapshot-only) or one with funding / mark / open-interest fields, a spot
 * ticker with `usdIndexPrice`, liquidations. A derivative id quoted in USD (`BTCUSD`, `BTCUSDH25`) is
 * inverse, any other linear. Order books and klines are alike on every category.
 */
import type { RecordedFrame } from '../../core/recording.js';

type Fields = Record<string, unknown>;

/** Private (account) topics: `order`, `execution`, `execution.fast`, `wallet`, `position`, ... (optionally `.{category}`). */
const PRIVATE = new Set(['order', 'execution', 'position', 'wallet', 'greeks', 'dcp']);
/** Inverse ids: coin-margined USD contracts, perpetual or dated by month code. */
const INVERSE_ID = /^[A-Z0-9]+USD(?:[FGHJKMNQUVXZ]\d{2})?$/;
/** Option ids end in the strike and `C` / `P` (`BTC-6JAN23-17500-C`). */
const OPTION_ID = /-\d+-[CP](?:-|$)/;

function isObject(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function derivative(id: string): string {
  return INVERSE_ID.test(id.toUpperCase()) ? 'inverse' : 'linear';
}

function tradeCategory(id: string, data: unknown): string | undefined {
  const rows = Array.isArray(data) ? data.filter(isObject) : [];
  if (rows.length === 0 || OPTION_ID.test(id) || rows.some((r) => 'iv' in r || 'mIv' in r)) return undefined;
  return rows.some((r) => 'L' in r) ? derivative(id) : 'spot';
}

function tickerCategory(id: string, type: unknown, data: unknown): string | undefined {
  if (!isObject(data) || OPTION_ID.test(id) || 'underlyingPrice' in data || 'delta' in data) return undefined;
  if (type === 'delta' || 'fundingRate' in data || 'markPrice' in data || 'openInterest' in data || 'tickDirection' in data) return derivative(id);
  return 'usdIndexPrice' in data ? 'spot' : undefined;
}

/**
 * Reads one decoded frame: pushes `{topic, data}`, and control frames `{op, ...}` carrying Bybit's `success`,
 * `ret_msg`, `retCode`, `conn_id`, `req_id` / `reqId`, a `header`, or plain request `args` (topics, auth values).
 * Undefined when the frame is not Bybit's.
 */
export function readBybitRecordedFrame(frame: unknown): RecordedFrame | undefined {
  if (!isObject(frame)) return undefined;
  const topic = frame['topic'];
  if (typeof topic === 'string' && 'data' in frame) {
    const parts = topic.split('.');
    const channel = parts[0] ?? '';
    const id = parts[parts.length - 1] ?? '';
    if (PRIVATE.has(channel)) return { kind: `user data ${channel}` };
    const segment = channel === 'publicTrade' ? tradeCategory(id, frame['data']) : channel === 'tickers' ? tickerCategory(id, frame['type'], frame['data']) : channel === 'allLiquidation' || channel === 'liquidation' ? derivative(id) : undefined;
    return { kind: channel, ...(segment === undefined ? {} : { segment }) };
  }
  // Option and spread connections answer with `type: COMMAND_RESP` and no `op`.
  if (frame['type'] === 'COMMAND_RESP' && typeof frame['success'] === 'boolean') return { kind: 'command ack' };
  const op = frame['op'];
  const args = frame['args'];
  // Bybit's own fields, or request arguments that are topics / key, expiry, signature (OKX's are objects).
  const control =
    typeof frame['success'] === 'boolean' ||
    typeof frame['ret_msg'] === 'string' ||
    typeof frame['retCode'] === 'number' ||
    'conn_id' in frame ||
    'req_id' in frame ||
    'reqId' in frame ||
    isObject(frame['header']) ||
    (Array.isArray(args) && args.every((a) => !isObject(a)));
  if (typeof op === 'string' && control) {
    if (op === 'pong' || (op === 'ping' && (frame['success'] === true || frame['ret_msg'] === 'pong'))) return { kind: 'pong' };
    if (typeof frame['retCode'] === 'number') return { kind: `${op} reply` };
    if (typeof frame['success'] === 'boolean' || typeof frame['ret_msg'] === 'string') return { kind: `${op} ack` };
    return { kind: `${op} request (sent)` };
  }
  return undefined;
}
