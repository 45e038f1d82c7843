/**
 * Deduplication and continuity of a stream whose items carry contiguous ids (Binance trade ids): repeats within
 * an overlap window are duplicates, holes are gaps, and an id that cannot belong to the sequence restarts it
 * instead of making every later item look old. Pure: no I/O, no timers.
 */

/** Why a sequence restarted (`liveness`: the stream received data but accepted none for too long). */
export type SequenceResetReason = 'jump' | 'back' | 'return' | 'liveness';

/** What one id means for the sequence. Every verdict but `duplicate` delivers the item. */
export type SequenceVerdict =
  | { readonly kind: 'first' }
  | { readonly kind: 'next' }
  /** `missing` ids between `afterId` and `beforeId` never came (a connection was down). */
  | { readonly kind: 'gap'; readonly afterId: bigint; readonly beforeId: bigint; readonly missing: bigint }
  /** At or below the newest id, within the overlap window: already delivered (a rotation overlap, a repeat). */
  | { readonly kind: 'duplicate' }
  /**
   * The sequence restarts at `id`: it jumped more than `maxJump` past `previousId` (`jump`), went back more than
   * the overlap window (`back`), or came right after an unexpected id and continues from before it (`return`: the
   * unexpected one was odd).
   */
  | { readonly kind: 'reset'; readonly reason: Exclude<SequenceResetReason, 'liveness'>; readonly previousId: bigint; readonly id: bigint };

export interface IdSequenceOptions {
  /** How far below the newest id a repeat counts as a duplicate (default 100,000 ids). */
  readonly duplicateWindow?: bigint;
  /** The largest hole taken as a gap; a longer jump is a reset (default 10,000,000 ids). */
  readonly maxJump?: bigint;
}

/** The verdicts that carry nothing, shared (the per-item path allocates nothing in the common case). */
const FIRST: SequenceVerdict = Object.freeze({ kind: 'first' });
const NEXT: SequenceVerdict = Object.freeze({ kind: 'next' });
const DUPLICATE: SequenceVerdict = Object.freeze({ kind: 'duplicate' });

export const DEFAULT_DUPLICATE_WINDOW = 100_000n;
export const DEFAULT_MAX_JUMP = 10_000_000n;

export class IdSequence {
  readonly #window: bigint;
  readonly #maxJump: bigint;
  #last: bigint | undefined;
  /** The newest id before the last unexpected one (a gap, a jump, a step back), until an id decides about it. */
  #before: bigint | undefined;

  constructor(opts: IdSequenceOptions = {}) {
    this.#window = opts.duplicateWindow ?? DEFAULT_DUPLICATE_WINDOW;
    this.#maxJump = opts.maxJump ?? DEFAULT_MAX_JUMP;
  }

  /** The newest id accepted, if any. */
  get last(): bigint | undefined {
    return this.#last;
  }

  /** Forgets the sequence: the next id is `first`. */
  reset(): void {
    this.#last = undefined;
    this.#before = undefined;
  }

  accept(id: bigint): SequenceVerdict {
    const last = this.#last;
    const before = this.#before;
    if (last === undefined) {
      this.#last = id;
      return FIRST;
    }
    if (id === last + 1n) {
      this.#last = id;
      this.#before = undefined;
      return NEXT;
    }
    if (before !== undefined) {
      // Right after an unexpected id, one that continues the sequence from before it: the unexpected one was odd.
      const resumes = before < last ? id > before && id < last : id > before && id - before <= this.#window;
      if (resumes) {
        this.#last = id;
        this.#before = undefined;
        return { kind: 'reset', reason: 'return', previousId: last, id };
      }
      // A repeat (of the unexpected id, or from before it): still a duplicate, and the next id may still resume.
      if (id === last || (id <= before && before - id <= this.#window)) return DUPLICATE;
    }
    this.#before = undefined;
    if (id > last) {
      this.#last = id;
      this.#before = last;
      if (id - last - 1n > this.#maxJump) return { kind: 'reset', reason: 'jump', previousId: last, id };
      return { kind: 'gap', afterId: last, beforeId: id, missing: id - last - 1n };
    }
    if (last - id <= this.#window) return DUPLICATE;
    this.#last = id;
    this.#before = last;
    return { kind: 'reset', reason: 'back', previousId: last, id };
  }
}
