/**
 * Trading fault switches, venue-neutral: what a front end does to order acknowledgements (delay, lose, time out
 * after accepting, cut short) and to private stream events (send twice, send out of order). Front ends consult it; the
 * matching engine's truth is never touched. Dropping private streams goes through each front end.
 */
import { VenueError } from '../../../core/errors.js';

/** What to do with the answer to the next order command (place or cancel) of a venue. */
export type AckFault =
  /** Answer `ms` later than the engine acted. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Act in the engine, then reset the connection without answering (the client sees a network error). */
  | { readonly kind: 'lose' }
  /** Act in the engine, then hold the answer for `ms` (past the client's timeout), then reset the connection. */
  | { readonly kind: 'timeout-after-accept'; readonly ms: number }
  /**
   * Act in the engine, then send the venue's own answer cut short: status and headers as they were, the body's
   * second half lost (as a connection or proxy that truncates it would), so the body is no longer JSON.
   */
  | { readonly kind: 'garble' };

/** The body a `garble` fault sends: the first half of the venue's answer (never the whole of a JSON value). */
export function garbledBody(body: string): string {
  return body.slice(0, Math.floor(body.length / 2));
}

/** What to do with the next private events of a venue. */
export type EventFault =
  /** Each of the next `count` events is sent twice. */
  | { readonly kind: 'duplicate'; readonly count: number }
  /** The next `count` events are held and sent in reverse order once `count` have gathered (or after 200 ms). */
  | { readonly kind: 'reorder'; readonly count: number };

interface PendingAck {
  readonly venue: string;
  readonly fault: AckFault;
  remaining: number;
}

interface PendingEvents {
  readonly venue: string;
  readonly fault: EventFault;
  remaining: number;
}

/** The trading switches of the whole simulator. */
export class TradingFaults {
  private acks: PendingAck[] = [];
  private events: PendingEvents[] = [];
  private readonly applied: Record<string, number> = {};

  /** The next `count` (default 1) order commands of `venue` get `fault` on their answer. */
  failAck(venue: string, fault: AckFault, count = 1): void {
    checkCount(count);
    if ((fault.kind === 'delay' || fault.kind === 'timeout-after-accept') && (!Number.isSafeInteger(fault.ms) || fault.ms < 0)) throw new VenueError('invalid-argument', `ack fault ms must be a non-negative integer, got ${String(fault.ms)}`);
    this.acks.push({ venue, fault, remaining: count });
  }

  /** The next private events of `venue` are duplicated or reordered. */
  shapeEvents(venue: string, fault: EventFault): void {
    checkCount(fault.count);
    this.events.push({ venue, fault, remaining: fault.count });
  }

  /** For front ends: the fault for the answer of the order command being handled now, if any. */
  takeAckFault(venue: string): AckFault | undefined {
    const i = this.acks.findIndex((a) => a.venue === venue);
    if (i < 0) return undefined;
    const a = this.acks[i] as PendingAck;
    if (--a.remaining <= 0) this.acks.splice(i, 1);
    this.count(`ack-${a.fault.kind}`);
    return a.fault;
  }

  /**
   * For front ends: the fault for the private event being sent now, if any. A `duplicate` is taken one event at a
   * time; a `reorder` is taken whole (the sender holds `count` events, this one included).
   */
  takeEventFault(venue: string): EventFault | undefined {
    const i = this.events.findIndex((e) => e.venue === venue);
    if (i < 0) return undefined;
    const e = this.events[i] as PendingEvents;
    if (e.fault.kind === 'reorder' || --e.remaining <= 0) this.events.splice(i, 1);
    this.count(`event-${e.fault.kind}`);
    return e.fault;
  }

  /** Pending switches are dropped. */
  clear(): void {
    this.acks = [];
    this.events = [];
  }

  state(): { pendingAcks: number; pendingEvents: number; applied: Record<string, number> } {
    return { pendingAcks: this.acks.reduce((n, a) => n + a.remaining, 0), pendingEvents: this.events.reduce((n, e) => n + e.remaining, 0), applied: { ...this.applied } };
  }

  private count(what: string): void {
    this.applied[what] = (this.applied[what] ?? 0) + 1;
  }
}

/**
 * Sends one connection's private frames through the event faults: duplicates go out twice, reordered ones are
 * held until the batch is complete (or 200 ms passed) and then sent newest first.
 */
export class PrivateFramePump {
  private held: string[] = [];
  private heldTarget = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly venue: string,
    private readonly faults: TradingFaults,
    private readonly write: (frame: string) => void,
  ) {}

  send(frame: string): void {
    if (this.held.length > 0) {
      this.held.push(frame);
      if (this.held.length >= this.heldTarget) this.release();
      return;
    }
    const fault = this.faults.takeEventFault(this.venue);
    if (fault?.kind === 'duplicate') {
      this.write(frame);
      this.write(frame);
    } else if (fault?.kind === 'reorder' && fault.count > 1) {
      this.held.push(frame);
      this.heldTarget = fault.count;
      this.timer = setTimeout(() => this.release(), 200);
    } else {
      this.write(frame);
    }
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.held = [];
  }

  private release(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const frames = this.held.reverse();
    this.held = [];
    for (const f of frames) this.write(f);
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new VenueError('invalid-argument', `count must be a positive integer, got ${count}`);
}
