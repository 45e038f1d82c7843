/**
 * Owns every stream connection of one venue: reference-counted topics sharded across connections,
 * batched and paced subscribe frames, ack matching, resubscription after reconnects and make-before-break
 * rotation before a venue closes a connection. Routes data frames to topic handlers, and counts and reports every
 * frame it skips (undecodable, unrecognized, unrouted); knows no venue.
 */
import { VenueError } from '../errors.js';
import type { StreamDialect, StreamTopic } from '../venue.js';
import { TypedEvents } from '../streams/typed-events.js';
import { ConnectWait, checkConnectLimits } from './connect-wait.js';
import type { ConnectLimits } from './connect-wait.js';
import { ManagedConnection } from './connection.js';
import { SkippedFrames, frameExcerpt, skipMessage } from './skipped-frames.js';
import type { SkipReport } from './skipped-frames.js';
import { entryKey } from './hub-state.js';
import type { PendingFrame, Shard, Subscriber, TopicEntry } from './hub-state.js';
import type { HubEvents, ShardInfo, StreamHubOptions, Subscription, TopicHandler, TopicListener } from './hub-types.js';

export type { HubEvents, ShardInfo, StreamHubOptions, Subscription, TopicHandler, TopicListener } from './hub-types.js';

const HOUR_MS = 3_600_000;
/** Default `unroutedGraceMs`. */
const UNROUTED_GRACE_MS = 5_000;

/** Streams of one venue over as many connections as its limits require. */
export class StreamHub implements AsyncDisposable {
  readonly events: TypedEvents<HubEvents> = new TypedEvents((error) => this.events.emit('problem', { connection: 'events', error }));
  private readonly dialect: StreamDialect;
  private readonly opts: StreamHubOptions;
  private readonly entries = new Map<string, TopicEntry>();
  private readonly shards = new Set<Shard>();
  private readonly pending = new Map<number, PendingFrame>();
  private readonly ackTimeoutMs: number;
  private readonly rotateTimeoutMs: number;
  private readonly unroutedGraceMs: number;
  private nextShardId = 1;
  private nextRequestId = 1;
  private closed = false;

  constructor(opts: StreamHubOptions) {
    checkConnectLimits(opts, 'streams.');
    this.dialect = opts.dialect;
    this.opts = opts;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.rotateTimeoutMs = opts.rotateTimeoutMs ?? 20_000;
    this.unroutedGraceMs = opts.unroutedGraceMs ?? UNROUTED_GRACE_MS;
  }

  /**
   * Delivers `topic`'s data to `handler` until `unsubscribe()`. Subscribers of the same topic key share one
   * venue subscription. @throws VenueError `closed` after `close()`.
   */
  subscribe(topic: StreamTopic, handler: TopicHandler, listener?: TopicListener, limits: ConnectLimits = {}): Subscription {
    if (this.closed) throw new VenueError('closed', 'stream hub closed', { venue: this.dialect.venue });
    checkConnectLimits(limits);
    const sub: Subscriber = { handler, listener, wait: new ConnectWait(limits, this.opts) };
    const existing = this.entries.get(entryKey(topic.connection, topic.key));
    let shard: Shard;
    if (existing !== undefined) {
      existing.subs = [...existing.subs, sub];
      shard = existing.shard;
    } else {
      shard = this.pickShard(topic.connection);
      this.entries.set(entryKey(topic.connection, topic.key), { topic, subs: [sub], shard, next: undefined, resubscribing: false });
      shard.keys.add(topic.key);
      shard.toSubscribe.add(topic.key);
      this.queueFlush(shard);
    }
    if (shard.conn.state !== 'open') {
      sub.wait.down(Date.now());
      this.checkGiveUp(shard);
    }
    let done = false;
    return {
      unsubscribe: () => {
        if (done) return;
        done = true;
        this.release(topic, sub);
      },
      resubscribe: () => {
        if (!done) this.resubscribe(topic);
      },
    };
  }

  /** Topic keys with at least one subscriber. */
  get topics(): string[] {
    return [...this.entries.values()].map((e) => e.topic.key);
  }

