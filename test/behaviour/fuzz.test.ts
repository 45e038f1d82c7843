/**
 * Fuzz (issue 9, "Done when"): mutated real frames of every venue through the real client. A hostile fixture venue
 * (test/helpers/fixture-venue.ts) serves each stream's recorded frames (test/helpers/fuzz-streams.ts, fuzz-books.ts)
 * and, among them, copies with one value changed (test/helpers/frame-mutator.ts): first one mutant at a time, each
 * followed by valid frames until the stream takes one (so each mutant's fate is known), then a burst. For every
 * venue and stream kind (book, trades, ticker, bookTicker, candles), one test per check:
 *  - no exception escapes (process hooks; the iterator never ends before the test ends it);
 *  - no stream stops taking valid frames for longer than its liveness window (`livenessMs`) plus one resync;
 *  - every frame the client rejects is reported as a `problem` with code `decode` (nothing dropped silently;
 *    counted against the rejected mutants in a burst), and no trade with price or amount ≤ 0 is delivered. A frame
 *    the stream layer skips (not JSON, not placed, routed nowhere) counts as reported once it is counted in
 *    `ex.connections()`: its `decode` report may be one a second later, standing for several (rate-limited);
 *  - a frame whose routing fields (stream, topic, arg) were mutated is reported too (kept apart: such a frame
 *    reaches no subscription, so this asks the hub, not the parsers);
 *  - books: every book shown is uncrossed and equal to a state the valid frames imply (fuzz-books.ts, TruthBook).
 * VENUEKIT_FUZZ_FRAMES (mutated frames per stream, default 32), VENUEKIT_FUZZ_SEED (a number, or `random`),
 * VENUEKIT_FUZZ_STREAMS (names, comma-separated; `okx*`) and VENUEKIT_FUZZ_TRACE=1 (every step on stderr) run longer
 * or narrower soaks. Every failure names its seed, round and step, and the line that replays it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchOptions } from '../../src/client/watch-topic.js';
import type { OrderBook } from '../../src/core/book/order-book.js';
import { VenueError } from '../../src/core/errors.js';
import type { Trade } from '../../src/core/model.js';
import { FixtureVenue } from '../helpers/fixture-venue.js';
import { Rng, mutate, pathText, type MutateOptions, type Mutant } from '../helpers/frame-mutator.js';
import { bookHash, bookPlans } from '../helpers/fuzz-books.js';
import { MARKET_IDS, itemPlans, prepareVenue, type MutantBase, type StreamPlan, type StreamRound } from '../helpers/fuzz-streams.js';
import { waitFor } from '../helpers/wait.js';

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
};
const FRAMES = envInt('VENUEKIT_FUZZ_FRAMES', 32);
const SEED = process.env['VENUEKIT_FUZZ_SEED'] === 'random' ? (Math.random() * 2 ** 32) >>> 0 : envInt('VENUEKIT_FUZZ_SEED', 20_261_209);
/** The liveness window given to every watch (`livenessMs`); short, so that a freeze shows within the test. */
const LIVENESS_MS = 750;
/** Time for one resync once the window has passed: a REST snapshot, or a resubscribe and its in-band snapshot. */
const RESYNC_MS = 2750;
const RECOVERY_MS = LIVENESS_MS + RESYNC_MS;
/** While the test waits for a stream, the feed keeps flowing: one valid frame per tick. */
const TICK_MS = 100;
/** VENUEKIT_FUZZ_TRACE=1 prints every step, problem and book to stderr. */
const TRACE = process.env['VENUEKIT_FUZZ_TRACE'] === '1';
const trace = (text: string): void => void (TRACE && process.stderr.write(`${text}\n`));
/** Share of each round's mutants sent as one burst after the lock-step ones. */
const BURST_SHARE = 0.3;
/** Rounds that end in a stall before a stream is given up (a stalled client tells nothing more). */
const MAX_STALLS = FRAMES > 32 ? 4 : 1;

type Check = 'exceptions' | 'liveness' | 'decode' | 'routing' | 'book';

interface Failure {
  readonly check: Check;
  /** The failure class: failures of one class are counted together. */
  readonly what: string;
  readonly example: string;
}

