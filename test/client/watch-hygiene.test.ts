/**
 * Error hygiene of watches and events (issue 9, item 5), through a real `binance()` client against the hostile
 * venue of `test/helpers/hostile-venue.ts`: an already-aborted signal, a throwing listener, one signal shared by
 * many watches, and a connection that never opens (refused, or a handshake that never completes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { binance } from '../../src/client/binance.js';
import type { Exchange } from '../../src/client/exchange.js';
import { VenueError } from '../../src/core/errors.js';
import { refusedUrl, startHostileVenue } from '../helpers/hostile-venue.js';
import type { HostileVenue } from '../helpers/hostile-venue.js';
import { waitFor } from '../helpers/wait.js';

const FAST = { initialMs: 10, maxMs: 50, jitter: 'none' } as const;

function client(venue: HostileVenue, extra: Partial<Parameters<typeof binance>[0]> = {}): Exchange {
  return binance({ urls: venue.binanceUrls, segments: ['spot'], clockSync: false, streams: { backoff: FAST }, ...extra });
}

/** Collects process warnings while `run` runs (and a tick after: warnings are emitted on the next tick). */
async function warningsDuring(run: () => Promise<void>): Promise<Error[]> {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);
  process.on('warning', onWarning);
  try {
    await run();
    await tick();
    await tick();
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

test('a watch given an already-aborted signal rejects with closed and subscribes nothing', async () => {
  await using venue = await startHostileVenue();
  await using ex = client(venue, { credentials: { apiKey: 'k', secret: 's' } });
  await ex.loadMarkets();
  const ac = new AbortController();
  ac.abort();
  const watches = [ex.watchTicker('BTC/USDT', { signal: ac.signal }), ex.watchOrderBook('BTC/USDT', { signal: ac.signal }), ex.watchTrades('BTC/USDT', { signal: ac.signal }), ex.watchOrders(undefined, { signal: ac.signal })];
  for (const w of watches) {
    await assert.rejects(w.next(), (e: unknown) => VenueError.is(e, 'closed'));
    assert.deepEqual(await w.next(), { done: true, value: undefined });
    await w.finished;
  }
  await tick();
  assert.deepEqual(ex.connections(), [], 'no connection was made');
  assert.equal(venue.upgrades, 0, 'no WebSocket reached the venue');
  assert.deepEqual(venue.http.requests, ['/api/v3/exchangeInfo'], 'no listenKey, no snapshot');
});

test('a throwing listener is reported as a problem and crashes nothing; a throwing problem listener becomes a warning', async () => {
  await using venue = await startHostileVenue();
  await using ex = client(venue);
  await ex.loadMarkets();
  const problems: Array<{ context: string; error: VenueError }> = [];
  ex.events.on('reconnecting', () => {
    throw new Error('listener bug');
  });
  ex.events.on('problem', (p) => problems.push(p));
  const watch = ex.watchTicker('BTC/USDT');
  await watch.next();
  (venue.sockets[0] as HostileVenue['sockets'][number]).ws.terminate();
  await waitFor(() => venue.sockets.length === 2, 'a reconnect');
  assert.equal((await watch.next()).done, false, 'the watch goes on');
  const reported = problems.find((p) => p.context === "a listener of 'reconnecting' threw");
  assert.ok(reported, JSON.stringify(problems.map((p) => p.context)));
  assert.equal(reported.error.code, 'invalid-argument');
  assert.match(reported.error.message, /listener bug/);

  const warnings = await warningsDuring(async () => {
    ex.events.on('problem', () => {
      throw new Error('problem listener bug');
    });
    (venue.sockets[1] as HostileVenue['sockets'][number]).ws.terminate();
    await waitFor(() => venue.sockets.length === 3, 'another reconnect');
    assert.equal((await watch.next()).done, false);
  });
  assert.ok(warnings.some((w) => /problem listener bug/.test(w.message)), warnings.map((w) => w.message).join('\n'));
  await watch.return?.();
});

test('one signal shared by 50 watches and 50 requests puts no MaxListenersExceededWarning, and ends them all', async () => {
  await using venue = await startHostileVenue();
  await using ex = client(venue);
  await ex.loadMarkets();
  const ac = new AbortController();
  let watches: Array<ReturnType<Exchange['watchTicker']>> = [];
  const warnings = await warningsDuring(async () => {
    watches = Array.from({ length: 50 }, () => ex.watchTicker('BTC/USDT', { signal: ac.signal }));
    const requests = Array.from({ length: 50 }, () => ex.fetchTime({ signal: ac.signal }));
    await Promise.all(requests);
    for (const w of watches) assert.equal((await w.next()).done, false);
    const pending = watches.map((w) => w.next());
    ac.abort();
    for (const p of pending) await assert.rejects(p, (e: unknown) => VenueError.is(e, 'closed'));
  });
  assert.deepEqual(
    warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
    [],
  );
  await Promise.all(watches.map((w) => w.finished));
  await waitFor(() => ex.connections().length === 0, 'the connection dropped with its last topic');
});

test('a refused connection retries visibly, then maxAttempts ends the watch with network', async () => {
  await using venue = await startHostileVenue();
  const refused = await refusedUrl();
  await using ex = binance({
    urls: { ...venue.binanceUrls, spot: { ...venue.binanceUrls.spot, ws: refused } },
    segments: ['spot'],
    clockSync: false,
    streams: { backoff: { initialMs: 40, maxMs: 40, jitter: 'none' } },
  });
  await ex.loadMarkets();
  const attempts: number[] = [];
  ex.events.on('reconnecting', (e) => attempts.push(e.attempt));
  const watch = ex.watchTicker('BTC/USDT', { maxAttempts: 3 });
  const first = watch.next();
  await waitFor(() => (ex.connections()[0]?.failedAttempts ?? 0) >= 1, 'a failed attempt');
  const info = ex.connections()[0];
  assert.ok(info !== undefined);
  assert.ok(info.state === 'reconnecting' || info.state === 'connecting', info.state);
  assert.match(info.lastError ?? '', /ECONNREFUSED/);
  assert.equal(typeof info.downSinceMs, 'number');
  assert.deepEqual(info.topics, ['btcusdt@ticker']);
  await assert.rejects(first, (e: unknown) => VenueError.is(e, 'network') && /3 failed attempt/.test(e.message) && /ECONNREFUSED/.test(e.message));
  assert.ok(attempts.length >= 3);
  await watch.finished;
  await waitFor(() => ex.connections().length === 0, 'no connection kept for nobody');
});

test('a handshake that never completes ends the watch after connectTimeoutMs; the client default applies to every watch', async () => {
  await using venue = await startHostileVenue({ upgrade: () => 'hang' });
  await using ex = client(venue);
  await ex.loadMarkets();
  const watch = ex.watchTicker('BTC/USDT', { connectTimeoutMs: 300 });
  const first = watch.next();
  await waitFor(() => venue.upgrades === 1, 'the upgrade request');
  assert.equal(ex.connections()[0]?.state, 'connecting');
  await assert.rejects(first, (e: unknown) => VenueError.is(e, 'network') && /0 failed attempt\(s\) over \d+ ms/.test(e.message));

  // `streams.maxAttempts` is the default of every watch; handshakes time out after 100 ms here.
  await using strict = client(venue, { streams: { backoff: FAST, maxAttempts: 2, handshakeTimeoutMs: 100 } });
  await strict.loadMarkets();
  const book = strict.watchOrderBook('BTC/USDT');
  await assert.rejects(book.next(), (e: unknown) => VenueError.is(e, 'network') && /2 failed attempt/.test(e.message) && /handshake has timed out/.test(e.message));
  await book.finished;
});

test('bad connect limits and response limits are invalid-argument naming the field, before anything is subscribed', async () => {
  await using venue = await startHostileVenue();
  await using ex = client(venue);
  await ex.loadMarkets();
  for (const bad of [0, -1, 1.5, Number.NaN, '3' as unknown as number]) {
    assert.throws(() => ex.watchTicker('BTC/USDT', { maxAttempts: bad }), (e: unknown) => VenueError.is(e, 'invalid-argument') && /maxAttempts/.test(e.message));
    assert.throws(() => ex.watchOrderBook('BTC/USDT', { connectTimeoutMs: bad === 1.5 ? -1.5 : bad }), (e: unknown) => VenueError.is(e, 'invalid-argument') && /connectTimeoutMs/.test(e.message));
  }
  assert.deepEqual(ex.connections(), []);
  assert.throws(() => client(venue, { streams: { connectTimeoutMs: Number.POSITIVE_INFINITY } }), (e: unknown) => VenueError.is(e, 'invalid-argument') && /streams\.connectTimeoutMs/.test(e.message));
  assert.throws(() => client(venue, { maxResponseBytes: 0 }), (e: unknown) => VenueError.is(e, 'invalid-argument') && /maxResponseBytes/.test(e.message));
});
