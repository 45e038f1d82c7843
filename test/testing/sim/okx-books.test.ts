/** The OKX `books` channel: the 400-level window diff property, checksums, heartbeats, the REST-snapshot procedure and the OKX sequence faults. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Decimal, formatScaled } from '../../../src/core/decimal.js';
import type { Market } from '../../../src/testing/sim/market.js';
import { Rng } from '../../../src/testing/sim/rng.js';
import type { OkxFrontEnd } from '../../../src/testing/sim/okx/okx-front-end.js';
import { fixtureLines, waitFor } from '../../helpers/wait.js';
import { item, okxChecksum, OkxLocalBook, OkxProbe, startOkx } from './okx-helpers.js';

/** Asserts the local book equals the market's true top 400 of `symbol`, level by level, exactly. */
function assertTop400(market: Market, symbol: string, local: OkxLocalBook): void {
  const inst = market.instrument(symbol);
  const truth = market.snapshot(symbol, 400);
  for (const side of ['bids', 'asks'] as const) {
    const mine = local.sorted(side);
    assert.equal(mine.length, truth[side].length, `${side} length`);
    truth[side].forEach(([p, q], i) => {
      const [lp, lq] = mine[i] as [string, string];
      assert.ok(Decimal.from(lp).eq(formatScaled(p, inst.priceScale)) && Decimal.from(lq).eq(formatScaled(q, inst.qtyScale)), `${side}[${i}] ${lp} ${lq} vs ${p} ${q}`);
    });
  }
}

/** Subscribes to `books` and returns the probe and a function that applies every push received so far. */
async function booksClient(fe: OkxFrontEnd, instId: string): Promise<{ probe: OkxProbe; local: OkxLocalBook; drain(): number }> {
  const probe = await new OkxProbe(fe.endpoints.public).opened();
  probe.subscribe([{ channel: 'books', instId }]);
  await probe.next((f) => f['action'] === 'snapshot', 'snapshot');
  const local = new OkxLocalBook();
  let consumed = 0;
  const drain = (): number => {
    const pushes = probe.pushes('books', instId);
    for (; consumed < pushes.length; consumed++) local.apply(pushes[consumed] as Record<string, unknown>);
    return consumed;
  };
  return { probe, local, drain };
}

/** Flushes `books` and waits until the probe holds the push with the window's current seqId. */
async function flushAndWait(fe: OkxFrontEnd, probe: OkxProbe, instId: string): Promise<void> {
  fe.streams.flushBooks();
  const target = fe.streams.feed(fe.instrument(instId)).windowSeqId;
  await waitFor(() => probe.pushes('books', instId).some((f) => item(f)['seqId'] === target), `books seqId ${target}`);
}