interface StreamResult {
  readonly plan: StreamPlan;
  readonly seed: number;
  readonly failures: Failure[];
  readonly outcomes: Record<string, number>;
  mutants: number;
  rounds: number;
}

/** What the process hooks caught, and where the test was at the time. */
const escaped: Array<{ where: string; error: unknown }> = [];
let where = 'setup';
const onEscape = (error: unknown): void => void escaped.push({ where, error });

let venue: FixtureVenue;
const only = process.env['VENUEKIT_FUZZ_STREAMS']?.split(',').filter((s) => s !== '');
const plans = [...bookPlans(), ...itemPlans()].filter((p) => only === undefined || only.length === 0 || only.some((s) => p.name === s || (s.endsWith('*') && p.name.startsWith(s.slice(0, -1)))));

before(async () => {
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  venue = await FixtureVenue.start({ marketIds: MARKET_IDS });
  prepareVenue(venue);
});

after(async () => {
  await venue.close();
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
});

/** A sleep that a wake() cuts short: the test reacts as soon as the consumer or an event moved. */
class Waker {
  private waker: (() => void) | undefined;
  wake(): void {
    this.waker?.();
    this.waker = undefined;
  }
  nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waker = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

function describeMutant(m: Mutant, base: MutantBase | undefined): string {
  const what = m.mutation.path === undefined ? m.mutation.kind : `${m.mutation.kind} at ${m.mutation.where}`;
  return `${what} (${m.mutation.detail})${base === undefined ? '' : ` on ${base.origin}`}`;
}

/** One round: a fresh client, the recording from its start, lock-step mutants, then a burst. */
async function runRound(plan: StreamPlan, result: StreamResult, round: number, budget: number): Promise<{ mutants: number; stalled: boolean }> {
  // One generator per step: a wait that fed an extra valid frame changes what a step copies, never the later steps.
  const rngOf = (step: number): Rng => new Rng(mix(mix(result.seed, round), step));
  const r: StreamRound = plan.startRound(venue);
  const ex = plan.connect(venue);
  const waker = new Waker();
  let n = 0; // event counter: orders problems, resyncs and items
  const problems: Array<{ n: number; code: string; text: string; skipped: boolean }> = [];
  const resyncs: number[] = [];
  const items: Array<{ n: number; mark: number | undefined }> = [];
  const valid = new Set<number>();
  let maxValidSeen = -1;
  let lastBook: { seq: string; hash: string } | undefined;
  let step = 'warm-up';
  const tag = (): string => `seed ${result.seed}, round ${round}, ${step}`;
  const fail = (check: Check, what: string, detail: string): void => void result.failures.push({ check, what, example: `${detail} [${tag()}]` });
  const off = [
    ex.events.on('problem', (e) => {
      problems.push({ n: ++n, code: e.error.code, text: `${e.context}: ${e.error.message}`.slice(0, 200), skipped: e.skipped !== undefined });
      trace(`  problem ${e.error.code}: ${e.context}: ${e.error.message.slice(0, 160)}`);
      waker.wake();
    }),
    ex.events.on('resync', (e) => {
      resyncs.push(++n);
      trace(`  resync ${e.reason}`);
    }),
  ];
  const send = (text: string): number => venue.send(plan.venue, plan.topic, text);
  const sendValid = (): void => {
    const f = r.nextValid() ?? r.last;
    if (f === undefined) return;
    if (f.mark !== undefined) valid.add(f.mark);
    send(f.text);
  };

  await ex.loadMarkets();
  where = `${plan.name}, ${tag()}`;
  const watch = plan.watch(ex, { livenessMs: LIVENESS_MS } as WatchOptions);
  let ended: { error?: unknown } | undefined;
  let closing = false;
  const consumer = (async () => {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await watch.next();
      } catch (error) {
        ended = { error };
        break;
      }
      if (next.done) {
        ended = {};
        break;
      }
      if (plan.kind === 'book') {
        const book = next.value as OrderBook;
        const truth = r.truth;
        lastBook = { seq: String(book.seq), hash: bookHash(book, plan.compareDepth ?? Infinity) };
        trace(`  book ${lastBook.seq} ${book.event}${truth?.seen.has(lastBook.hash) === true ? '' : ' (not implied)'}; truth ${String(truth?.seq)}`);
        if (book.isCrossed()) fail('book', 'a crossed book was shown', `seq ${lastBook.seq}`);
        else if (truth !== undefined && !truth.seen.has(lastBook.hash)) fail('book', 'a book the valid frames never implied was shown', `seq ${lastBook.seq}, truth at ${String(truth.seq)}`);
      } else {
        // Issue 9: a trade with price ≤ 0 or amount ≤ 0 is a decode problem, never a trade.
        const t = next.value as Partial<Trade>;
        if (plan.kind === 'trades' && (t.price?.isPositive() !== true || t.amount?.isPositive() !== true)) {
          fail('decode', 'a trade with price or amount ≤ 0 was delivered', `price ${String(t.price)}, amount ${String(t.amount)}`);
        }
        const mark = plan.markOf?.(next.value);
        items.push({ n: ++n, mark });
        if (mark !== undefined && valid.has(mark)) maxValidSeen = Math.max(maxValidSeen, mark);
      }
      waker.wake();
    }
    if (!closing) waker.wake();
  })();

  /** Books: the consumer shows the venue's book as it stands; others: an item of a valid frame at or after `target`. */
  const recovered = (target: number | undefined): boolean => {
    if (plan.kind !== 'book') return target !== undefined && maxValidSeen >= target;
    const truth = r.truth;
    return truth !== undefined && lastBook !== undefined && lastBook.seq === String(truth.seq) && lastBook.hash === truth.current;
  };
  /** Ms until `recovered(target)`, feeding a valid frame every tick; undefined when it did not within the bound. */
  const recovery = async (target: number | undefined): Promise<number | undefined> => {
    const t0 = Date.now();
    let fed = t0;
    while (!recovered(target)) {
      const now = Date.now();
      if (ended !== undefined || now - t0 > RECOVERY_MS) return undefined;
      if (now - fed >= TICK_MS) {
        sendValid();
        fed = now;
      }
      await waker.nap(TICK_MS);
    }
    return Date.now() - t0;
  };

  let mutants = 0;
  let stalled = false;
  try {
    await waitFor(() => venue.subscribers(plan.venue, plan.topic) > 0, `${plan.name}: subscribed`, 10_000);
    // Warm-up: valid frames until the stream shows one (books: a book past the recorded snapshot, so that from
    // here on every valid frame moves the truth and a step cannot pass before the client read its frames).
    const initialSeq = r.truth?.seq;
    for (let synced = false; !synced; ) {
      const first = r.nextValid();
      if (first?.mark !== undefined) valid.add(first.mark);
      if (first !== undefined) send(first.text);
      if ((await recovery(first?.mark)) === undefined || first === undefined) {
        fail('liveness', 'the stream never synced on valid frames', `nothing accepted within ${RECOVERY_MS} ms`);
        return { mutants: 0, stalled: true };
      }
      synced = r.truth === undefined || r.truth.seq !== initialSeq;
    }

    // Lock step: one mutant (or a duplicated or reordered pair), then valid frames until the stream takes one.
    const burst = Math.max(1, Math.round(budget * BURST_SHARE));
    for (let i = 0; mutants < budget - burst && r.remaining > burst + 4; i++) {
      const since = n;
      const skippedBefore = skippedFrames(ex);
      const rng = rngOf(i);
      const roll = rng.float();
      let mutant: Mutant | undefined;
      let base: MutantBase | undefined;
      let target: number | undefined;
      let delivered = true;
      if (roll < 0.05 && r.last !== undefined) {
        step = `step ${i}: the last valid frame sent again`;
        send(r.last.text);
      } else if (roll < 0.1) {
        step = `step ${i}: the next two valid frames swapped`;
        const a = r.nextValid();
        const b = r.nextValid();
        for (const f of [b, a]) {
          if (f === undefined) continue;
          if (f.mark !== undefined) valid.add(f.mark);
          send(f.text);
        }
        target = a?.mark;
      } else {
        base = r.mutantBase(rng);
        mutant = mutate(rng, base.frame, optionsOf(plan, base));
        step = `step ${i}: ${describeMutant(mutant, base)}`;
        delivered = send(mutant.text) > 0;
      }
      if (target === undefined) {
        const f = base?.follow ?? r.nextValid();
        if (f?.mark !== undefined) valid.add(f.mark);
        if (f !== undefined) send(f.text);
        target = f?.mark;
      }
      where = `${plan.name}, ${tag()}`;
      trace(`${plan.name}: ${step}`);
      mutants++;
      const took = await recovery(target);
      if (mutant !== undefined && delivered) classify(plan, result, mutant, since, skippedFrames(ex) > skippedBefore, problems, resyncs, items, valid, fail);
      if (took === undefined) {
        fail('liveness', `stopped accepting valid frames after a mutant (${mutant?.mutation.kind ?? 'frame order'})`, `no valid frame taken within ${RECOVERY_MS} ms`);
        stalled = true;
        return { mutants, stalled };
      }
      // A book back from a resync takes one clean delta before the next mutant: mutants are sparse in lock step.
      if (plan.kind === 'book') {
        sendValid();
        if ((await recovery(undefined)) === undefined) {
          fail('liveness', 'a valid delta after a recovered book was not taken', `no valid frame taken within ${RECOVERY_MS} ms`);
          stalled = true;
          return { mutants, stalled };
        }
      }
    }

    // A burst: valid and mutated frames back to back, then the stream must take valid frames again.
    const since = n;
    const skippedBefore = skippedFrames(ex);
    const sent = new Set<number>();
    let unparseable = 0;
    let unrouted = 0;
    let last: Mutant | undefined;
    for (let j = 0; j < burst; j++) {
      sendValid();
      const rng = rngOf(100_000 + j);
      const b = r.mutantBase(rng);
      last = mutate(rng, b.frame, optionsOf(plan, b));
      trace(`${plan.name}: burst ${j}: ${describeMutant(last, b)}`);
      if (b.mark !== undefined) sent.add(b.mark);
      send(last.text);
      if (last.unparseable) unparseable++;
      if (placeOf(plan, last).routing || carriesNothing(last.text)) unrouted++;
      if (b.follow !== undefined) send(b.follow.text);
    }
    mutants += burst;
    step = `a burst of ${burst} mutants (the last: ${last === undefined ? '-' : describeMutant(last, undefined)})`;
    where = `${plan.name}, ${tag()}`;
    const f = r.nextValid() ?? r.last;
    if (f?.mark !== undefined) valid.add(f.mark);
    if (f !== undefined) send(f.text);
    if ((await recovery(f?.mark)) === undefined) {
      fail('liveness', 'did not take valid frames again after a burst', `no valid frame taken within ${RECOVERY_MS} ms of the burst's end`);
      stalled = true;
    }
    // Frames the stream layer skipped count by its counters (their reports are rate-limited), the others one a problem.
    const reported = problems.filter((p) => p.n > since && p.code === 'decode' && !p.skipped).length + skippedFrames(ex) - skippedBefore;
    for (const p of problems) if (p.n > since && !expectedCode(plan, p.code)) fail('decode', `a problem reported as '${p.code}', not 'decode'`, p.text);
    // Tickers and book tickers conflate for a slow consumer: in a burst only unparseable mutants can be counted.
    if (plan.kind === 'trades' || plan.kind === 'candles') {
      const seen = new Set<string>();
      for (const it of items) if (it.n > since && (it.mark === undefined || sent.has(it.mark))) seen.add(it.mark === undefined ? `u${it.n}` : String(it.mark));
      // Mutants routed to no subscription are counted by the routing check, not here; empty pushes carry nothing.
      const rejected = burst - unrouted - seen.size;
      if (reported < rejected) fail('decode', 'burst: fewer decode problems than rejected mutants', `${rejected} of ${burst - unrouted} routed mutants gave no item, ${reported} decode problems`);
    } else if (reported < unparseable) fail('decode', 'burst: fewer decode problems than unparseable mutants', `${unparseable} unparseable mutants, ${reported} decode problems`);
    return { mutants, stalled };
  } finally {
    if (ended !== undefined) {
      const e = ended.error;
      if (e === undefined) fail('liveness', 'the stream ended by itself', 'the iterator returned done');
      else if (VenueError.is(e)) fail('liveness', `the stream ended with VenueError '${e.code}'`, e.message.slice(0, 200));
      else fail('exceptions', 'the iterator threw something other than a VenueError', String(e).slice(0, 200));
    }
    closing = true;
    await watch.return?.();
    await consumer;
    for (const o of off) o();
    await ex.close();
    r.end();
  }
}

