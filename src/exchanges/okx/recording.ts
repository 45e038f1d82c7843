/**
 * OKX v5 frames read back from a recording (`venuekit normalize`): which are OKX's and what each is. Every
 * push names its instrument (`arg.instId`: `BTC-USDT`, `BTC-USDT-SWAP`, `BTC-USD-220527`), whose shape is
 * the instrument type, so one normalizer serves every segment and no frame needs a `--market`.
 */
import type { RecordedFrame } from '../../core/recording.js';
import { PONG } from './stream-dialect.js';

type Fields = Record<string, unknown>;

/** Account channels (private and business connections). */
const PRIVATE = new Set(['orders', 'fills', 'account', 'positions', 'balance_and_position', 'orders-algo', 'algo-advance', 'liquidation-warning', 'account-greeks', 'deposit-info', 'withdrawal-info']);

const EVENT_KINDS: Readonly<Record<string, string>> = { subscribe: 'subscribe ack', unsubscribe: 'unsubscribe ack', error: 'error reply', login: 'login reply', notice: 'notice' };

function isObject(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads one decoded frame: the text `pong`, pushes `{arg: {channel}, data}`, events `{event}` (acks, errors,
 * login, notices), order replies `{op, code}` and requests `{op, args}` a recorder kept. Undefined when the
 * frame is not OKX's.
 */
export function readOkxRecordedFrame(frame: unknown): RecordedFrame | undefined {
  if (frame === PONG) return { kind: 'pong' };
  if (!isObject(frame)) return undefined;
  const event = frame['event'];
  if (typeof event === 'string') return { kind: EVENT_KINDS[event] ?? `${event} event` };
  const arg = frame['arg'];
  if (isObject(arg) && typeof arg['channel'] === 'string' && 'data' in frame) return { kind: PRIVATE.has(arg['channel']) ? `user data ${arg['channel']}` : arg['channel'] };
  const op = frame['op'];
  if (typeof op === 'string' && typeof frame['code'] === 'string') return { kind: `${op} reply` };
  // OKX request arguments are objects (`{channel, instId}`, an order); Bybit's carry `req_id`/`reqId`/`header` or strings.
  const args = frame['args'];
  if (typeof op === 'string' && Array.isArray(args) && args.length > 0 && args.every(isObject) && !('req_id' in frame) && !('reqId' in frame) && !('header' in frame)) return { kind: `${op} request (sent)` };
  return undefined;
}
