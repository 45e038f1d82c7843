/**
 * One simulated Binance stream connection: its subscriptions and mode, the outgoing queue that applies the
 * delay and stall faults in order, the server ping / pong deadline, the incoming-rate limit and the
 * lifetime cap. Knows nothing about what the frames mean.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { StreamRoot } from './stream-names.js';

export interface ConnectionRules {
  readonly pingIntervalMs: number;
  /** Close when no pong arrived for this long. */
  readonly pongTimeoutMs: number;
  /** Close after this long (Binance: 24 h). */
  readonly maxLifetimeMs: number;
  /** Incoming messages (text, ping, pong) allowed per second; more closes the connection. */
  readonly maxIncomingPerSecond: number;
  /** Current frame delay (the delay fault). */
  delayMs(): number;
}

/** Close codes the simulator uses. Binance does not document its own; these are assumptions. */
export const CLOSE_CODES = {
  /** Incoming message rate exceeded. */
  tooManyMessages: 1008,
  /** Lifetime reached or server shutdown. */
  goingAway: 1001,
} as const;

let nextConnectionId = 1;

export class StreamConnection {
  readonly id = nextConnectionId++;
  readonly openedAt = Date.now();
  /** Stream names subscribed, in subscription order. */
  readonly streams = new Set<string>();
  combined: boolean;
  /** Why the server closed it, when it did. */
  closeReason: string | undefined;
  private lastPongAt = Date.now();
  private readonly inbound: number[] = [];
  private readonly queue: Array<[at: number, text: string]> = [];
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private holdUntil = 0;
  private held: string[] = [];
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pingTimer: ReturnType<typeof setInterval>;
  private readonly lifetimeTimer: ReturnType<typeof setTimeout>;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ws: WebSocket,
    /** The raw TCP socket (the bench feed writes pre-framed bytes to it). */
    readonly socket: Duplex,
    readonly root: StreamRoot,
    combined: boolean,
    private readonly rules: ConnectionRules,
    onClosed: (c: StreamConnection) => void,
  ) {
    this.combined = combined;
    this.pingTimer = setInterval(() => this.ping(), rules.pingIntervalMs);
    this.lifetimeTimer = setTimeout(() => this.close(CLOSE_CODES.goingAway, 'Connection lifetime expired', 'lifetime'), rules.maxLifetimeMs);
    ws.on('pong', () => {
      this.lastPongAt = Date.now();
      this.countIncoming();
    });
    ws.on('ping', () => this.countIncoming());
    ws.on('close', () => {
      this.dispose();
      onClosed(this);
    });
    ws.on('error', () => {
      // Socket errors end in 'close'; nothing else to do.
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Counts one incoming message; returns false (and closes) when over the per-second limit. */
  countIncoming(): boolean {
    const now = Date.now();
    this.inbound.push(now);
    while ((this.inbound[0] ?? now) <= now - 1000) this.inbound.shift();
    if (this.inbound.length > this.rules.maxIncomingPerSecond) {
      this.close(CLOSE_CODES.tooManyMessages, 'Too many messages', 'incoming-rate');
      return false;
    }
    return true;
  }

  /** A data frame: held during a stall, delayed by the delay fault, always in order. */
  sendData(text: string): void {
    if (this.holdUntil > 0) this.held.push(text);
    else this.enqueue(text);
  }

  /** A reply or notice: not held by a stall, but delayed like everything else. */
  sendControl(text: string): void {
    this.enqueue(text);
  }

  /** Holds data frames for `ms`, then releases them in order. */
  stall(ms: number): void {
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    this.holdUntil = Date.now() + ms;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.holdUntil = 0;
      const held = this.held;
      this.held = [];
      for (const t of held) this.enqueue(t);
    }, ms);
  }

  /** Closes with a close frame, after `afterMs` when given. */
  close(code: number, reason: string, why: string, afterMs = 0): void {
    if (afterMs > 0) {
      if (this.closeTimer === undefined) this.closeTimer = setTimeout(() => this.close(code, reason, why), afterMs);
      return;
    }
    this.closeReason ??= why;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Cuts the TCP connection without a close frame (the client sees 1006). */
  drop(why = 'drop'): void {
    this.closeReason ??= why;
    this.socket.destroy();
    this.ws.terminate();
  }

  private enqueue(text: string): void {
    const delay = this.rules.delayMs();
    if (delay === 0 && this.queue.length === 0) {
      this.write(text);
      return;
    }
    this.queue.push([Date.now() + delay, text]);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainTimer !== undefined) return;
    const head = this.queue[0];
    if (head === undefined) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      const now = Date.now();
      while (this.queue.length > 0 && (this.queue[0] as [number, string])[0] <= now) this.write((this.queue.shift() as [number, string])[1]);
      this.scheduleDrain();
    }, Math.max(0, head[0] - Date.now()));
  }

  private write(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  private ping(): void {
    if (Date.now() - this.lastPongAt > this.rules.pongTimeoutMs) {
      this.closeReason ??= 'pong-timeout';
      this.ws.terminate();
      return;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  private dispose(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.lifetimeTimer);
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.queue.length = 0;
    this.held = [];
  }
}