/**
 * The codes a hostile frame may be reported with: `decode`, and on books also `book-integrity` — the rebuild an
 * implausible id or a stall starts (`id-reset`, `stalled`); the frame itself, when refused, is still a `decode`.
 */
function expectedCode(plan: StreamPlan, code: string): boolean {
  return code === 'decode' || (plan.kind === 'book' && code === 'book-integrity');
}

/** The fate of one lock-step mutant: accepted, reported as decode, resynced (books), or dropped silently. */
function classify(
  plan: StreamPlan,
  result: StreamResult,
  mutant: Mutant,
  since: number,
  counted: boolean,
  problems: ReadonlyArray<{ n: number; code: string; text: string; skipped: boolean }>,
  resyncs: readonly number[],
  items: ReadonlyArray<{ n: number; mark: number | undefined }>,
  valid: ReadonlySet<number>,
  fail: (check: Check, what: string, detail: string) => void,
): void {
  const mine = problems.filter((p) => p.n > since);
  for (const p of mine) if (!expectedCode(plan, p.code)) fail('decode', `a problem reported as '${p.code}', not 'decode'`, p.text);
  // A report of skipped frames may stand for earlier mutants (rate-limited): the counters tell whether this one was.
  const decoded = mine.some((p) => p.code === 'decode' && !p.skipped) || counted;
  const { place, routing } = placeOf(plan, mutant);
  const check: Check = routing ? 'routing' : 'decode';
  let outcome: string;
  if (plan.kind === 'book') {
    outcome = decoded ? 'reported' : resyncs.some((x) => x > since) ? 'resynced' : 'skipped or applied';
    if ((mutant.unparseable || routing) && !decoded) fail(check, `dropped silently: ${place}`, mutant.mutation.detail);
  } else if (carriesNothing(mutant.text)) {
    outcome = 'no rows to take';
  } else {
    const accepted = items.some((it) => it.n > since && (it.mark === undefined || !valid.has(it.mark)));
    outcome = accepted ? 'accepted' : decoded ? 'reported' : 'dropped silently';
    if (!accepted && !decoded) fail(check, `dropped silently: ${place}`, `${mutant.mutation.kind} at ${mutant.mutation.where}: ${mutant.mutation.detail}`);
  }
  result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
}

