/**
 * The Bybit v5 private WebSocket `/v5/private` of the simulator: `auth` (HMAC over "GET/realtime" + expires), ping,
 * subscribe to `order`, `execution`, `position`, `wallet` (and their `.spot/.linear/.inverse` forms), and the
 * account's engine events written as Bybit pushes through one `PrivateFramePump` per connection.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { Decimal } from '../../../core/decimal.js';
import type { SimTradingEngine } from '../trading/engine.js';
import type { SimAccountEvent, SimFill, SimOrder } from '../trading/engine-types.js';
import { PrivateFramePump, type TradingFaults } from '../trading/trading-faults.js';
import { verifyWsAuth } from './auth-check.js';
import { wsExecutionItem, wsOrderItem, wsPositionItem, wsWalletItem, type BybitBodyContext, type SettledPositions } from './order-bodies.js';
import type { BybitSymbol } from './wire-format.js';

export interface BybitPrivateStreamOptions {
  readonly engine: SimTradingEngine;
  readonly tradingFaults: TradingFaults;
  readonly body: BybitBodyContext;
  /** Bybit symbols by unified symbol. */
  readonly byUnified: ReadonlyMap<string, BybitSymbol>;
  /** The account's positions with their settlement coins. */
  readonly settledPositions: (apiKey: string) => SettledPositions;
  /** The venue clock (skewed). */
  readonly now: () => number;
}

const TOPICS = new Set(['order', 'execution', 'position', 'wallet']);
const CATEGORY_TOPICS = /^(order|execution|position)\.(spot|linear|inverse)$/;

let nextConnection = 1;

/** A `conn_id` shaped like the recorded ones (`ct7b5b9qo29o0l72ltjg-4r9wz`). */
function connId(n: number): string {
  const a = (Math.imul(n, 0x9e3779b1) >>> 0).toString(32).padStart(7, '0');
  const b = (Math.imul(n ^ 0x27d4eb2f, 0x85ebca6b) >>> 0).toString(32).padStart(7, '0');
  return `cp${a}${b}${n.toString(32).padStart(4, '0')}-${(n * 104729).toString(36).slice(-5).padStart(5, '0')}`;
}

/** The account's numeric user id in push ids (`104183676_XRPUSDT_19371738695`): a stable hash of the key. */
function uidOf(apiKey: string): string {
  let h = 2166136261;
  for (let i = 0; i < apiKey.length; i++) h = Math.imul(h ^ apiKey.charCodeAt(i), 16777619);
  return String(100_000_000 + ((h >>> 0) % 900_000_000));
}

/** One private connection: login state, topics, the event pump. */
class PrivateConnection {
  readonly connId = connId(nextConnection++);
  readonly topics = new Set<string>();
  apiKey: string | undefined;
  unlisten: (() => void) | undefined;
  readonly pump: PrivateFramePump;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Duplex,
    faults: TradingFaults,
  ) {
    this.pump = new PrivateFramePump('bybit', faults, (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    });
  }

  reply(msg: Record<string, unknown>): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /** Topic names subscribed that carry `base` for `category` (`order` and/or `order.linear`). */
  subscribed(base: string, category?: string): string[] {
    const out: string[] = [];
    if (this.topics.has(base)) out.push(base);
    if (category !== undefined && this.topics.has(`${base}.${category}`)) out.push(`${base}.${category}`);
    return out;
  }

  dispose(): void {
    this.unlisten?.();
    this.unlisten = undefined;
    this.pump.close();
  }
}

export class BybitPrivateStreams {
  readonly connections = new Set<PrivateConnection>();
  readonly counts = { accepted: 0, dropped: 0 };
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private seq = 1;

