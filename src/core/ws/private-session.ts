/**
 * One authenticated private stream of a venue: prepare (listenKey), connect, log in, subscribe, keep alive, and do it
 * all again after every reconnect, expiry, subscription the venue ends or login it revokes. Announces `ready` each
 * time the stream is whole again so the caller can reconcile what it may have missed; a refused login ends the
 * session with a typed `auth` error. Every frame it skips is counted and reported (`skippedFrames`).
 */
import { VenueError, toVenueError } from '../errors.js';
import type { BackoffOptions } from '../resilience/backoff.js';
import { Backoff } from '../resilience/backoff.js';
import { delay, onAbort } from '../resilience/cancellation.js';
import { TypedEvents } from '../streams/typed-events.js';
import type { MarketResolver, PrivateEvent, PrivateStreamDialect } from '../trading.js';
import type { Credentials, RestRequest } from '../venue.js';
import { ManagedConnection } from './connection.js';
import { SkippedFrames, skipMessage } from './skipped-frames.js';
import type { SkipKind, SkippedFrameCounts } from './skipped-frames.js';

export type PrivateSessionState = 'idle' | 'preparing' | 'connecting' | 'authenticating' | 'subscribing' | 'ready' | 'down' | 'failed' | 'closed';

export interface PrivateSessionEvents {
  state: { readonly connection: string; readonly state: PrivateSessionState };
  /** Logged in and subscribed; `reconnect` is true when this follows a loss (events may have been missed). */
  ready: { readonly connection: string; readonly reconnect: boolean };
  /** The stream was lost (or expired); nothing arrives until the next `ready`. */
  down: { readonly connection: string; readonly reason: string };
  /** The venue refused the credentials: the session stops for good. */
  failed: { readonly connection: string; readonly error: VenueError };
  /**
   * A problem the session handled (a bad frame skipped, a venue error tied to no request, a failed keep-alive, a
   * login timeout). Frames that are not JSON or that the dialect cannot place are reported at a bounded rate: up to 5
   * back to back, then about one a second per kind, each saying how many frames it stands for (`skippedFrames` stays
   * exact). An event payload the parsers refuse is reported every time: it may have held a fill.
   */
  problem: { readonly connection: string; readonly error: VenueError; readonly skipped?: { readonly kind: SkipKind; readonly frames: number } };
}

export interface PrivateSessionOptions {
  readonly dialect: PrivateStreamDialect;
  readonly connection: string;
  readonly credentials: Credentials;
  /** Venue time (ms) for login timestamps. */
  readonly now: () => number;
  /** Runs a REST request of the venue (the listenKey and its keep-alive). */
  readonly request: (req: RestRequest, signal: AbortSignal) => Promise<{ readonly body: unknown }>;
  readonly resolve: MarketResolver;
  /** Every event of every frame, in arrival order (the hot path of the private side). */
  readonly onEvents: (events: PrivateEvent[], receivedAt: number) => void;
  /** How long to wait for the login and each subscribe answer (default 10 s). */
  readonly answerTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  readonly handshakeTimeoutMs?: number;
}

/** One private stream, kept whole until `close()`. */
export class PrivateSession implements AsyncDisposable {
  readonly events: TypedEvents<PrivateSessionEvents> = new TypedEvents((error) => this.#problem(error));
  readonly connection: string;
  readonly #o: PrivateSessionOptions;
  readonly #backoff: Backoff;
  readonly #abort = new AbortController();
  #state: PrivateSessionState = 'idle';
  #conn: ManagedConnection | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #answerTimer: ReturnType<typeof setTimeout> | undefined;
  /** Answers still awaited in the current step (login: 1, subscribe: one per frame). */
  #awaiting = 0;
  #everReady = false;
  #nextId = 1;
  #cycle: Promise<void> | undefined;
  readonly #skipped = new SkippedFrames((r) =>
    this.events.emit('problem', { connection: this.connection, error: new VenueError('decode', skipMessage(r), { operation: `private ${this.connection}` }), skipped: { kind: r.kind, frames: r.frames } }),
  );

  constructor(options: PrivateSessionOptions) {
    this.#o = options;
    this.connection = options.connection;
    this.#backoff = new Backoff(options.backoff ?? { initialMs: 250, maxMs: 30_000 });
  }

  get state(): PrivateSessionState {
    return this.#state;
  }

  /** Frames skipped since the session started (across reconnects): not JSON (`undecodable`) or not placed (`unrecognized`). */
  get skippedFrames(): Omit<SkippedFrameCounts, 'unrouted'> {
    const { undecodable, unrecognized } = this.#skipped.counts;
    return { undecodable, unrecognized };
  }

