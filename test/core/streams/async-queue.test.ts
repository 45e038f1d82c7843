import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AsyncQueue } from '../../../src/core/streams/async-queue.js';
import { VenueError } from '../../../src/core/errors.js';

async function drain<T>(q: AsyncQueue<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of q) out.push(x);
  return out;
}

test('delivers pushed items in order, to a waiting consumer too, and ends after the buffer', async () => {
  const q = new AsyncQueue<number>();
  const first = q.next();
  q.push(1);
  q.push(2);
  q.push(3);
  q.end();
  assert.deepEqual(await first, { done: false, value: 1 });
  assert.deepEqual(await drain(q), [2, 3]);
  assert.equal(q.push(4), false);
});

test('drops the oldest items past capacity under drop-oldest and counts them', async () => {
  const q = new AsyncQueue<number>({ capacity: 3, overflow: 'drop-oldest' });
  for (let i = 1; i <= 7; i++) q.push(i);
  q.end();
  assert.deepEqual(await drain(q), [5, 6, 7]);
  assert.equal(q.dropped, 4);
});

test('keeps only the latest item under conflate', async () => {
  const q = new AsyncQueue<string>({ capacity: 100, overflow: 'conflate' });
  for (const s of ['a', 'b', 'c']) q.push(s);
  assert.deepEqual(await q.next(), { done: false, value: 'c' });
  q.push('d');
  q.end();
  assert.deepEqual(await drain(q), ['d']);
  assert.equal(q.dropped, 2);
});

test('ends with an error after the buffered items when the consumer falls behind under error', async () => {
  const q = new AsyncQueue<number>({ capacity: 2, overflow: 'error' });
  assert.equal(q.push(1), true);
  assert.equal(q.push(2), true);
  assert.equal(q.push(3), false);
  const got: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const x of q) got.push(x);
    })(),
    (e: unknown) => VenueError.is(e, 'closed') && /fell behind/.test((e as Error).message),
  );
  assert.deepEqual(got, [1, 2], 'nothing buffered was lost before the error');
});

test('settles a pending next as done on return, calls onClose once, and stays idempotent', async () => {
  let closes = 0;
  const q = new AsyncQueue<number>({ onClose: () => closes++ });
  const pending = q.next();
  assert.deepEqual(await q.return(), { done: true, value: undefined });
  assert.deepEqual(await pending, { done: true, value: undefined });
  await q.return();
  await q[Symbol.asyncDispose]();
  assert.equal(closes, 1);
  assert.equal(q.push(1), false);
  assert.deepEqual(await q.next(), { done: true, value: undefined });
});

test('calls onClose when a for-await loop is left early', async () => {
  let closes = 0;
  const q = new AsyncQueue<number>({ onClose: () => closes++ });
  q.push(1);
  q.push(2);
  for await (const x of q) if (x === 1) break;
  assert.equal(closes, 1);
});

test('rejects a pending next with closed when its signal aborts', async () => {
  const ac = new AbortController();
  let closes = 0;
  const q = new AsyncQueue<number>({ signal: ac.signal, onClose: () => closes++ });
  const pending = q.next();
  ac.abort();
  await assert.rejects(pending, (e: unknown) => VenueError.is(e, 'closed'));
  assert.deepEqual(await q.next(), { done: true, value: undefined });
  assert.equal(closes, 1);
});

test('passes a failure to the consumer after the buffered items', async () => {
  const q = new AsyncQueue<number>();
  q.push(1);
  q.fail(new VenueError('network', 'socket lost'));
  assert.deepEqual(await q.next(), { done: false, value: 1 });
  await assert.rejects(q.next(), (e: unknown) => VenueError.is(e, 'network'));
  assert.deepEqual(await q.next(), { done: true, value: undefined });
});

test('an already-aborted signal: the producer is never started, next() rejects with closed, onClose runs once after the constructor', async () => {
  const ac = new AbortController();
  ac.abort();
  let started = 0;
  const closes: string[] = [];
  let built = false;
  const q = new AsyncQueue<number>({
    signal: ac.signal,
    start: () => {
      started++;
    },
    onClose: () => closes.push(built ? 'after the constructor' : 'inside the constructor'),
  });
  built = true;
  assert.equal(started, 0);
  await assert.rejects(q.next(), (e: unknown) => VenueError.is(e, 'closed'));
  assert.deepEqual(await q.next(), { done: true, value: undefined });
  assert.equal(q.push(1), false);
  assert.deepEqual(closes, ['after the constructor']);
});

test('start runs at construction and may push; what it returns stops the producer once, whatever ends the stream', async () => {
  for (const ending of ['return', 'abort', 'end', 'fail'] as const) {
    const ac = new AbortController();
    let stops = 0;
    let closes = 0;
    const q = new AsyncQueue<number>({
      signal: ac.signal,
      start: (queue) => {
        queue.push(1);
        return () => stops++;
      },
      onClose: () => {
        assert.equal(stops, 1, 'the producer stops before onClose');
        closes++;
      },
    });
    assert.deepEqual(await q.next(), { done: false, value: 1 });
    if (ending === 'return') await q.return();
    else if (ending === 'abort') ac.abort();
    else if (ending === 'end') q.end();
    else q.fail(new VenueError('network', 'gone'));
    await q.return();
    ac.abort();
    assert.deepEqual([stops, closes], [1, 1], ending);
  }
});

test('a producer that ends the stream while starting is stopped all the same, after the constructor', async () => {
  let stops = 0;
  let closes = 0;
  const q = new AsyncQueue<number>({
    start: (queue) => {
      queue.fail(new VenueError('invalid-argument', 'refused at once'));
      return () => stops++;
    },
    onClose: () => closes++,
  });
  assert.deepEqual([stops, closes], [0, 0]);
  await assert.rejects(q.next(), (e: unknown) => VenueError.is(e, 'invalid-argument'));
  assert.deepEqual([stops, closes], [1, 1]);
});