/** How to mutate a base: where it says, else anywhere (routing envelopes only now and then). */
function optionsOf(plan: StreamPlan, base: MutantBase): MutateOptions {
  if (base.paths !== undefined) return { paths: base.paths, semantic: base.semantic === true };
  return { rare: plan.routing.filter((k) => k !== 'data') };
}

/** Frames the client's stream connections skipped so far (undecodable, unrecognized, unrouted), by their counters. */
function skippedFrames(ex: { connections(): ReadonlyArray<{ undecodableFrames: number; unrecognizedFrames: number; unroutedFrames: number }> }): number {
  return ex.connections().reduce((n, c) => n + c.undecodableFrames + c.unrecognizedFrames + c.unroutedFrames, 0);
}

/** Where a mutation hit: unparseable text, the routing envelope (the frame then reaches no subscription), or the payload. */
function placeOf(plan: StreamPlan, mutant: Mutant): { place: string; routing: boolean } {
  const path = mutant.mutation.path;
  const key = path?.[0] === undefined ? undefined : String(path[0]);
  if (mutant.unparseable) return { place: isJson(mutant.text) ? 'JSON that is not an object' : 'invalid JSON', routing: false };
  if (path === undefined) return { place: `a frame without routing (${mutant.mutation.kind})`, routing: true };
  // A field added beside the routing fields (`data`, `arg`) leaves the frame routable and valid.
  const routes = mutant.mutation.kind !== 'object:add-field';
  if (routes && key !== undefined && plan.routing.includes(key) && (key !== 'data' || path.length === 1)) return { place: `routing field ${pathText(path)} (${mutant.mutation.kind})`, routing: true };
  return { place: `payload (${mutant.mutation.kind})`, routing: false };
}