describe('okx books window', () => {
  test('a client applying the snapshot and every update holds exactly the market top 400, over many random steps and sweeps', async () => {
    const { market, fe } = await startOkx();
    const { probe, local, drain } = await booksClient(fe, 'BTC-USDT');
    try {
      const rng = new Rng('okx-window');
      for (let round = 0; round < 60; round++) {
        market.step(1 + rng.int(0, 15), 'BTC/USDT');
        // Sweeps take whole levels: levels below the window enter it as inserts.
        if (round % 7 === 3) market.executeTaker('BTC/USDT', rng.chance(0.5) ? 'buy' : 'sell', 40 * market.instrument('BTC/USDT').typicalQtyUnits);
        await flushAndWait(fe, probe, 'BTC-USDT');
        drain();
        assertTop400(market, 'BTC/USDT', local);
      }
      assert.ok(local.applied >= 60);
      assert.equal(market.listenerErrors, 0);
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });

  test('the reference checksum matches every real recorded books message (sanity check of the test itself)', () => {
    const local = new OkxLocalBook();
    let seq = 0;
    for (const line of fixtureLines('okx/ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl')) {
      const frame = JSON.parse(line) as Record<string, unknown>;
      const d = item(frame);
      // The 2022 recording predates seqId: number the messages to drive the applier.
      d['prevSeqId'] = frame['action'] === 'snapshot' ? -1 : seq;
      d['seqId'] = ++seq;
      local.apply(frame);
      assert.equal(local.checksum(), d['checksum']);
    }
  });

  test('with okxChecksums every books message carries the CRC32 of the top 25 levels as computed independently', async () => {
    const { market, fe } = await startOkx({ okxChecksums: true });
    const { probe, local, drain } = await booksClient(fe, 'BTC-USDT-SWAP');
    try {
      for (let round = 0; round < 15; round++) {
        market.step(3, 'BTC/USDT:USDT');
        await flushAndWait(fe, probe, 'BTC-USDT-SWAP');
      }
      const pushes = probe.pushes('books', 'BTC-USDT-SWAP');
      const replay = new OkxLocalBook();
      for (const f of pushes) {
        replay.apply(f);
        assert.notEqual(item(f)['checksum'], 0);
        assert.equal(item(f)['checksum'], replay.checksum());
      }
      drain();
      assert.equal(local.checksum(), okxChecksum(local.sorted('bids'), local.sorted('asks')));
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });

  test('sends a heartbeat update (empty sides, prevSeqId == seqId) when nothing changed for the heartbeat period', async () => {
    const { market, fe } = await startOkx({ heartbeatMs: 30, booksIntervalMs: 10 });
    const { probe } = await booksClient(fe, 'BTC-USDT');
    try {
      const hb = await probe.next((f) => f['action'] === 'update', 'heartbeat');
      const d = item(hb);
      assert.deepEqual([d['bids'], d['asks']], [[], []]);
      assert.equal(d['prevSeqId'], d['seqId']);
      assert.equal(d['seqId'], item(probe.pushes('books')[0] as Record<string, unknown>)['seqId']);
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });

  test('without the initial snapshot, the documented REST procedure (seqId from /market/books) gives the exact top 400', async () => {
    const { market, fe } = await startOkx({ noInitialSnapshot: true });
    const probe = await new OkxProbe(fe.endpoints.public).opened();
    try {
      probe.subscribe([{ channel: 'books', instId: 'BTC-USDT' }]);
      await probe.next((f) => f['event'] === 'subscribe', 'ack');
      market.step(4, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      assert.equal(probe.pushes('books')[0]?.['action'], 'update', 'the first push is an update');
      market.step(4, 'BTC/USDT');
      const res = (await (await fetch(`${fe.endpoints.rest}/api/v5/market/books?instId=BTC-USDT&sz=400&source=0`)).json()) as { data: Array<Record<string, unknown>> };
      const snap = res.data[0] as Record<string, unknown>;
      const firstPrev = item(probe.pushes('books')[0] as Record<string, unknown>)['prevSeqId'] as number;
      assert.ok((snap['seqId'] as number) >= firstPrev);
      market.step(4, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      const local = new OkxLocalBook();
      local.loadSnapshot(snap);
      const kept = probe.pushes('books').filter((f) => (item(f)['seqId'] as number) > (snap['seqId'] as number));
      const first = item(kept[0] as Record<string, unknown>);
      assert.ok((first['prevSeqId'] as number) <= (snap['seqId'] as number) && (snap['seqId'] as number) < (first['seqId'] as number));
      for (const f of kept) local.apply(f);
      assertTop400(market, 'BTC/USDT', local);
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });
});

describe('okx books faults', () => {
  test('a gap skips one update: the next prevSeqId no longer matches the last seqId', async () => {
    const { market, faults, fe } = await startOkx();
    const { probe, local, drain } = await booksClient(fe, 'BTC-USDT');
    try {
      faults.gap('BTC/USDT');
      market.step(3, 'BTC/USDT');
      fe.streams.flushBooks();
      market.step(3, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      assert.throws(() => drain(), /prevSeqId/);
      assert.equal(faults.state().applied['gap-applied'], 1);
      assert.equal(local.applied, 0);
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });

  test('prevSeqId break: the next update carries a prevSeqId that is not the last seqId, the content stays right', async () => {
    const { market, fe } = await startOkx();
    const { probe, local, drain } = await booksClient(fe, 'BTC-USDT');
    try {
      fe.applyFault({ type: 'okx-prev-seq-break', symbol: 'BTC/USDT' });
      market.step(3, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      assert.throws(() => drain(), /prevSeqId/);
      const broken = probe.pushes('books').at(-1) as Record<string, unknown>;
      assert.notEqual(item(broken)['prevSeqId'], local.seqId);
      market.step(3, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      assert.equal(item(probe.pushes('books').at(-1) as Record<string, unknown>)['prevSeqId'], item(broken)['seqId'], 'chained again afterwards');
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });

  test('checksum mismatch: the next update carries a wrong non-zero checksum, later ones are right again', async () => {
    const { market, fe } = await startOkx({ okxChecksums: true });
    const { probe, local, drain } = await booksClient(fe, 'BTC-USDT');
    try {
      fe.applyFault({ type: 'okx-bad-checksum', symbol: 'BTC-USDT' });
      market.step(3, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      drain();
      const bad = item(probe.pushes('books').at(-1) as Record<string, unknown>)['checksum'];
      assert.notEqual(bad, 0);
      assert.notEqual(bad, local.checksum());
      market.step(3, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      drain();
      assert.equal(item(probe.pushes('books').at(-1) as Record<string, unknown>)['checksum'], local.checksum());
      assertTop400(market, 'BTC/USDT', local);
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });

  test('sequence reset: an update with seqId < prevSeqId, chained normally afterwards, keeps the book right', async () => {
    const { market, fe } = await startOkx();
    const { probe, local, drain } = await booksClient(fe, 'BTC-USDT');
    try {
      fe.applyFault({ type: 'okx-sequence-reset', symbol: 'BTC/USDT' });
      market.step(3, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      const reset = item(probe.pushes('books').at(-1) as Record<string, unknown>);
      assert.ok((reset['seqId'] as number) < (reset['prevSeqId'] as number));
      market.step(3, 'BTC/USDT');
      await flushAndWait(fe, probe, 'BTC-USDT');
      drain();
      assert.equal(local.seqId, item(probe.pushes('books').at(-1) as Record<string, unknown>)['seqId']);
      assertTop400(market, 'BTC/USDT', local);
    } finally {
      probe.close();
      market.close();
      await fe.close();
    }
  });
});
