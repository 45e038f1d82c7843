/**
 * Keeps one WebSocket alive: explicit states, heartbeats, stale detection, reconnect with backoff, paced and
 * bounded outgoing frames, and a cap on inbound frame size. Frames are opaque text handed to a sink; the
 * stream dialect decides what they mean.
 */
import WebSocket from 'ws';
import { VenueError } from '../errors.js';
import type { HeartbeatRule } from '../venue.js';
import { Backoff } from '../resilience/backoff.js';
import type { BackoffOptions } from '../resilience/backoff.js';
import { abortError, onAbort } from '../resilience/cancellation.js';
import { TypedEvents } from '../streams/typed-events.js';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed';

/** Receives every inbound text frame with the local time it arrived (the hot path: keep it cheap). */
export type FrameSink = (text: string, receivedAt: number) => void;

export interface ConnectionEvents {
  state: { readonly state: ConnectionState; readonly previous: ConnectionState };
  /** The socket is open, the first time (`reconnect: false`) or after a loss. */
  open: { readonly reconnect: boolean };
  /** The socket was lost; the next attempt starts in `delayMs`. */
  reconnecting: { readonly attempt: number; readonly delayMs: number; readonly reason: string };
  /** Open again after a loss that lasted `downtimeMs`. */
  reconnected: { readonly downtimeMs: number; readonly attempts: number };
  /** Something went wrong that the connection handles itself (a failed attempt, a stale socket, a throwing sink). */
  problem: { readonly error: VenueError };
}

export interface ManagedConnectionOptions {
  readonly url: string;
  readonly sink: FrameSink;
  readonly heartbeat: HeartbeatRule;
  /** Client → server messages per second, control frames included (the venue disconnects above it). */
  readonly maxOutgoingPerSecond: number;
  /**
   * The largest inbound message, in bytes (`ws`'s `maxPayload`): a larger one is refused from its header, never
   * buffered; the socket is dropped, a `decode` problem reported and counted (`oversizeFrames`), and the
   * connection reopens.
   */
  readonly maxFrameBytes: number;
  /**
   * Text frames that may wait for an outgoing slot (default a minute of sending: 60 × `maxOutgoingPerSecond`).
   * Past it the venue's rate cannot keep up with what is asked: the socket is recycled (a `problem`), and the
   * subscriptions come back on the fresh socket in as few frames as the owner can batch them.
   */
  readonly maxQueuedFrames?: number;
  /** Reconnect delays (default full jitter, 250 ms up to 30 s, reset after 30 s healthy). */
  readonly backoff?: BackoffOptions | undefined;
  /** Opening handshake timeout (default 10 s). */
  readonly handshakeTimeoutMs?: number | undefined;
  /** Added to the 1 s pacing window to absorb network jitter (default 50 ms). */
  readonly pacingMarginMs?: number | undefined;
  /** For messages and events, e.g. `spot#2`. */
  readonly name?: string;
}

/** One managed WebSocket. `start()` it, `send()` through it, `close()` it. */
export class ManagedConnection implements AsyncDisposable {
  readonly events: TypedEvents<ConnectionEvents>;
  readonly name: string;
  private readonly url: string;
  private readonly sink: FrameSink;
  private readonly heartbeat: HeartbeatRule;
  private readonly backoff: Backoff;
  private readonly handshakeTimeoutMs: number;
  private readonly maxFrameBytes: number;
  private readonly maxQueuedFrames: number;
  private current: ConnectionState = 'idle';
  private ws: WebSocket | undefined;
  private lastFrameAt = 0;
  private lostAt = 0;
  private everOpened = false;
  private openedAt = 0;
  /** Local epoch ms since when the connection has not been open (0 while open). */
  private downSince = 0;
  private failedInARow = 0;
  private lastReason: string | undefined;
  private oversizeCount = 0;
  /** Sockets this side dropped, with the reason (reported instead of "closed by the server"). */
  private readonly dropReasons = new WeakMap<WebSocket, string>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private staleTimer: ReturnType<typeof setInterval> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  // Pacing: the times of the last N sends (a ring), and frames waiting for a slot.
  private readonly sendTimes: number[];
  private sendIndex = 0;
  private readonly windowMs: number;
  private outbox: string[] = [];
  /**
   * The payload of the most recent unanswered server ping. Pongs are coalesced: RFC 6455 §5.5.3 allows
   * answering only the most recently processed ping, so a ping flood costs one pong, never a queue of them.
   */
  private pendingPong: Buffer | undefined;
  /** The last frame written was a pong: while text frames wait, pongs and text frames take turns. */
  private lastWasPong = false;
  private sentCount = 0;
  private pongCount = 0;

