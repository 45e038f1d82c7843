/**
 * The lifecycle events an `Exchange` emits. Data never goes through events, and there is no `'error'`
 * event: a problem that does not end a stream (a bad frame skipped, a failed clock sample) is `'problem'`.
 */
import type { VenueError } from '../core/errors.js';
import type { ResyncReason } from '../core/book/order-book.js';
import type { SequenceResetReason } from '../core/streams/id-sequence.js';
import type { SkipKind } from '../core/ws/skipped-frames.js';

export interface ExchangeEvents {
  /** A connection dropped and will be retried after `delayMs`. */
  reconnecting: { readonly connection: string; readonly shard: number; readonly attempt: number; readonly delayMs: number; readonly reason: string };
  /** A connection is back and its subscriptions were restored. */
  reconnected: { readonly connection: string; readonly shard: number; readonly downtimeMs: number };
  /** A connection was replaced before the venue's lifetime cut (`seamless`: no data was missed). */
  rotated: { readonly connection: string; readonly shard: number; readonly successor: number; readonly seamless: boolean };
  /**
   * Items with contiguous ids skipped some (`missing` of them between `afterId` and `beforeId`), e.g. trades
   * published while a connection was down. Nothing is lost silently: this is the marker.
   */
  gap: { readonly symbol: string; readonly stream: string; readonly afterId: string; readonly beforeId: string; readonly missing: string };
  /**
   * A stream started over instead of freezing: an id jumped implausibly far (`jump`, ids `previousId` → `id`),
   * went back past the duplicate window (`back`), or the id after an unexpected one continued from before it
   * (`return`: that one was odd); dedup restarted at `id` and the items were delivered. Or frames kept arriving
   * for longer than the liveness window and none was accepted (`liveness`): dedup restarted and the topic was
   * resubscribed. `resets` counts the resets of this subscription so far.
   */
  'stream-reset': {
    readonly symbol: string;
    readonly stream: string;
    readonly reason: SequenceResetReason;
    readonly previousId?: string;
    readonly id?: string;
    readonly resets: number;
  };
  /** A book was rebuilt from a fresh snapshot. */
  resync: { readonly symbol: string; readonly reason: ResyncReason };
  /** Every request to one REST api (host) waits until `untilMs` (the venue said 429/418 with Retry-After). */
  'rate-limited': { readonly api: string; readonly untilMs: number };
  /** A private stream is logged in and subscribed (`reconnect`: after a loss; reconciliation follows). */
  'private-ready': { readonly connection: string; readonly reconnect: boolean };
  /** A private stream was lost or ended by the venue; it is being restored. */
  'private-down': { readonly connection: string; readonly reason: string };
  /** Tracked orders, fills, balances and positions were brought in line with the venue over REST after a reconnect. */
  reconciled: { readonly connection: string; readonly orders: number; readonly fills: number };
  /**
   * Something went wrong that venuekit handled (bad frame skipped, clock sample failed...). A stream frame skipped
   * because it is not JSON, cannot be placed or reaches no subscription is a `decode` problem with `skipped` set:
   * these are reported at most 5 at once, then about one a second per connection and kind, and `skipped.frames`
   * says how many frames one report stands for (`connections()` counts them all).
   */
  problem: { readonly context: string; readonly error: VenueError; readonly skipped?: { readonly kind: SkipKind; readonly frames: number } };
}
