/**
 * Binance frames read back from a recording (`venuekit normalize`): which are Binance's, what each is, and
 * the segment a frame's own shape proves. Spot and USD-M share event names but not fields (documented, and
 * seen in the recorded sessions `binance/ws/{spot,usdm}-combined-streams-recorded-session.jsonl`): a USD-M
 * depth event carries `pu` and `T`, a USD-M bookTicker carries `e`, `E` and `T`, a spot aggTrade and trade
 * carry the ignored `M`, a spot 24hrTicker carries `x`/`b`/`a`. Klines and mini tickers are alike.
 */
import type { RecordedFrame } from '../../core/recording.js';

type Fields = Record<string, unknown>;

/** User-data events, per segment (user-data stream docs; `binance/ws/*-user-*` fixtures). */
const USDM_USER = new Set(['ORDER_TRADE_UPDATE', 'ACCOUNT_UPDATE', 'TRADE_LITE', 'MARGIN_CALL', 'ACCOUNT_CONFIG_UPDATE', 'CONDITIONAL_ORDER_TRIGGER_REJECT']);
const SPOT_USER = new Set(['executionReport', 'outboundAccountPosition', 'balanceUpdate', 'listStatus', 'eventStreamTerminated', 'externalLockUpdate']);
/** Market streams only USD-M has. */
const USDM_MARKET = new Set(['markPriceUpdate', 'forceOrder', 'contractInfo']);
/** Market streams only spot has. */
const SPOT_MARKET = new Set(['avgPrice']);

function isObject(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The segment an event's fields prove, or undefined when both segments send it alike. */
function segmentOfEvent(event: string, p: Fields): string | undefined {
  if (USDM_USER.has(event) || USDM_MARKET.has(event)) return 'usdm';
  if (SPOT_USER.has(event) || SPOT_MARKET.has(event)) return 'spot';
  switch (event) {
    case 'depthUpdate':
      return 'pu' in p ? 'usdm' : 'T' in p ? undefined : 'spot';
    case 'bookTicker':
      return 'usdm';
    case 'aggTrade':
      return 'M' in p ? 'spot' : 'usdm';
    case 'trade':
      return 'M' in p ? 'spot' : undefined;
    case '24hrTicker':
      return 'x' in p || 'b' in p ? 'spot' : 'usdm';
    default:
      return undefined;
  }
}

/** A spot bookTicker has no event name: `{u,s,b,B,a,A}`. */
function isSpotBookTicker(p: Fields): boolean {
  return typeof p['s'] === 'string' && 'u' in p && 'b' in p && 'B' in p && 'a' in p && 'A' in p && !('e' in p);
}

/** A spot partial-depth push (`<symbol>@depth<levels>`): `{lastUpdateId, bids, asks}`. */
function isPartialDepth(p: Fields): boolean {
  return 'lastUpdateId' in p && Array.isArray(p['bids']) && Array.isArray(p['asks']);
}

function describePayload(p: unknown): RecordedFrame | undefined {
  if (!isObject(p)) return undefined;
  const event = p['e'];
  // Every Binance event names itself (`e`) and carries its event time (`E`).
  if (typeof event === 'string' && 'E' in p) {
    const segment = segmentOfEvent(event, p);
    const user = USDM_USER.has(event) || SPOT_USER.has(event) || event === 'listenKeyExpired';
    return { kind: user ? `user data ${event}` : event, ...(segment === undefined ? {} : { segment }) };
  }
  if (isSpotBookTicker(p)) return { kind: 'bookTicker', segment: 'spot' };
  if (isPartialDepth(p)) return { kind: 'partial depth', segment: 'spot' };
  return undefined;
}

/**
 * Reads one decoded frame: combined `{stream, data}`, raw events, WS API user events `{subscriptionId, event}`,
 * replies `{result, id}`, error replies, and requests `{method, params, id}` a recorder kept. Undefined when the frame is not Binance's.
 */
export function readBinanceRecordedFrame(frame: unknown): RecordedFrame | undefined {
  if (!isObject(frame)) return undefined;
  if (typeof frame['stream'] === 'string' && 'data' in frame) return describePayload(frame['data']) ?? { kind: `stream ${frame['stream'].replace(/^[^@]*@/, '')}` };
  // WS API pushes wrap their event: user data `{subscriptionId, event}`, a shutdown notice `{event}`.
  if (isObject(frame['event'])) return describePayload(frame['event']) ?? { kind: 'WS API event' };
  if ('result' in frame && 'id' in frame) return { kind: 'request reply' };
  if (typeof frame['method'] === 'string' && 'id' in frame) return { kind: `${frame['method']} request (sent)` };
  if (isObject(frame['error']) && 'id' in frame) return { kind: 'error reply' };
  if (typeof frame['code'] === 'number' && typeof frame['msg'] === 'string' && !('e' in frame)) return { kind: 'error reply' };
  return describePayload(frame);
}
