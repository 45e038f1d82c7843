/**
 * The OKX private WebSocket (`/ws/v5/private`): `login` verified against the engine's keys, the `orders`,
 * `account` and `positions` channels (snapshots on subscribe, `event_update` after), and the engine's account
 * events turned into OKX pushes, every push through one `PrivateFramePump` per connection (the event faults).
 */
import type { SimTradingEngine } from '../trading/engine.js';
import type { SimAccountEvent, SimBalance, SimPosition } from '../trading/engine-types.js';
import { PrivateFramePump, type TradingFaults } from '../trading/trading-faults.js';
import { verifyLogin } from './auth-check.js';
import { orderPushItem } from './order-bodies.js';
import type { OkxConnection } from './stream-connection.js';
import type { OkxTradingRest } from './trading-rest.js';
import { ackFrame, errorFrame, wrongChannelMessage, type OkxInstrument } from './wire-format.js';

export interface OkxPrivateStreamOptions {
  readonly engine: SimTradingEngine;
  readonly tradingFaults: TradingFaults;
  /** Order wire fields, account and position records (shared with REST). */
  readonly rest: OkxTradingRest;
  /** The venue clock (login timestamps, `uTime`). */
  readonly now: () => number;
}

type PrivateChannel = 'orders' | 'account' | 'positions';

/** One private subscription: its argument as the client wrote it (echoed in acks and pushes). */
interface PrivateSub {
  readonly key: string;
  readonly channel: PrivateChannel;
  readonly arg: Readonly<Record<string, string>>;
}

interface Session {
  apiKey: string | undefined;
  readonly pump: PrivateFramePump;
  unlisten: (() => void) | undefined;
  readonly subs: PrivateSub[];
}

const ORDER_INST_TYPES = ['ANY', 'SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION'];
const POSITION_INST_TYPES = ['ANY', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION'];

/** A stable 15-digit `uid` for an API key (the account's user id in pushes). */
export function okxUid(apiKey: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < apiKey.length; i++) h = Math.imul(h ^ apiKey.charCodeAt(i), 0x01000193) >>> 0;
  return String(100_000_000_000_000 + h * 100_000 + (apiKey.length % 100_000));
}

/** The private side of the OKX stream server. */
export class OkxPrivateStreams {
  private readonly sessions = new Map<OkxConnection, Session>();

  constructor(private readonly o: OkxPrivateStreamOptions) {}

  /** `{"op":"login","args":[{apiKey,passphrase,timestamp,sign}]}`: `event:"login"` or `event:"error"` 60004/60005/60009/60024. */
  login(conn: OkxConnection, args: readonly unknown[], id: string | undefined): void {
    const result = verifyLogin(args[0], (k) => this.o.engine.credentials(k), this.o.now());
    if (!('apiKey' in result)) {
      conn.sendControl(errorFrame(result.code, result.msg, conn.connId, id));
      return;
    }
    const s = this.session(conn);
    if (s.apiKey !== result.apiKey) {
      s.unlisten?.();
      s.subs.length = 0;
      s.apiKey = result.apiKey;
      s.unlisten = this.o.engine.listen(result.apiKey, (e) => this.onEvent(s, e));
    }
    conn.sendControl(JSON.stringify({ ...(id !== undefined ? { id } : {}), event: 'login', code: '0', msg: '', connId: conn.connId }));
  }

  /** Subscribe / unsubscribe on the private URL: 60011 before login, 60018 for an unknown channel or instType. */
  subscribe(conn: OkxConnection, op: 'subscribe' | 'unsubscribe', args: readonly unknown[], id: string | undefined, text: string): void {
    const s = this.sessions.get(conn);
    for (const a of args) {
      const arg = typeof a === 'object' && a !== null && !Array.isArray(a) ? (a as Record<string, unknown>) : undefined;
      const channel = arg?.['channel'];
      if (arg === undefined || typeof channel !== 'string') {
        conn.sendControl(errorFrame('60012', `Invalid request: ${text}`, conn.connId, id));
        continue;
      }
      if (s?.apiKey === undefined) {
        conn.sendControl(errorFrame('60011', 'Please log in', conn.connId, id));
        continue;
      }
      const sub = parseSub(channel, arg);
      if (sub === undefined) {
        conn.sendControl(errorFrame('60018', wrongChannelMessage(channel, typeof arg['instId'] === 'string' ? arg['instId'] : undefined), conn.connId, id));
        continue;
      }
      const at = s.subs.findIndex((x) => x.key === sub.key);
      conn.sendControl(ackFrame(op, sub.arg, conn.connId, id));
      if (op === 'unsubscribe') {
        if (at >= 0) s.subs.splice(at, 1);
        continue;
      }
      if (at >= 0) continue;
      s.subs.push(sub);
      if (sub.channel === 'account') this.pushAccount(s, sub, 'snapshot', undefined);
      if (sub.channel === 'positions') this.pushPositions(s, sub, 'snapshot', this.o.engine.positions(s.apiKey).filter((p) => p.sizeUnits !== 0));
    }
  }