  /**
   * Every live connection with its topics, its state and, when it is not open, since when and why, and the frames
   * it skipped (oversize, undecodable, unrecognized, unrouted).
   */
  connections(): ShardInfo[] {
    return [...this.shards].map(({ group, id, conn: c, keys, retiring, skipped }) => {
      const counts = skipped.counts;
      return {
        connection: group,
        shard: id,
        state: c.state,
        topics: [...keys],
        retiring,
        failedAttempts: c.failedAttempts,
        lastError: c.lastError,
        downSinceMs: c.downSinceMs,
        oversizeFrames: c.oversizeFrames,
        undecodableFrames: counts.undecodable,
        unrecognizedFrames: counts.unrecognized,
        unroutedFrames: counts.unrouted,
      };
    });
  }

  /** Starts a make-before-break rotation of every connection (as a venue shutdown notice would). */
  rotateAll(): void {
    for (const s of [...this.shards]) this.rotate(s);
  }

  /** Closes every connection and forgets every topic (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) if (p.timer !== undefined) clearTimeout(p.timer);
    this.pending.clear();
    this.entries.clear();
    const closing: Array<Promise<void>> = [];
    for (const s of this.shards) {
      this.clearShardTimers(s);
      s.skipped.close();
      closing.push(s.conn.close());
    }
    this.shards.clear();
    await Promise.all(closing);
    this.events.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private resubscribe(topic: StreamTopic): void {
    const e = this.entries.get(entryKey(topic.connection, topic.key));
    if (e === undefined || e.resubscribing || e.next !== undefined) return;
    const shard = e.shard;
    if (shard.finished || shard.conn.state !== 'open' || shard.toSubscribe.has(topic.key)) return;
    e.resubscribing = true;
    this.sendFrames(shard, 'unsubscribe', [e.topic]);
    this.sendFrames(shard, 'subscribe', [e.topic]);
  }

  private pickShard(group: string): Shard {
    const max = this.dialect.limits(group).maxTopicsPerConnection;
    for (const s of this.shards) if (s.group === group && !s.retiring && s.keys.size < max) return s;
    return this.createShard(group);
  }

  private createShard(group: string): Shard {
    const limits = this.dialect.limits(group);
    const id = this.nextShardId++;
    // The sink closes over `s`, defined right below, before the connection can deliver anything.
    const conn = new ManagedConnection({
      url: this.dialect.url(group),
      sink: (text, receivedAt) => this.onFrame(s, text, receivedAt),
      heartbeat: this.dialect.heartbeat(group),
      maxOutgoingPerSecond: limits.maxOutgoingPerSecond,
      maxFrameBytes: limits.maxFrameBytes,
      backoff: this.opts.backoff,
      handshakeTimeoutMs: this.opts.handshakeTimeoutMs,
      pacingMarginMs: this.opts.pacingMarginMs,
      name: `${this.dialect.venue}:${group}#${id}`,
    });
    const s: Shard = {
      id,
      group,
      conn,
      keys: new Set(),
      toSubscribe: new Set(),
      toUnsubscribe: new Map(),
      flushQueued: false,
      retiring: false,
      finished: false,
      successor: undefined,
      lifetimeTimer: undefined,
      rotateTimer: undefined,
      giveUpTimer: undefined,
      requestTimes: [],
      skipped: new SkippedFrames((r) => this.reportSkipped(s, r)),
      departed: new Map(),
    };
    this.shards.add(s);
    conn.events.on('open', ({ reconnect }) => this.onOpen(s, reconnect));
    conn.events.on('reconnecting', (e) => this.onLost(s, e));
    conn.events.on('reconnected', ({ downtimeMs }) => this.events.emit('reconnected', { connection: group, shard: id, downtimeMs }));
    conn.events.on('problem', ({ error }) => this.events.emit('problem', { connection: group, error }));
    conn.start();
    return s;
  }

  /** The hot path: decode, classify, route. Every frame it skips is counted (and reported, see `SkippedFrames`). */
  private onFrame(shard: Shard, text: string, receivedAt: number): void {
    if (shard.finished) return; // closed by the hub (no topic left): what is still on its way is no one's
    let frame: unknown;
    try {
      frame = this.dialect.decode(text);
    } catch (err) {
      shard.skipped.skip('undecodable', () => `undecodable frame skipped: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const c = this.dialect.classify(frame, text);
    switch (c.role) {
      case 'data': {
        const e = this.entries.get(entryKey(shard.group, c.topic));
        if (e === undefined || e.shard !== shard) return this.unrouted(shard, c.topic, e, text);
        const subs = e.subs;
        for (let i = 0; i < subs.length; i++) {
          try {
            (subs[i] as Subscriber).handler(c.payload, receivedAt);
          } catch (err) {
            this.problem(shard, err, 'decode', `handler for ${c.topic} threw`);
          }
        }
        return;
      }
      case 'ack':
        return this.onAnswer(shard, c.id, undefined);
      case 'nack':
        return this.onAnswer(shard, c.id, c.error);
      case 'shutdown':
        return this.rotate(shard);
      case 'unknown':
        return shard.skipped.skip('unrecognized', () => `unrecognized frame skipped: ${c.reason}; text ${frameExcerpt(text)}`);
      default:
        return;
    }
  }

  /**
   * Data for a topic this connection does not deliver: counted, and reported unless it is expected — the topic left
   * this connection lately (its unsubscribe unanswered, or answered less than `unroutedGraceMs` ago; a cut-over) or
   * is moving onto it (a rotation's successor before its subscribe is answered).
   */
  private unrouted(shard: Shard, topic: string, e: TopicEntry | undefined, text: string): void {
    const until = shard.departed.get(topic);
    const expected = e?.next === shard || (until !== undefined && Date.now() <= until);
    if (until !== undefined && !expected) shard.departed.delete(topic);
    shard.skipped.skip('unrouted', () => `data for ${JSON.stringify(topic.slice(0, 120))}, which no subscription on this connection takes, skipped; text ${frameExcerpt(text)}`, !expected);
  }

  private reportSkipped(shard: Shard, r: SkipReport): void {
    const error = new VenueError('decode', skipMessage(r), { venue: this.dialect.venue, operation: `ws ${shard.group}#${shard.id}` });
    this.events.emit('problem', { connection: shard.group, error, skipped: { kind: r.kind, frames: r.frames } });
  }

  private onAnswer(shard: Shard, rawId: string | number | undefined, error: VenueError | undefined): void {
    const id = typeof rawId === 'string' ? Number(rawId) : rawId;
    if (id === undefined || Number.isNaN(id)) {
      // An error the venue could not tie to a request (OKX 60014 "too frequent"): never swallowed.
      if (error !== undefined) this.events.emit('problem', { connection: shard.group, error });
      return;
    }
    const p = this.pending.get(id);
    if (p === undefined || p.shard !== shard) return;
    this.pending.delete(id);
    p.ids.delete(id);
    if (error === undefined && p.ids.size > 0) return;
    this.settle(p);
    if (p.kind !== 'subscribe') return this.startGrace(shard, p.keys);
    for (const key of p.keys) {
      const e = this.entries.get(entryKey(shard.group, key));
      if (e === undefined || (e.shard !== shard && e.next !== shard)) continue;
      if (e.shard === shard) e.resubscribing = false;
      if (error !== undefined) this.fail(e, error);
      else if (e.next === shard) this.cutOver(e);
    }
  }

  private onOpen(shard: Shard, reconnect: boolean): void {
    if (shard.finished) return;
    if (shard.giveUpTimer !== undefined) clearTimeout(shard.giveUpTimer);
    shard.giveUpTimer = undefined;
    this.forEachSubscriber(shard, (sub) => sub.wait.up());
    shard.toUnsubscribe.clear();
    shard.toSubscribe.clear();
    shard.departed.clear(); // a fresh socket: no data of topics it does not subscribe is on its way
    for (const key of shard.keys) shard.toSubscribe.add(key);
    this.flush(shard);
    this.armLifetime(shard);
    if (!reconnect) return;
    for (const key of shard.keys) {
      const e = this.entries.get(entryKey(shard.group, key));
      if (e !== undefined && e.shard === shard) this.notifyReconnect(e);
    }
  }

  private onLost(shard: Shard, e: { attempt: number; delayMs: number; reason: string }): void {
    for (const key of shard.keys) {
      const entry = this.entries.get(entryKey(shard.group, key));
      if (entry !== undefined && entry.shard === shard) entry.resubscribing = false;
    }
    for (const [id, p] of this.pending) {
      if (p.shard !== shard) continue;
      this.pending.delete(id);
      this.settle(p);
    }
    if (shard.lifetimeTimer !== undefined) clearTimeout(shard.lifetimeTimer);
    shard.lifetimeTimer = undefined;
    const now = Date.now();
    const failedAttempt = shard.conn.failedAttempts > 0;
    this.forEachSubscriber(shard, (sub) => sub.wait.down(now, failedAttempt));
    this.events.emit('reconnecting', { connection: shard.group, shard: shard.id, ...e });
    if (shard.retiring) this.finishRotation(shard);
    else this.checkGiveUp(shard);
  }

  /** Calls `fn` for every subscriber whose data this connection delivers. */
  private forEachSubscriber(shard: Shard, fn: (sub: Subscriber, topic: StreamTopic) => void): void {
    for (const key of shard.keys) {
      const e = this.entries.get(entryKey(shard.group, key));
      if (e !== undefined && e.shard === shard) for (const sub of e.subs) fn(sub, e.topic);
    }
  }

  /**
   * Drops the subscribers of a connection that is not open whose `ConnectLimits` ran out, telling each why, and
   * arms the next check for the earliest `connectTimeoutMs` still running.
   */
  private checkGiveUp(shard: Shard): void {
    if (shard.giveUpTimer !== undefined) clearTimeout(shard.giveUpTimer);
    shard.giveUpTimer = undefined;
    if (shard.finished || this.closed || shard.conn.state === 'open') return;
    const now = Date.now();
    let nextCheck = Infinity;
    const quitting: Array<{ readonly topic: StreamTopic; readonly sub: Subscriber }> = [];
    this.forEachSubscriber(shard, (sub, topic) => {
      const verdict = sub.wait.verdict(now);
      if (verdict === 'give-up') quitting.push({ topic, sub });
      else if (verdict !== undefined) nextCheck = Math.min(nextCheck, verdict);
    });
    for (const { topic, sub } of quitting) {
      const error = sub.wait.error(now, topic.key, shard.conn.lastError, { venue: this.dialect.venue, operation: `ws ${shard.group}` });
      this.release(topic, sub);
      try {
        sub.listener?.onGaveUp?.(error);
      } catch (err) {
        this.problem(shard, err, 'decode', `onGaveUp for ${topic.key} threw`);
      }
    }
    if (nextCheck < Infinity && !shard.finished) {
      shard.giveUpTimer = setTimeout(() => this.checkGiveUp(shard), Math.max(1, nextCheck - now));
      shard.giveUpTimer.unref();
    }
  }

  private release(topic: StreamTopic, sub: Subscriber): void {
    const e = this.entries.get(entryKey(topic.connection, topic.key));
    if (e === undefined || !e.subs.includes(sub)) return;
    e.subs = e.subs.filter((s) => s !== sub);
    if (e.subs.length > 0) return;
    this.entries.delete(entryKey(topic.connection, topic.key));
    for (const shard of [e.shard, e.next]) {
      if (shard === undefined || shard.finished) continue;
      shard.keys.delete(topic.key);
      shard.toSubscribe.delete(topic.key);
      shard.departed.set(topic.key, Infinity);
      if (shard.retiring) {
        if (shard.keys.size === 0) this.finishRotation(shard);
      } else if (shard.keys.size === 0) {
        this.dropShard(shard);
      } else {
        shard.toUnsubscribe.set(topic.key, e.topic);
        this.queueFlush(shard);
      }
    }
  }

  /** The venue refused a topic: drop it everywhere and tell its subscribers. */
  private fail(e: TopicEntry, error: VenueError): void {
    this.entries.delete(entryKey(e.topic.connection, e.topic.key));
    for (const shard of [e.shard, e.next]) {
      shard?.keys.delete(e.topic.key);
      // A rotation's refused successor: the old connection still carries the topic until it closes.
      shard?.departed.set(e.topic.key, Infinity);
    }
    for (const s of e.subs) s.listener?.onSubscribeFailed?.(error);
    for (const shard of [e.shard, e.next]) {
      if (shard !== undefined && !shard.finished && shard.keys.size === 0) {
        if (shard.retiring) this.finishRotation(shard);
        else this.dropShard(shard);
      }
    }
  }

  private queueFlush(shard: Shard): void {
    if (shard.flushQueued) return;
    shard.flushQueued = true;
    queueMicrotask(() => {
      shard.flushQueued = false;
      this.flush(shard);
    });
  }

  /** Sends pending unsubscribes then subscribes, split to `maxTopicsPerFrame` and paced by the connection. */
  private flush(shard: Shard): void {
    if (shard.finished || shard.conn.state !== 'open') return;
    const perFrame = Math.max(1, this.dialect.limits(shard.group).maxTopicsPerFrame);
    const gone = [...shard.toUnsubscribe.values()].filter((t) => !shard.keys.has(t.key));
    shard.toUnsubscribe.clear();
    for (let i = 0; i < gone.length; i += perFrame) this.sendFrames(shard, 'unsubscribe', gone.slice(i, i + perFrame));
    const wanted: StreamTopic[] = [];
    for (const key of shard.toSubscribe) {
      const e = this.entries.get(entryKey(shard.group, key));
      if (e !== undefined && shard.keys.has(key)) wanted.push(e.topic);
    }
    shard.toSubscribe.clear();
    for (let i = 0; i < wanted.length; i += perFrame) this.sendFrames(shard, 'subscribe', wanted.slice(i, i + perFrame));
  }

  private sendFrames(shard: Shard, kind: PendingFrame['kind'], topics: StreamTopic[]): void {
    const ids = new Set<number>();
    const nextId = (): number => {
      const id = this.nextRequestId++;
      ids.add(id);
      return id;
    };
    const frames = kind === 'subscribe' ? this.dialect.subscribeFrames(topics, nextId) : this.dialect.unsubscribeFrames(topics, nextId);
    if (ids.size > 0) {
      const p: PendingFrame = { kind, shard, keys: topics.map((t) => t.key), ids, timer: undefined };
      p.timer = setTimeout(() => {
        p.timer = undefined;
        for (const id of p.ids) this.pending.delete(id);
        if (kind === 'subscribe') {
          for (const key of p.keys) {
            const e = this.entries.get(entryKey(shard.group, key));
            if (e !== undefined) e.resubscribing = false;
          }
        } else this.startGrace(shard, p.keys);
        this.problem(shard, undefined, 'timeout', `no answer to ${kind} of ${p.keys.length} topic(s) within ${this.ackTimeoutMs} ms`);
      }, this.ackTimeoutMs);
      p.timer.unref();
      for (const id of ids) this.pending.set(id, p);
    } else if (kind === 'unsubscribe') this.startGrace(shard, topics.map((t) => t.key));
    for (const f of frames) shard.conn.send(f);
    this.spendRequests(shard, frames.length);
  }

  /** The unsubscribe of `keys` was answered (or will never be): their data is expected `unroutedGraceMs` more. */
  private startGrace(shard: Shard, keys: readonly string[]): void {
    const now = Date.now();
    for (const [key, until] of shard.departed) if (until < now) shard.departed.delete(key);
    for (const key of keys) if (shard.departed.get(key) === Infinity) shard.departed.set(key, now + this.unroutedGraceMs);
  }

  /** Counts requests against the hourly budget; near it, hands the connection's topics to a fresh one. */
  private spendRequests(shard: Shard, n: number): void {
    const budget = this.dialect.limits(shard.group).maxRequestsPerHour;
    if (budget === undefined || n === 0) return;
    const now = Date.now();
    for (let i = 0; i < n; i++) shard.requestTimes.push(now);
    const cutoff = now - HOUR_MS;
    let drop = 0;
    while (drop < shard.requestTimes.length && (shard.requestTimes[drop] as number) <= cutoff) drop++;
    if (drop > 0) shard.requestTimes.splice(0, drop);
    // Leave room for the successor's handover and the old connection's goodbyes.
    if (shard.requestTimes.length >= Math.floor(budget * 0.9) && !shard.retiring) queueMicrotask(() => this.rotate(shard));
  }

  private settle(p: PendingFrame): void {
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.timer = undefined;
    for (const id of p.ids) this.pending.delete(id);
  }

  private armLifetime(shard: Shard): void {
    if (shard.lifetimeTimer !== undefined) clearTimeout(shard.lifetimeTimer);
    shard.lifetimeTimer = undefined;
    const lifetime = this.opts.maxLifetimeMs ?? this.dialect.limits(shard.group).maxLifetimeMs;
    if (lifetime === undefined || shard.retiring) return;
    const margin = this.opts.rotateMarginMs ?? Math.min(600_000, Math.floor(lifetime / 10));
    shard.lifetimeTimer = setTimeout(() => this.rotate(shard), Math.max(0, lifetime - margin));
    shard.lifetimeTimer.unref();
  }

  /** Make-before-break: a successor subscribes the same topics; each topic cuts over when the successor acks it. */
  private rotate(old: Shard): void {
    if (this.closed || old.retiring || old.finished) return;
    old.retiring = true;
    if (old.lifetimeTimer !== undefined) clearTimeout(old.lifetimeTimer);
    old.lifetimeTimer = undefined;
    if (old.keys.size === 0) return this.finishRotation(old);
    const succ = this.createShard(old.group);
    old.successor = succ;
    for (const key of old.keys) {
      const e = this.entries.get(entryKey(old.group, key));
      if (e === undefined) continue;
      e.next = succ;
      succ.keys.add(key);
    }
    old.rotateTimer = setTimeout(() => this.finishRotation(old), this.rotateTimeoutMs);
    old.rotateTimer.unref();
  }

  private cutOver(e: TopicEntry): void {
    const old = e.shard;
    e.shard = e.next as Shard;
    e.next = undefined;
    old.keys.delete(e.topic.key);
    old.departed.set(e.topic.key, Infinity); // still subscribed there until it closes
    if (old.retiring && old.keys.size === 0) this.finishRotation(old);
  }

  /** Ends a rotation: topics still on the old connection move over, with `onReconnect` (continuity unknown). */
  private finishRotation(old: Shard): void {
    if (old.finished) return;
    const succ = old.successor;
    const moved: TopicEntry[] = [];
    for (const key of old.keys) {
      const e = this.entries.get(entryKey(old.group, key));
      if (e === undefined || e.shard !== old) continue;
      if (succ === undefined || succ.finished) {
        // No successor to hand over to: put the topic on a fresh connection.
        const shard = this.pickShard(old.group); // `old` is retiring, so never picked
        e.shard = shard;
        shard.keys.add(key);
        shard.toSubscribe.add(key);
        this.queueFlush(shard);
      } else e.shard = succ;
      e.next = undefined;
      moved.push(e);
    }
    old.keys.clear();
    this.dropShard(old);
    if (succ !== undefined) this.events.emit('rotated', { connection: old.group, shard: old.id, successor: succ.id, seamless: moved.length === 0 });
    const now = Date.now();
    for (const e of moved) {
      if (e.shard.conn.state === 'open') continue;
      for (const sub of e.subs) sub.wait.down(now);
      this.checkGiveUp(e.shard);
    }
    for (const e of moved) this.notifyReconnect(e);
  }

  private dropShard(shard: Shard): void {
    shard.finished = true;
    this.clearShardTimers(shard);
    shard.skipped.close();
    for (const [id, p] of this.pending) if (p.shard === shard) {
      this.pending.delete(id);
      this.settle(p);
    }
    this.shards.delete(shard);
    void shard.conn.close();
  }

  private clearShardTimers(shard: Shard): void {
    if (shard.lifetimeTimer !== undefined) clearTimeout(shard.lifetimeTimer);
    if (shard.rotateTimer !== undefined) clearTimeout(shard.rotateTimer);
    if (shard.giveUpTimer !== undefined) clearTimeout(shard.giveUpTimer);
    shard.lifetimeTimer = undefined;
    shard.rotateTimer = undefined;
    shard.giveUpTimer = undefined;
  }

  private notifyReconnect(e: TopicEntry): void {
    for (const s of e.subs) {
      try {
        s.listener?.onReconnect?.();
      } catch (err) {
        this.problem(e.shard, err, 'decode', `onReconnect for ${e.topic.key} threw`);
      }
    }
  }

  private problem(shard: Shard, cause: unknown, code: 'decode' | 'timeout', message: string): void {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    this.events.emit('problem', { connection: shard.group, error: new VenueError(code, message + detail, { venue: this.dialect.venue, cause }) });
  }
}
