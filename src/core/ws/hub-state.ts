/**
 * The stream hub's own bookkeeping (not exported from the package): a topic's subscribers and the connections that
 * carry it, one connection (a shard) with its topics, timers and skipped-frame counts, and its unanswered requests.
 */
import type { StreamTopic } from '../venue.js';
import type { ConnectWait } from './connect-wait.js';
import type { ManagedConnection } from './connection.js';
import type { TopicHandler, TopicListener } from './hub-types.js';
import type { SkippedFrames } from './skipped-frames.js';

export interface Subscriber {
  readonly handler: TopicHandler;
  readonly listener: TopicListener | undefined;
  /** Its wait for a connection that is not open (failed attempts seen, since when). */
  readonly wait: ConnectWait;
}

export interface TopicEntry {
  readonly topic: StreamTopic;
  subs: Subscriber[];
  /** The connection whose data is delivered. */
  shard: Shard;
  /** The connection taking over during a rotation. */
  next: Shard | undefined;
  /** A resubscribe is in flight (until its subscribe is answered or the connection drops). */
  resubscribing: boolean;
}

export interface PendingFrame {
  readonly kind: 'subscribe' | 'unsubscribe';
  readonly shard: Shard;
  readonly keys: readonly string[];
  readonly ids: Set<number>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface Shard {
  readonly id: number;
  readonly group: string;
  readonly conn: ManagedConnection;
  /** Topics this connection is (or will be) subscribed to. */
  readonly keys: Set<string>;
  readonly toSubscribe: Set<string>;
  readonly toUnsubscribe: Map<string, StreamTopic>;
  flushQueued: boolean;
  retiring: boolean;
  finished: boolean;
  successor: Shard | undefined;
  lifetimeTimer: ReturnType<typeof setTimeout> | undefined;
  rotateTimer: ReturnType<typeof setTimeout> | undefined;
  /** The next check of its subscribers' `connectTimeoutMs` while it is down. */
  giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  /** Send times of subscribe/unsubscribe frames in the last hour (for `maxRequestsPerHour`). */
  requestTimes: number[];
  /** Frames it skipped, counted and reported at a bounded rate. */
  readonly skipped: SkippedFrames;
  /**
   * Topics that left it while the venue may still send their data, and until when (epoch ms) that data is expected:
   * `Infinity` while their unsubscribe is unanswered, or after a cut-over while the connection stays subscribed.
   */
  readonly departed: Map<string, number>;
}

/** Topics are unique per connection group: the same name on two groups (spot and USD-M) is two topics. */
export const entryKey = (group: string, key: string): string => `${group}\n${key}`;