  /** Starts the session (idempotent). */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#cycle = this.#connectLoop();
  }

  /**
   * Resolves once the stream is ready (starting it if idle).
   * @throws VenueError `auth` when the login was refused, `closed` when closed or aborted first.
   */
  ready(signal?: AbortSignal): Promise<void> {
    this.start();
    if (this.#state === 'ready') return Promise.resolve();
    if (this.#state === 'closed') return Promise.reject(new VenueError('closed', `private stream ${this.connection} closed`));
    if (signal?.aborted) return Promise.reject(new VenueError('closed', `waiting for private stream ${this.connection} aborted`));
    return new Promise<void>((resolve, reject) => {
      const offs: Array<() => void> = [
        this.events.on('ready', () => finish()),
        this.events.on('failed', (e) => finish(e.error)),
        this.events.on('state', (e) => {
          if (e.state === 'closed') finish(new VenueError('closed', `private stream ${this.connection} closed`));
        }),
      ];
      if (signal !== undefined) offs.push(onAbort(signal, () => finish(new VenueError('closed', `waiting for private stream ${this.connection} aborted`))));
      const finish = (err?: VenueError): void => {
        for (const off of offs) off();
        if (err === undefined) resolve();
        else reject(err);
      };
    });
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#abort.abort();
    this.#stopTimers();
    this.#skipped.close();
    const conn = this.#conn;
    this.#conn = undefined;
    this.#setState('closed');
    await conn?.close();
    await this.#cycle?.catch(() => undefined);
    this.events.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ------------------------------------------------------------------ connecting

  /** Prepares (when the venue needs a token) and opens a connection; retried with backoff until it works. */
  async #connectLoop(): Promise<void> {
    const { dialect, connection } = this.#o;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        this.#setState('preparing');
        const prep = dialect.prepare?.(connection);
        let token: string | undefined;
        if (prep !== undefined) {
          const r = await this.#o.request(prep.request, signal);
          token = prep.parse(r.body);
          if (prep.keepAlive !== undefined) this.#armKeepAlive(prep.keepAlive.request(token), prep.keepAlive.intervalMs);
        }
        if (signal.aborted) return;
        this.#open(dialect.url(connection, token));
        return;
      } catch (err) {
        if (signal.aborted) return;
        const error = toVenueError(err);
        if (error.code === 'auth') return this.#fail(error);
        this.#problem(error);
        this.#setState('down');
        await delay(this.#backoff.next(), signal).catch(() => undefined);
      }
    }
  }

  #open(url: string): void {
    const { dialect, connection } = this.#o;
    const conn = new ManagedConnection({
      url,
      name: `private:${connection}`,
      heartbeat: dialect.heartbeat(connection),
      maxOutgoingPerSecond: dialect.maxOutgoingPerSecond(connection),
      maxFrameBytes: dialect.maxFrameBytes(connection),
      sink: (text, receivedAt) => this.#onFrame(conn, text, receivedAt),
      ...(this.#o.backoff === undefined ? {} : { backoff: this.#o.backoff }),
      ...(this.#o.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: this.#o.handshakeTimeoutMs }),
    });
    this.#conn = conn;
    conn.events.on('open', () => this.#login(conn));
    conn.events.on('reconnecting', (e) => this.#lost(conn, e.reason));
    conn.events.on('problem', (e) => this.#problem(e.error));
    this.#setState('connecting');
    conn.start();
  }

  #login(conn: ManagedConnection): void {
    if (conn !== this.#conn) return;
    const { dialect, connection, credentials } = this.#o;
    let frames: string[];
    try {
      frames = dialect.loginFrames(connection, credentials, this.#o.now(), () => this.#nextId++);
    } catch (err) {
      return this.#fail(toVenueError(err));
    }
    if (frames.length === 0) return this.#subscribe(conn);
    this.#setState('authenticating');
    this.#expect(conn, 1, 'login');
    for (const f of frames) conn.send(f);
  }

  #subscribe(conn: ManagedConnection): void {
    const frames = this.#o.dialect.subscribeFrames(this.#o.connection, () => this.#nextId++);
    if (frames.length === 0) return this.#becomeReady();
    this.#setState('subscribing');
    this.#expect(conn, frames.length, 'subscribe');
    for (const f of frames) conn.send(f);
  }

  #becomeReady(): void {
    this.#clearAnswerTimer();
    this.#backoff.healthy();
    const reconnect = this.#everReady;
    this.#everReady = true;
    this.#setState('ready');
    this.events.emit('ready', { connection: this.connection, reconnect });
  }

  /** Waits for `count` answers of the current step; a silent venue gets the connection recycled. */
  #expect(conn: ManagedConnection, count: number, step: string): void {
    this.#awaiting = count;
    this.#clearAnswerTimer();
    this.#answerTimer = setTimeout(() => {
      this.#problem(new VenueError('timeout', `no ${step} answer on private stream ${this.connection} within ${this.#answerTimeoutMs} ms`));
      void this.#restart(conn, `${step} timed out`);
    }, this.#answerTimeoutMs);
  }

  get #answerTimeoutMs(): number {
    return this.#o.answerTimeoutMs ?? 10_000;
  }

  #onFrame(conn: ManagedConnection, text: string, receivedAt: number): void {
    if (conn !== this.#conn) return;
    const { dialect, connection } = this.#o;
    let frame: unknown;
    try {
      frame = dialect.decode(text);
    } catch (err) {
      return this.#skipped.skip('undecodable', () => `undecodable frame skipped: ${toVenueError(err).message}`);
    }
    const inbound = dialect.classify(connection, frame, text);
    switch (inbound.role) {
      case 'login-ack':
        // An answer outside its step: a duplicate is harmless, an error is reported.
        if (this.#state !== 'authenticating') return inbound.error === undefined ? undefined : this.#loginRevoked(conn, inbound.error);
        if (inbound.error !== undefined) return this.#fail(inbound.error);
        this.#clearAnswerTimer();
        return this.#subscribe(conn);
      case 'subscribe-ack':
        if (this.#state !== 'subscribing') return inbound.error === undefined ? undefined : this.#problem(inbound.error);
        if (inbound.error !== undefined) {
          if (inbound.error.code === 'auth') return this.#fail(inbound.error);
          this.#problem(inbound.error);
          return void this.#restart(conn, 'subscribe refused');
        }
        if (--this.#awaiting <= 0) this.#becomeReady();
        return;
      case 'event': {
        let events: PrivateEvent[];
        try {
          events = dialect.parseEvents(connection, inbound.payload, this.#o.resolve, receivedAt);
        } catch (err) {
          // A frame we cannot read is reported; the stream goes on, and reconciliation covers what it held.
          return this.#problem(toVenueError(err));
        }
        if (events.length > 0) this.#o.onEvents(events, receivedAt);
        return;
      }
      case 'expired':
        return void this.#restart(conn, 'the venue ended the stream');
      case 'shutdown':
        return void this.#restart(conn, 'the venue announced a shutdown');
      case 'unsubscribed':
        // The connection stays open but the venue sends no more of it: as good as lost.
        this.#problem(inbound.error);
        return void this.#restart(conn, `the venue ended a subscription: ${inbound.error.message}`);
      case 'error':
        return this.#problem(inbound.error);
      case 'unknown':
        // The reason names the frame's shape, never its values (account data stays out of reports).
        return this.#skipped.skip('unrecognized', () => `unrecognized frame skipped: ${inbound.reason}`);
      default:
        return;
    }
  }

  /**
   * A login refusal once logged in: Binance revokes a session whose key became invalid (`id: null`, 401, -2015) and
   * sends nothing more on it. An `auth` refusal is a loss: the session starts over, and a key that is really dead
   * then ends it with `auth`; anything else is reported.
   */
  #loginRevoked(conn: ManagedConnection, error: VenueError): void {
    this.#problem(error);
    if (error.code === 'auth' && (this.#state === 'subscribing' || this.#state === 'ready')) void this.#restart(conn, `the venue revoked the login: ${error.message}`);
  }

  #lost(conn: ManagedConnection, reason: string): void {
    if (conn !== this.#conn) return;
    this.#clearAnswerTimer();
    if (this.#state === 'failed' || this.#state === 'closed') return;
    this.#setState('down');
    this.events.emit('down', { connection: this.connection, reason });
  }

  /** Drops the connection and starts over from `prepare` (a new listenKey, a new login). */
  async #restart(conn: ManagedConnection, reason: string): Promise<void> {
    if (conn !== this.#conn || this.#abort.signal.aborted) return;
    this.#stopTimers();
    this.#conn = undefined;
    this.#setState('down');
    this.events.emit('down', { connection: this.connection, reason });
    await conn.close();
    if (this.#abort.signal.aborted) return;
    await delay(this.#backoff.next(), this.#abort.signal).catch(() => undefined);
    if (this.#abort.signal.aborted) return;
    this.#cycle = this.#connectLoop();
  }

  #fail(error: VenueError): void {
    this.#stopTimers();
    const conn = this.#conn;
    this.#conn = undefined;
    this.#setState('failed');
    this.events.emit('failed', { connection: this.connection, error });
    void conn?.close();
  }

  #armKeepAlive(req: RestRequest, intervalMs: number): void {
    if (this.#keepAlive !== undefined) clearInterval(this.#keepAlive);
    this.#keepAlive = setInterval(() => {
      this.#o.request(req, this.#abort.signal).catch((err: unknown) => {
        const error = toVenueError(err);
        this.#problem(error);
        // The token is gone: start over with a new one.
        if (error.code === 'not-found' && this.#conn !== undefined) void this.#restart(this.#conn, 'keep-alive refused');
      });
    }, intervalMs);
    this.#keepAlive.unref?.();
  }

  #clearAnswerTimer(): void {
    if (this.#answerTimer !== undefined) clearTimeout(this.#answerTimer);
    this.#answerTimer = undefined;
  }

  #stopTimers(): void {
    this.#clearAnswerTimer();
    if (this.#keepAlive !== undefined) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  #problem(error: VenueError): void {
    this.events.emit('problem', { connection: this.connection, error });
  }

  #setState(state: PrivateSessionState): void {
    if (this.#state === state || this.#state === 'closed') return;
    if (this.#state === 'failed' && state !== 'closed') return;
    this.#state = state;
    this.events.emit('state', { connection: this.connection, state });
  }
}
