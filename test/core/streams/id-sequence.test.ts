/** Contiguous-id dedup never freezes on one odd id: duplicates dropped, holes are gaps, impossible ids restart the sequence. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdSequence, type SequenceVerdict } from '../../../src/core/streams/id-sequence.js';

/** Feeds ids; returns each verdict as a short string. */
function run(ids: readonly bigint[], seq = new IdSequence()): string[] {
  return ids.map((id) => show(seq.accept(id)));
}

function show(v: SequenceVerdict): string {
  if (v.kind === 'gap') return `gap ${v.afterId}-${v.beforeId} (${v.missing})`;
  if (v.kind === 'reset') return `reset ${v.reason} ${v.previousId}->${v.id}`;
  return v.kind;
}

const ABSURD = 99999999999999999999n;

test('in order, repeats within the window are duplicates, a hole is a gap', () => {
  assert.deepEqual(run([5n, 6n, 6n, 4n, 9n, 10n]), ['first', 'next', 'duplicate', 'duplicate', 'gap 6-9 (2)', 'next']);
});

test('one absurd id ahead (the 9-minute freeze): delivered as a reset, and the next real id resumes the sequence', () => {
  const seq = new IdSequence();
  assert.deepEqual(run([100n, 101n, ABSURD, 102n, 103n], seq), ['first', 'next', `reset jump 101->${ABSURD}`, `reset return ${ABSURD}->102`, 'next']);
  assert.equal(seq.last, 103n);
});

test('one odd id a little ahead (a plausible gap) is undone by the next id', () => {
  assert.deepEqual(run([100n, 101n, 5000n, 102n, 103n]), ['first', 'next', 'gap 101-5000 (4898)', 'reset return 5000->102', 'next']);
});

test('one absurd id far back: a reset, then the sequence resumes from before it', () => {
  assert.deepEqual(run([5_000_000n, 5_000_001n, 1n, 5_000_002n, 5_000_003n]), ['first', 'next', 'reset back 5000001->1', 'reset return 1->5000002', 'next']);
});

test('a venue that really resets its ids: one reset, then in order from the new ids', () => {
  assert.deepEqual(run([5_000_000n, 5_000_001n, 1n, 2n, 3n]), ['first', 'next', 'reset back 5000001->1', 'next', 'next']);
});

test('a real gap stays a gap; repeats from before the jump stay duplicates', () => {
  assert.deepEqual(run([100n, 200n, 98n, 201n, 150n]), ['first', 'gap 100-200 (99)', 'duplicate', 'next', 'duplicate']);
});

test('window and jump limit are options; reset() forgets the sequence', () => {
  const seq = new IdSequence({ duplicateWindow: 10n, maxJump: 1000n });
  assert.deepEqual(run([1000n, 1989n, 2000n, 1985n, 1970n], seq), ['first', 'gap 1000-1989 (988)', 'gap 1989-2000 (10)', 'duplicate', 'reset back 2000->1970']);
  seq.reset();
  assert.equal(seq.last, undefined);
  assert.deepEqual(run([7n, 5000n], seq), ['first', 'reset jump 7->5000']);
});
