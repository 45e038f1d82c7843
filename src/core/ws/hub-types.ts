/**
 * The stream hub's public contract: what a subscriber hands it (`TopicHandler`, `TopicListener`), what it gets
 * back (`Subscription`), the hub's options and events, and what `connections()` reports (`ShardInfo`).
 */
import type { VenueError } from '../errors.js';
import type { BackoffOptions } from '../resilience/backoff.js';
import type { StreamDialect } from '../venue.js';
import type { ConnectionState } from './connection.js';
import type { SkipKind } from './skipped-frames.js';

/** Receives one topic's data payloads. */
export type TopicHandler = (payload: unknown, receivedAt: number) => void;

/** Lifecycle callbacks for one subscriber of a topic. */
export interface TopicListener {
  /** Data may have been missed (reconnect, or a rotation that could not cut over cleanly): resync state. */
  onReconnect?(): void;
  /** The venue refused the subscription; the topic is dropped for every subscriber. */
  onSubscribeFailed?(error: VenueError): void;
  /**
   * The topic's connection could not be (re)opened within this subscriber's `ConnectLimits`: the subscriber is
   * dropped (the topic stays for the others, the connection keeps retrying while anyone needs it) and told why
   * (`network`, with the attempts, the time and the last reason).
   */
  onGaveUp?(error: VenueError): void;
}

export interface Subscription {
  /** Drops this subscriber (idempotent); the last one out unsubscribes the topic. */
  unsubscribe(): void;
  /**
   * Unsubscribes and subscribes the topic again on its connection, so a venue that sends its snapshot in-band
   * (Bybit, OKX) sends a fresh one. Shared by every subscriber of the topic; repeated calls while one is in
   * flight are merged. A no-op while the connection is down (the reconnect resubscribes anyway).
   */
  resubscribe(): void;
}

export interface StreamHubOptions {
  readonly dialect: StreamDialect;
  /** Reconnect delays for every connection. */
  readonly backoff?: BackoffOptions;
  /** Overrides the dialect's `maxLifetimeMs` for every group (tests use a few hundred ms). */
  readonly maxLifetimeMs?: number;
  /** Rotate this long before the lifetime ends (default a tenth of it, at most 10 min). */
  readonly rotateMarginMs?: number;
  /** How long an unanswered subscribe is waited for before it is reported (default 10 s). */
  readonly ackTimeoutMs?: number;
  /** How long a rotation waits for the new connection's acks before cutting over anyway (default 20 s). */
  readonly rotateTimeoutMs?: number;
  /**
   * How long after its unsubscribe is answered a topic's data is still expected (a venue keeps sending for a
   * moment): counted as unrouted, not reported (default 5 s). Unanswered unsubscribes wait for the ack timeout.
   */
  readonly unroutedGraceMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly pacingMarginMs?: number;
  /** Every subscriber's `ConnectLimits.maxAttempts` unless it sets its own (default: retry for ever). */
  readonly maxAttempts?: number;
  /** Every subscriber's `ConnectLimits.connectTimeoutMs` unless it sets its own (default: wait for ever). */
  readonly connectTimeoutMs?: number;
}

export interface HubEvents {
  reconnecting: { readonly connection: string; readonly shard: number; readonly attempt: number; readonly delayMs: number; readonly reason: string };
  reconnected: { readonly connection: string; readonly shard: number; readonly downtimeMs: number };
  /** A connection was replaced; `seamless` when every topic cut over on an ack (no gap, no onReconnect). */
  rotated: { readonly connection: string; readonly shard: number; readonly successor: number; readonly seamless: boolean };
  /**
   * Something the hub handled: a frame it skipped, an unanswered request, a throwing callback. Skipped frames are
   * `decode` problems with `skipped` set, reported at a bounded rate per connection and kind: up to 5 back to back,
   * then about one a second, `skipped.frames` saying how many frames one report stands for (the counts in
   * `connections()` stay exact).
   */
  problem: { readonly connection: string; readonly error: VenueError; readonly skipped?: { readonly kind: SkipKind; readonly frames: number } };
}

/** One connection of the hub: its state and why it is not open, for consumers, diagnostics and tests. */
export interface ShardInfo {
  /** The venue's connection group (`spot`, `linear`, `public`...). */
  readonly connection: string;
  readonly shard: number;
  /** `connecting` (first attempt), `open`, `reconnecting` (waiting for or making the next attempt)... */
  readonly state: ConnectionState;
  readonly topics: readonly string[];
  /** Being replaced make-before-break (venue lifetime, shutdown notice, request budget). */
  readonly retiring: boolean;
  /** Attempts in a row that failed to open a socket (0 while open). */
  readonly failedAttempts: number;
  /** Why the last socket closed or the last attempt failed (undefined before any). */
  readonly lastError: string | undefined;
  /** Local epoch ms since when it is not open (undefined while open). */
  readonly downSinceMs: number | undefined;
  /** Inbound frames refused for exceeding the venue's `maxFrameBytes`. */
  readonly oversizeFrames: number;
  /** Inbound frames skipped because they are not valid JSON (or nest too deep), each a `decode` problem. */
  readonly undecodableFrames: number;
  /**
   * Inbound frames skipped because the venue's dialect could not make sense of them: JSON that is not an object, no
   * known shape, or a data envelope whose routing fields (stream, topic, arg, data) are missing or broken.
   */
  readonly unrecognizedFrames: number;
  /**
   * Data frames for a topic no subscription on this connection takes, skipped. Includes data that is expected for a
   * moment (a topic unsubscribed lately, or moving between connections in a rotation), which is not reported; the
   * rest is a `decode` problem.
   */
  readonly unroutedFrames: number;
}