  constructor(opts: ManagedConnectionOptions) {
    this.events = new TypedEvents<ConnectionEvents>((error) => this.events.emit('problem', { error }));
    this.url = opts.url;
    this.sink = opts.sink;
    this.heartbeat = opts.heartbeat;
    this.name = opts.name ?? opts.url;
    this.backoff = new Backoff(opts.backoff ?? { initialMs: 250, maxMs: 30_000 });
    this.handshakeTimeoutMs = opts.handshakeTimeoutMs ?? 10_000;
    const perSecond = Math.max(1, Math.floor(opts.maxOutgoingPerSecond));
    this.maxFrameBytes = Math.max(1, Math.floor(opts.maxFrameBytes));
    this.maxQueuedFrames = Math.max(1, opts.maxQueuedFrames ?? 60 * perSecond);
    this.sendTimes = new Array<number>(perSecond).fill(-Infinity);
    this.windowMs = 1000 + (opts.pacingMarginMs ?? 50);
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Local epoch ms when the current socket opened (0 before). */
  get openedAtMs(): number {
    return this.openedAt;
  }

  /** Frames waiting for an outgoing slot (a coalesced pong included). */
  get queued(): number {
    return this.outbox.length + (this.pendingPong === undefined ? 0 : 1);
  }

  /** Frames written to sockets so far (pongs and client pings included). */
  get sent(): number {
    return this.sentCount;
  }

  /** Pongs written so far (coalesced: a burst of server pings is answered once, see `pendingPong`). */
  get pongsSent(): number {
    return this.pongCount;
  }

  /** Inbound frames refused for exceeding `maxFrameBytes` so far. */
  get oversizeFrames(): number {
    return this.oversizeCount;
  }

  /** Attempts in a row that failed to open a socket since it was last open (0 while open or after a loss). */
  get failedAttempts(): number {
    return this.failedInARow;
  }

  /** Why the last socket closed or the last attempt failed (undefined before any). */
  get lastError(): string | undefined {
    return this.lastReason;
  }

  /** Local epoch ms since when the connection is not open (undefined while open, or when closed for good). */
  get downSinceMs(): number | undefined {
    return this.current === 'open' || this.current === 'closed' || this.current === 'idle' ? undefined : this.downSince;
  }

  /** Starts connecting (idempotent). The connection then keeps itself open until `close()`. */
  start(): void {
    if (this.current !== 'idle') return;
    this.lostAt = Date.now();
    this.downSince = this.lostAt;
    this.setState('connecting');
    this.connect();
  }

  /**
   * Resolves when the socket is open (starting it if idle).
   * @throws VenueError `closed` if the connection is closed first or `signal` fires.
   */
  opened(signal?: AbortSignal): Promise<void> {
    this.start();
    if (this.current === 'open') return Promise.resolve();
    if (this.current === 'closing' || this.current === 'closed') return Promise.reject(new VenueError('closed', `connection ${this.name} closed`));
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        offState();
        offAbort();
      };
      const offState = this.events.on('state', ({ state }) => {
        if (state === 'open') {
          done();
          resolve();
        } else if (state === 'closing' || state === 'closed') {
          done();
          reject(new VenueError('closed', `connection ${this.name} closed`));
        }
      });
      const offAbort =
        signal === undefined
          ? () => undefined
          : onAbort(signal, () => {
              done();
              reject(abortError(signal));
            });
    });
  }

  /**
   * Queues a text frame; it goes out as soon as the outgoing rate allows. Returns false (and drops it) when
   * the socket is not open: frames never carry over to a new socket.
   */
  send(text: string): boolean {
    if (this.current !== 'open') return false;
    if (this.outbox.length >= this.maxQueuedFrames) {
      const waiting = this.outbox.length;
      this.outbox = [];
      this.problem('rate-limited', `${this.name}: ${waiting} frames wait for the venue's ${this.sendTimes.length}/s outgoing rate; recycling the socket to resubscribe in fewer frames`);
      this.drop(`${waiting} outgoing frames queued`);
      return false;
    }
    this.outbox.push(text);
    this.flush();
    return true;
  }

  /** Closes the socket for good (idempotent). */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    const ws = this.ws;
    if (this.current !== 'closing') this.setState('closing');
    this.stopTimers();
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (ws !== undefined && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000);
      });
    }
    this.ws = undefined;
    this.setState('closed');
    this.events.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private connect(): void {
    const ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: this.handshakeTimeoutMs, autoPong: false, maxPayload: this.maxFrameBytes });
    this.ws = ws;
    let reason = 'closed by the server';
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.onOpen(ws);
    });
    ws.on('message', (data: Buffer) => {
      const t = Date.now();
      this.lastFrameAt = t;
      try {
        this.sink(data.toString(), t);
      } catch (err) {
        this.problem('decode', `frame sink threw: ${err instanceof Error ? err.message : String(err)}`, err);
      }
    });
    ws.on('ping', (payload: Buffer) => {
      this.lastFrameAt = Date.now();
      // Answered through the pacer (the venue counts pongs against the rate too); only the latest ping is.
      this.pendingPong = payload;
      this.flush();
    });
    ws.on('pong', () => {
      this.lastFrameAt = Date.now();
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        // Refused from the frame header, nothing buffered; `ws` would wait for the server's close frame: don't.
        this.oversizeCount++;
        this.problem('decode', `${this.name}: refused a frame larger than ${this.maxFrameBytes} bytes (${this.oversizeCount} refused so far); reconnecting`, err);
        this.drop(`a frame larger than ${this.maxFrameBytes} bytes`, ws);
        return;
      }
      reason = err.message;
      this.problem('network', `${this.name}: ${err.message}`, err);
    });
    ws.on('close', (code) => {
      const ours = this.dropReasons.get(ws);
      if (ours !== undefined) reason = ours;
      else if (reason === 'closed by the server' && code !== 1005) reason = `closed by the server (${code})`;
      this.onClose(ws, reason, opened);
    });
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws || this.current === 'closing' || this.current === 'closed') return;
    const now = Date.now();
    const reconnect = this.everOpened;
    this.everOpened = true;
    this.openedAt = now;
    this.lastFrameAt = now;
    this.downSince = 0;
    this.failedInARow = 0;
    this.sendTimes.fill(-Infinity);
    this.lastWasPong = false;
    this.backoff.healthy(now);
    const attempts = this.backoff.attempts;
    this.startTimers(ws);
    this.setState('open');
    this.events.emit('open', { reconnect });
    if (reconnect) this.events.emit('reconnected', { downtimeMs: now - this.lostAt, attempts });
  }

  private onClose(ws: WebSocket, reason: string, opened: boolean): void {
    if (ws !== this.ws) return;
    this.stopTimers();
    this.outbox = [];
    this.pendingPong = undefined;
    this.ws = undefined;
    if (this.current === 'closing' || this.current === 'closed') return;
    this.lastReason = reason;
    if (opened) this.failedInARow = 0;
    else this.failedInARow++;
    if (this.current === 'open') {
      this.lostAt = Date.now();
      this.downSince = this.lostAt;
    }
    const delayMs = this.backoff.next();
    this.setState('reconnecting');
    this.events.emit('reconnecting', { attempt: this.backoff.attempts, delayMs, reason });
    if (this.current !== 'reconnecting') return; // a listener closed us
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.current === 'reconnecting') this.connect();
    }, delayMs);
  }

  private startTimers(ws: WebSocket): void {
    const staleMs = this.heartbeat.staleAfterMs;
    if (staleMs > 0) {
      const every = Math.max(10, Math.min(1000, Math.floor(staleMs / 4)));
      this.staleTimer = setInterval(() => {
        if (Date.now() - this.lastFrameAt <= staleMs) return;
        this.problem('timeout', `${this.name}: nothing received for ${staleMs} ms; reconnecting`);
        this.drop(`nothing received for ${staleMs} ms`, ws);
      }, every);
      this.staleTimer.unref();
    }
    const ping = this.heartbeat.clientPing;
    if (ping !== undefined) {
      this.pingTimer = setInterval(() => {
        // A heartbeat behind queued frames adds nothing: those frames are traffic too.
        if (this.current === 'open' && this.outbox.length === 0) this.send(ping.frame());
      }, ping.intervalMs);
      this.pingTimer.unref();
    }
  }

  /** Drops a socket at once (the connection then reopens), remembering why for the `reconnecting` event. */
  private drop(reason: string, ws: WebSocket | undefined = this.ws): void {
    if (ws === undefined) return;
    if (!this.dropReasons.has(ws)) this.dropReasons.set(ws, reason);
    ws.terminate();
  }

  private stopTimers(): void {
    if (this.staleTimer !== undefined) clearInterval(this.staleTimer);
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.staleTimer = undefined;
    this.pingTimer = undefined;
    this.flushTimer = undefined;
  }

  /**
   * Writes queued frames while the rolling one-second window has room; otherwise waits for the oldest slot.
   * Order: the pending pong first, but never twice in a row while text frames wait: under a ping flood pongs
   * and subscribe frames take turns, so neither starves (and the venue's pong deadline, a minute on Binance,
   * is met within two slots).
   */
  private flush(): void {
    const ws = this.ws;
    if (ws === undefined || this.flushTimer !== undefined) return;
    while (this.outbox.length > 0 || this.pendingPong !== undefined) {
      if (ws.readyState !== WebSocket.OPEN) return;
      const now = Date.now();
      const oldest = this.sendTimes[this.sendIndex] as number;
      if (now - oldest < this.windowMs) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = undefined;
          this.flush();
        }, oldest + this.windowMs - now);
        return;
      }
      const pong = this.pendingPong;
      if (pong !== undefined && (this.outbox.length === 0 || !this.lastWasPong)) {
        this.pendingPong = undefined;
        this.lastWasPong = true;
        this.pongCount++;
        ws.pong(pong);
      } else {
        this.lastWasPong = false;
        ws.send(this.outbox.shift() as string);
      }
      this.sendTimes[this.sendIndex] = now;
      this.sendIndex = (this.sendIndex + 1) % this.sendTimes.length;
      this.sentCount++;
    }
  }

  private problem(code: 'network' | 'timeout' | 'decode' | 'rate-limited', message: string, cause?: unknown): void {
    this.events.emit('problem', { error: new VenueError(code, message, { operation: `ws ${this.name}`, cause }) });
  }

  private setState(next: ConnectionState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.events.emit('state', { state: next, previous });
  }
}