/** A push whose `data` is an empty list carries no trade or candle: taking nothing from it is right. */
function carriesNothing(text: string): boolean {
  try {
    const data = (JSON.parse(text) as { data?: unknown }).data;
    return Array.isArray(data) && data.length === 0;
  } catch {
    return false;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function fuzzStream(plan: StreamPlan, seed: number): Promise<StreamResult> {
  const result: StreamResult = { plan, seed, failures: [], outcomes: {}, mutants: 0, rounds: 0 };
  const before = escaped.length;
  let stalls = 0;
  // A round needs a few mutants to be worth a fresh client.
  while (FRAMES - result.mutants >= Math.min(FRAMES, 4) && stalls < MAX_STALLS) {
    const { mutants, stalled } = await runRound(plan, result, result.rounds, FRAMES - result.mutants);
    result.rounds++;
    result.mutants += mutants;
    if (stalled) stalls++;
    if (mutants === 0 && !stalled) break;
  }
  where = 'between streams';
  for (const e of escaped.slice(before)) {
    const text = e.error instanceof Error ? `${e.error.name}: ${e.error.message}` : String(e.error);
    result.failures.push({ check: 'exceptions', what: `escaped: ${text.slice(0, 120)}`, example: e.where });
  }
  if (venue.unanswered.length > 0 || venue.unknownControl.length > 0) {
    result.failures.push({ check: 'exceptions', what: 'the fixture venue could not answer the client (harness gap)', example: [...venue.unanswered, ...venue.unknownControl].slice(0, 5).join('; ') });
    venue.unanswered.length = 0;
    venue.unknownControl.length = 0;
  }
  return result;
}

/** Failures of one check, grouped by class with a count and the first example of each. */
function report(result: StreamResult, check: Check): string {
  const byClass = new Map<string, { count: number; example: string }>();
  for (const f of result.failures) {
    if (f.check !== check) continue;
    const c = byClass.get(f.what) ?? { count: 0, example: f.example };
    c.count++;
    byClass.set(f.what, c);
  }
  if (byClass.size === 0) return '';
  const lines = [...byClass].map(([what, c]) => `  ${c.count} × ${what}\n      e.g. ${c.example}`);
  const replay = `VENUEKIT_FUZZ_SEED=${SEED} VENUEKIT_FUZZ_FRAMES=${FRAMES} VENUEKIT_FUZZ_STREAMS='${result.plan.name}' VENUEKIT_FUZZ_TRACE=1`;
  return `${result.plan.name}: ${check} (stream seed ${result.seed}; ${result.mutants} mutants in ${result.rounds} round(s); replay with ${replay})\n${lines.join('\n')}`;
}

/** A per-stream seed, so that one stream's failures replay alone (VENUEKIT_FUZZ_STREAMS). */
function seedOf(name: string): number {
  let h = SEED >>> 0;
  for (const c of name) h = mix(h, c.charCodeAt(0));
  return h;
}

/** Two 32-bit numbers hashed into one (FNV-style multiply, then an avalanche). */
function mix(a: number, b: number): number {
  let h = Math.imul((a ^ b) >>> 0, 0x01000193) ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 16;
  return Math.imul(h, 0x7feb352d) >>> 0;
}

for (const plan of plans) {
  describe(`fuzz: ${plan.name}`, () => {
    let result: StreamResult;
    before(async () => {
      result = await fuzzStream(plan, seedOf(plan.name));
    });
    const check = (name: Check) => (t: { diagnostic(message: string): void }) => {
      t.diagnostic(`${result.mutants} mutants in ${result.rounds} round(s), seed ${result.seed}: ${JSON.stringify(result.outcomes)}`);
      const text = report(result, name);
      assert.ok(text === '', text);
    };
    it('no exception escapes', check('exceptions'));
    it(`never stops taking valid frames for longer than the liveness window (${LIVENESS_MS} ms + ${RESYNC_MS} ms for a resync)`, check('liveness'));
    it('every rejected frame is reported as a decode problem', check('decode'));
    it('a frame whose routing fields were mutated is reported, not dropped silently', check('routing'));
    if (plan.kind === 'book') it('every book shown is uncrossed and one the valid frames imply', check('book'));
  });
}
