/**
 * One simulated OKX WebSocket connection: its `connId` and subscriptions, the outgoing queue that applies the
 * delay and stall faults in order, the 30 s idle rule (no incoming message and no data pushed), and the
 * 480 subscribe / unsubscribe / login requests per hour budget. Knows nothing about what the frames mean.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** `public` (books, trades, tickers), `business` (candles), `private` (login; trading comes later). */
export type OkxStreamPath = 'public' | 'business' | 'private';

export interface OkxConnectionRules {
  /** Close after this long without an incoming message or a pushed data frame (OKX: 30 s). */
  readonly idleTimeoutMs: number;
  /** Subscribe / unsubscribe / login requests allowed per hour per connection (OKX: 480). */
  readonly requestsPerHour: number;
  /** Current frame delay (the delay fault). */
  delayMs(): number;
}

/**
 * Close codes the simulator uses. OKX documents none; 4004 with "No data received in 30s." is what clients
 * report for the idle rule (an assumption), 1001 for a server going away.
 */
export const OKX_CLOSE = { idle: 4004, goingAway: 1001 } as const;

const HOUR_MS = 3_600_000;

export class OkxConnection {
  /** 8 hex digits, like OKX's `connId`. */
  readonly connId = randomBytes(4).toString('hex');
  /** Subscription keys `channel:instId`, in subscription order. */
  readonly subs = new Set<string>();
  /** Why the server closed it, when it did. */
  closeReason: string | undefined;
  private lastActivity = Date.now();
  private readonly requests: number[] = [];
  private readonly queue: Array<[at: number, text: string]> = [];
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private holdUntil = 0;
  private held: string[] = [];
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly idleTimer: ReturnType<typeof setInterval>;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Duplex,
    readonly path: OkxStreamPath,
    private readonly rules: OkxConnectionRules,
    onClosed: (c: OkxConnection) => void,
  ) {
    this.idleTimer = setInterval(() => this.checkIdle(), Math.max(10, Math.min(1000, Math.floor(rules.idleTimeoutMs / 4))));
    ws.on('close', () => {
      this.dispose();
      onClosed(this);
    });
    ws.on('error', () => {
      // Socket errors end in 'close'.
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Any incoming message keeps the connection alive. */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Counts one subscribe / unsubscribe / login request; false when the hourly budget is spent. */
  countRequest(): boolean {
    const now = Date.now();
    while ((this.requests[0] ?? now) <= now - HOUR_MS) this.requests.shift();
    if (this.requests.length >= this.rules.requestsPerHour) return false;
    this.requests.push(now);
    return true;
  }

  /** A data push: held during a stall, delayed by the delay fault, always in order. Counts as activity. */
  sendData(text: string): void {
    this.lastActivity = Date.now();
    if (this.holdUntil > 0) this.held.push(text);
    else this.enqueue(text);
  }

  /** A reply, `pong` or notice: never held by a stall, but delayed like everything else. */
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
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Cuts the TCP connection without a close frame (the client sees 1006). */
  drop(why = 'drop'): void {
    this.closeReason ??= why;
    this.socket.destroy();
    this.ws.terminate();
  }

  private checkIdle(): void {
    if (Date.now() - this.lastActivity > this.rules.idleTimeoutMs) this.close(OKX_CLOSE.idle, 'No data received in 30s.', 'idle');
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

  private dispose(): void {
    clearInterval(this.idleTimer);
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.queue.length = 0;
    this.held = [];
  }
}
