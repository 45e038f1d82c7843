/** Table tests for the Binance spot and USD-M book alignment and continuity rules (protocols.md §1.6, §2.5). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { UpdateId } from '../../../src/core/json.js';
import type { DepthMessage } from '../../../src/core/model.js';
import { binanceSpotBookRules, binanceUsdmBookRules } from '../../../src/exchanges/binance/book-rules.js';
import { fixtureLines } from '../../helpers/wait.js';

function ev(U: UpdateId | undefined, u: UpdateId, pu?: UpdateId): DepthMessage {
  return { kind: 'delta', symbol: 'BTCUSDT', seq: u, firstSeq: U, prevSeq: pu, bids: [], asks: [], exchangeTime: 0, receivedAt: 0 };
}

test('spot: drops events with u <= lastUpdateId and needs U <= lastUpdateId + 1 on the first one', () => {
  const L = 100;
  const cases: Array<[DepthMessage, string]> = [
    [ev(95, 99), 'drop'],
    [ev(98, 100), 'drop'], // u == lastUpdateId
    [ev(99, 101), 'apply'], // straddles
    [ev(101, 103), 'apply'], // U == lastUpdateId + 1
    [ev(102, 104), 'refetch'], // snapshot older than the event
  ];
  for (const [e, want] of cases) assert.equal(binanceSpotBookRules.alignFirst(L, e), want, `U=${e.firstSeq} u=${e.seq}`);
});

test('spot: applies only U == previous u + 1, skips old events, calls anything else a gap', () => {
  const cases: Array<[DepthMessage, string]> = [
    [ev(201, 205), 'apply'],
    [ev(190, 200), 'skip'],
    [ev(199, 200), 'skip'],
    [ev(202, 205), 'gap'],
    [ev(199, 205), 'gap'], // overlapping ranges never happen on a healthy stream: resync rather than guess
  ];
  for (const [e, want] of cases) assert.equal(binanceSpotBookRules.next(200, e), want, `U=${e.firstSeq} u=${e.seq}`);
});

test('USD-M: drops u < lastUpdateId and needs U <= lastUpdateId <= u (or pu == lastUpdateId) on the first one', () => {
  const L = 600859605926;
  const cases: Array<[DepthMessage, string]> = [
    [ev(600859604825, 600859605925), 'drop'],
    [ev(600859605926, 600859607423), 'apply'], // the recorded first event (line 4)
    [ev(600859605000, 600859605926), 'apply'], // u == lastUpdateId is kept
    [ev(600859605927, 600859607423), 'refetch'],
    [ev(600859605927, 600859607423, 600859605926), 'apply'], // follows a snapshot taken between two events
    [ev(600859605927, 600859607423, 600859605925), 'refetch'],
  ];
  for (const [e, want] of cases) assert.equal(binanceUsdmBookRules.alignFirst(L, e), want, `U=${e.firstSeq} u=${e.seq}`);
});

test('USD-M: chains on pu == previous u, never on U', () => {
  const cases: Array<[DepthMessage, string]> = [
    [ev(900, 1000, 500), 'apply'], // U jumps on futures; pu decides
    [ev(400, 500, 400), 'skip'], // already applied
    [ev(501, 600, 499), 'gap'],
  ];
  for (const [e, want] of cases) assert.equal(binanceUsdmBookRules.next(500, e), want, `pu=${e.prevSeq} u=${e.seq}`);
});

test('compares ids beyond 2^53 exactly', () => {
  const L = 2n ** 60n;
  assert.equal(binanceSpotBookRules.alignFirst(L, ev(L + 1n, L + 3n)), 'apply');
  assert.equal(binanceSpotBookRules.alignFirst(L, ev(L + 2n, L + 3n)), 'refetch');
  assert.equal(binanceSpotBookRules.next(L, ev(L + 1n, L + 1n)), 'apply');
  assert.equal(binanceSpotBookRules.next(L, ev(L + 2n, L + 2n)), 'gap');
  assert.equal(binanceUsdmBookRules.next(L, ev(L + 7n, L + 9n, L)), 'apply');
  assert.equal(binanceUsdmBookRules.next(9007199254740993n, ev(9007199254740995n, 9007199254740996n, 9007199254740992)), 'gap');
  assert.equal(binanceUsdmBookRules.alignFirst(L, ev(L, L + 1n)), 'apply');
});

test('refuses to sequence an event without U (spot) or pu (USD-M)', () => {
  assert.throws(() => binanceSpotBookRules.next(1, ev(undefined, 2)), (err: unknown) => VenueError.is(err, 'decode'));
  assert.throws(() => binanceUsdmBookRules.next(1, ev(2, 3)), (err: unknown) => VenueError.is(err, 'decode'));
  assert.equal(binanceSpotBookRules.snapshotSource, 'rest');
  assert.equal(binanceUsdmBookRules.snapshotSource, 'rest');
  assert.equal(binanceSpotBookRules.verifyChecksum, undefined);
});

/** `u − U` of every recorded event and the step `u − previous u` between events, as bigints. */
function recordedSteps(file: string): { spans: bigint[]; steps: bigint[]; last: bigint } {
  const events = fixtureLines(file).map((l) => (parseJson(l) as { data: { U: UpdateId; u: UpdateId } }).data);
  const spans = events.map((e) => BigInt(e.u) - BigInt(e.U));
  const steps = events.slice(1).map((e, i) => BigInt(e.u) - BigInt((events[i] as { u: UpdateId }).u));
  return { spans, steps, last: BigInt((events.at(-1) as { u: UpdateId }).u) };
}

test('declares id bounds a thousand times wider than the recorded streams, which the hostile id and a restart break', () => {
  for (const [rules, file] of [
    [binanceSpotBookRules, 'binance/ws/spot-depth100ms-NKNUSDT-recorded-sequence.jsonl'],
    [binanceUsdmBookRules, 'binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl'],
  ] as const) {
    const { maxAhead, maxBehind } = rules.idBounds;
    const { spans, steps, last } = recordedSteps(file);
    const widest = [...spans, ...steps].reduce((a, b) => (b > a ? b : a));
    assert.ok(BigInt(maxAhead) >= 1000n * widest, `${file}: maxAhead ${maxAhead} vs the widest recorded ${widest}`);
    assert.ok(maxBehind > 0 && BigInt(maxBehind) < last - 1n, `${file}: ids restarting from 1 are further back than maxBehind`);
    assert.ok(99999999999999999999n - last > BigInt(maxAhead), 'the hostile u is beyond maxAhead');
  }
});