  /** A logged-in connection ended: stop listening, drop held frames. */
  closed(conn: OkxConnection): void {
    const s = this.sessions.get(conn);
    if (s === undefined) return;
    s.unlisten?.();
    s.pump.close();
    this.sessions.delete(conn);
  }

  private session(conn: OkxConnection): Session {
    let s = this.sessions.get(conn);
    if (s === undefined) {
      s = { apiKey: undefined, pump: new PrivateFramePump('okx', this.o.tradingFaults, (frame) => conn.sendData(frame)), unlisten: undefined, subs: [] };
      this.sessions.set(conn, s);
    }
    return s;
  }

  private onEvent(s: Session, e: SimAccountEvent): void {
    if (e.kind === 'order') {
      const w = this.o.rest.instrumentOf(e.order.symbol);
      if (w === undefined) return;
      const item = orderPushItem(w, e.order, this.o.rest.metaOf(e.order), this.o.rest.orderFills(e.order, e.fill), e.fill);
      for (const sub of s.subs) if (sub.channel === 'orders' && matches(sub, w)) s.pump.send(JSON.stringify({ arg: { ...sub.arg, uid: okxUid(s.apiKey ?? '') }, data: [item] }));
      return;
    }
    if (e.kind === 'balance') {
      for (const sub of s.subs) if (sub.channel === 'account') this.pushAccount(s, sub, 'event_update', e.balances);
      return;
    }
    for (const sub of s.subs) if (sub.channel === 'positions') this.pushPositions(s, sub, 'event_update', [e.position]);
  }

  /** An `account` push: the whole account (snapshot) or the currencies that changed (`event_update`). */
  private pushAccount(s: Session, sub: PrivateSub, eventType: 'snapshot' | 'event_update', changed: readonly SimBalance[] | undefined): void {
    const apiKey = s.apiKey as string;
    let only = changed?.map((b) => b.currency);
    const ccy = sub.arg['ccy'];
    if (ccy !== undefined) only = only === undefined ? [ccy] : only.filter((c) => c === ccy);
    if (only !== undefined && only.length === 0) return;
    const record = this.o.rest.accountRecord(apiKey, this.o.now(), only);
    s.pump.send(JSON.stringify({ arg: { ...sub.arg, uid: okxUid(apiKey) }, eventType, ...(eventType === 'snapshot' ? { curPage: 1, lastPage: true } : {}), data: [record] }));
  }

  /** A `positions` push of the positions that match the subscription (a snapshot may be empty). */
  private pushPositions(s: Session, sub: PrivateSub, eventType: 'snapshot' | 'event_update', positions: readonly SimPosition[]): void {
    const apiKey = s.apiKey as string;
    const data: unknown[] = [];
    for (const p of positions) {
      const w = this.o.rest.instrumentOf(p.symbol);
      if (w !== undefined && w.instType !== 'SPOT' && matches(sub, w)) data.push(this.o.rest.positionItem(apiKey, w, p));
    }
    if (eventType === 'event_update' && data.length === 0) return;
    s.pump.send(JSON.stringify({ arg: { ...sub.arg, uid: okxUid(apiKey) }, eventType, ...(eventType === 'snapshot' ? { curPage: 1, lastPage: true } : {}), data }));
  }
}

/** A private subscription argument, or undefined when the channel or its `instType` does not exist. */
function parseSub(channel: string, arg: Record<string, unknown>): PrivateSub | undefined {
  const text = (name: string): string | undefined => (typeof arg[name] === 'string' && arg[name] !== '' ? (arg[name] as string) : undefined);
  if (channel === 'account') {
    const ccy = text('ccy');
    return { key: `account:${ccy ?? ''}`, channel, arg: { channel, ...(ccy !== undefined ? { ccy } : {}) } };
  }
  if (channel !== 'orders' && channel !== 'positions') return undefined;
  const instType = text('instType');
  if (instType === undefined || !(channel === 'orders' ? ORDER_INST_TYPES : POSITION_INST_TYPES).includes(instType)) return undefined;
  const instFamily = text('instFamily');
  const instId = text('instId');
  const out: Record<string, string> = { channel, instType };
  if (instFamily !== undefined) out['instFamily'] = instFamily;
  if (instId !== undefined) out['instId'] = instId;
  return { key: `${channel}:${instType}:${instFamily ?? ''}:${instId ?? ''}`, channel, arg: out };
}

function matches(sub: PrivateSub, w: OkxInstrument): boolean {
  const { instType, instFamily, instId } = sub.arg;
  return (instType === undefined || instType === 'ANY' || instType === w.instType) && (instFamily === undefined || instFamily === w.uly) && (instId === undefined || instId === w.instId);
}