  constructor(private readonly o: BybitPrivateStreamOptions) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const c = new PrivateConnection(ws, socket, this.o.tradingFaults);
      this.connections.add(c);
      this.counts.accepted++;
      ws.on('message', (data) => this.onMessage(c, data.toString()));
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        c.dispose();
        this.connections.delete(c);
      });
    });
  }

  /** Cuts every private connection without a close frame; returns how many. */
  dropAll(): number {
    const all = [...this.connections];
    for (const c of all) {
      c.dispose();
      c.socket.destroy();
      c.ws.terminate();
    }
    this.counts.dropped += all.length;
    return all.length;
  }

  close(): void {
    this.dropAll();
    this.wss.close();
  }

  private onMessage(c: PrivateConnection, text: string): void {
    let msg: Record<string, unknown> | undefined;
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) msg = v as Record<string, unknown>;
    } catch {
      // answered below
    }
    const reqId = msg !== undefined && typeof msg['req_id'] === 'string' ? { req_id: msg['req_id'] } : {};
    const op = msg?.['op'];
    if (op === 'ping') {
      c.reply({ ...reqId, op: 'pong', args: [String(this.o.now())], conn_id: c.connId });
      return;
    }
    if (op === 'auth') {
      this.auth(c, msg?.['args'], reqId);
      return;
    }
    if (op === 'subscribe' || op === 'unsubscribe') {
      this.subscribe(c, op, msg?.['args'], reqId);
      return;
    }
    c.reply({ success: false, ret_msg: 'error:invalid op', conn_id: c.connId, ...reqId, op: typeof op === 'string' ? op : '' });
  }

  private auth(c: PrivateConnection, args: unknown, reqId: Record<string, unknown>): void {
    if (c.apiKey !== undefined) {
      c.reply({ ...reqId, success: false, ret_msg: 'Repeat auth', op: 'auth', conn_id: c.connId });
      return;
    }
    const v = verifyWsAuth(args, this.o.now(), (k) => this.o.engine.credentials(k));
    if (!v.ok) {
      c.reply({ ...reqId, success: false, ret_msg: v.retMsg, op: 'auth', conn_id: c.connId });
      return;
    }
    c.apiKey = v.apiKey;
    c.unlisten = this.o.engine.listen(v.apiKey, (e) => this.onEvent(c, e));
    c.reply({ ...reqId, success: true, ret_msg: '', op: 'auth', conn_id: c.connId });
  }

  private subscribe(c: PrivateConnection, op: 'subscribe' | 'unsubscribe', args: unknown, reqId: Record<string, unknown>): void {
    if (c.apiKey === undefined) {
      c.reply({ ...reqId, success: false, ret_msg: 'Request not authorized', op, conn_id: c.connId });
      return;
    }
    const topics = Array.isArray(args) ? args : [];
    const bad = topics.find((t) => typeof t !== 'string' || (!TOPICS.has(t) && !CATEGORY_TOPICS.test(t)));
    if (topics.length === 0 || bad !== undefined) {
      c.reply({ ...reqId, success: false, ret_msg: `error:handler not found,topic:${String(bad ?? '')}`, op, conn_id: c.connId });
      return;
    }
    for (const t of topics as string[]) {
      if (op === 'subscribe') c.topics.add(t);
      else c.topics.delete(t);
    }
    c.reply({ ...reqId, success: true, ret_msg: '', op, conn_id: c.connId });
  }

  // ------------------------------------------------------------------ pushes

  private push(c: PrivateConnection, topic: string, id: string, data: readonly unknown[]): void {
    c.pump.send(`{"topic":${JSON.stringify(topic)},"id":${JSON.stringify(id)},"creationTime":${this.o.now()},"data":${JSON.stringify(data)}}`);
  }

  private onEvent(c: PrivateConnection, e: SimAccountEvent): void {
    const apiKey = c.apiKey;
    if (apiKey === undefined) return;
    const uid = uidOf(apiKey);
    const seq = this.seq++;
    if (e.kind === 'order') {
      const s = this.o.byUnified.get(e.order.symbol);
      if (s === undefined) return;
      if (e.fill !== undefined) {
        const leaves = Math.max(0, e.order.qtyUnits - e.order.filledUnits);
        const item = wsExecutionItem(s, e.fill, e.order, leaves, this.o.body);
        for (const t of c.subscribed('execution', s.category)) this.push(c, t, `${uid}_${s.id}_${String(item['seq'])}`, [item]);
      }
      const order = wsOrderItem(s, e.order, this.orderFees(apiKey, e.order, e.fill), this.o.body);
      for (const t of c.subscribed('order', s.category)) this.push(c, t, `${uid}_${s.id}_${seq}`, [order]);
      return;
    }
    if (e.kind === 'position') {
      const s = this.o.byUnified.get(e.position.symbol);
      if (s === undefined) return;
      for (const t of c.subscribed('position', s.category)) this.push(c, t, `${uid}_position_${this.o.now()}`, [wsPositionItem(s, e.position, seq)]);
      return;
    }
    if (c.topics.has('wallet')) {
      const item = wsWalletItem(this.o.body.market, e.balances, this.o.engine.balances(apiKey), this.o.settledPositions(apiKey));
      this.push(c, 'wallet', `${uid}_wallet_${this.o.now()}`, [item]);
    }
  }

  /**
   * The fees `order` paid up to its state in the event: its fills in order until their quantity reaches the
   * order's filled quantity (the engine may have recorded later fills of the same place already).
   */
  private orderFees(apiKey: string, order: SimOrder, fill: SimFill | undefined): Decimal {
    let total = Decimal.ZERO;
    let qty = 0;
    let seen = false;
    for (const f of this.o.engine.fills(apiKey, order.symbol)) {
      if (f.orderId !== order.orderId || qty >= order.filledUnits) continue;
      total = total.add(f.fee);
      qty += f.qtyUnits;
      if (f.tradeId === fill?.tradeId) seen = true;
    }
    return fill !== undefined && !seen && qty < order.filledUnits ? total.add(fill.fee) : total;
  }
}
