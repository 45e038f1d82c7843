/**
 * Limits on what a venue can make the client hold or do (issue 9, item 4), through a real `binance()` client
 * against the hostile venue of `test/helpers/hostile-venue.ts`: oversize WebSocket frames, huge HTTP bodies,
 * ping floods and deep-nested JSON. Every hostile payload is a real recorded or documented one, mutated as
 * each test says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import type { Exchange } from '../../src/client/exchange.js';
import { VenueError } from '../../src/core/errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../src/core/http/http-client.js';
import { MAX_STREAM_FRAME_BYTES } from '../../src/exchanges/binance/config.js';
import { EXCHANGE_INFO, deepJson, startHostileVenue, tickerEvent } from '../helpers/hostile-venue.js';
import type { HostileVenue } from '../helpers/hostile-venue.js';
import { waitFor } from '../helpers/wait.js';

const FAST = { initialMs: 10, maxMs: 50, jitter: 'none' } as const;

function client(venue: HostileVenue, extra: Partial<Parameters<typeof binance>[0]> = {}): Exchange {
  return binance({ urls: venue.binanceUrls, segments: ['spot'], clockSync: false, streams: { backoff: FAST }, ...extra });
}

/** Fails (instead of hanging) when `p` has not settled within `ms`: a deadline, never a speed assertion. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

test('an oversize frame is refused from its header: the socket closes, a decode problem is counted, the watch goes on after a reconnect', async () => {
  await using venue = await startHostileVenue();
  await using ex = client(venue);
  const problems: VenueError[] = [];
  ex.events.on('problem', (e) => problems.push(e.error));
  let reconnected = 0;
  ex.events.on('reconnected', () => reconnected++);
  await ex.loadMarkets();
  const watch = ex.watchTicker('BTC/USDT');
  assert.equal((await watch.next()).done, false);
  // The real ticker frame, mutated: padded with 20 MB of JSON whitespace (valid JSON for a client that buffers it).
  const frame = JSON.stringify({ stream: 'btcusdt@ticker', data: tickerEvent('BTCUSDT') });
  const total = 20_000_000;
  const written = await (venue.sockets[0] as HostileVenue['sockets'][number]).sendOversize(frame, total);
  assert.ok(written < total, `the client stopped reading: ${written} of ${total} bytes could be written`);
  const next = await within(watch.next(), 10_000, 'a ticker after the reconnect');
  assert.equal(next.done, false);
  assert.equal(venue.sockets.length, 2, 'one new socket');
  assert.equal(reconnected, 1);
  const refused = problems.filter((e) => e.code === 'decode' && e.message.includes(`larger than ${MAX_STREAM_FRAME_BYTES} bytes`));
  assert.equal(refused.length, 1, problems.map((e) => e.message).join('\n'));
  assert.equal(ex.connections()[0]?.oversizeFrames, 1);
  await watch.return?.();
});

test('a response body beyond the limit is decode: reading stops and the socket is destroyed', async () => {
  // The recorded exchangeInfo, mutated: followed by 64 MiB of JSON whitespace, chunked (no length announced).
  const endless = 64 * 1024 * 1024;
  await using venue = await startHostileVenue({ http: { '/api/v3/exchangeInfo': { stream: { prefix: EXCHANGE_INFO, totalBytes: endless } } } });
  await using ex = client(venue);
  await assert.rejects(ex.loadMarkets(), (e: unknown) => VenueError.is(e, 'decode') && e.message.includes(`${DEFAULT_MAX_RESPONSE_BYTES}-byte limit`));
  await waitFor(() => venue.http.written.get('/api/v3/exchangeInfo') !== undefined, 'the server side');
  const written = venue.http.written.get('/api/v3/exchangeInfo') as number;
  assert.ok(written < endless, `the client hung up: ${written} of ${endless} bytes could be written`);
  assert.deepEqual(venue.http.requests, ['/api/v3/exchangeInfo'], 'a decode error is not retried');
});

test('a body announced beyond the limit is refused before reading it, and the limit is an option', async () => {
  // The recorded exchangeInfo, announced as 1 GB (content-length) and then trickled.
  await using venue = await startHostileVenue({ http: { '/api/v3/exchangeInfo': { stream: { prefix: EXCHANGE_INFO, totalBytes: 1024 ** 3, declareLength: true } } } });
  await using ex = client(venue);
  await assert.rejects(ex.loadMarkets(), (e: unknown) => VenueError.is(e, 'decode') && /of 1073741824 bytes exceeds/.test(e.message));

  // The unmodified recorded exchangeInfo (1.86 MB): fine by default, refused under a 1 MB limit.
  await using plain = await startHostileVenue();
  await using small = client(plain, { maxResponseBytes: 1_000_000 });
  await assert.rejects(small.loadMarkets(), (e: unknown) => VenueError.is(e, 'decode'));
  await using roomy = client(plain);
  assert.ok(Object.keys(await roomy.loadMarkets()).length > 1000);
});

test('10,000 pings cost a few coalesced pongs, answered with the newest payload; a new watch subscribes and gets its ticker', async () => {
  await using venue = await startHostileVenue();
  await using ex = client(venue);
  await ex.loadMarkets();
  const first = ex.watchTicker('BTC/USDT');
  await first.next();
  const socket = venue.sockets[0] as HostileVenue['sockets'][number];
  socket.pingFlood(10_000);
  // A real ticker behind the pings: once the watch sees it, the client has processed every ping.
  socket.sendStream('btcusdt@ticker', tickerEvent('BTCUSDT'));
  await within(first.next(), 10_000, 'the ticker behind the flood');
  const received = socket.received;
  await waitFor(() => received.some((r) => r.kind === 'pong' && r.data === 'p9999'), 'the newest ping answered', 5000);
  const burstPongs = received.filter((r) => r.kind === 'pong');
  // Binance spot allows 5 messages/s: the free slots answer the first pings at once, the rest is one pong.
  assert.ok(burstPongs.length <= 6, `${burstPongs.length} pongs for 10,000 pings`);
  assert.equal(burstPongs.at(-1)?.data, 'p9999', 'the last pong answers the most recent ping');

  // Then a sustained flood (a ping every 2 ms, more than the 5/s the client may send) while a new watch subscribes.
  const stop = socket.pingEvery(2);
  try {
    const second = ex.watchTicker('ETH/BTC');
    const got = await within(second.next(), 10_000, 'the new watch under a ping flood');
    assert.equal(got.done, false);
    assert.equal(got.value?.symbol, 'ETH/BTC');
    await second.return?.();
  } finally {
    stop();
  }
  const subscribeAt = received.findIndex((r) => r.kind === 'text' && r.data.includes('ethbtc@ticker'));
  const pongsAhead = received.slice(burstPongs.length + 1, subscribeAt).filter((r) => r.kind === 'pong').length;
  // A pong overtakes a waiting frame at most once per one-second window: the SUBSCRIBE went in the next slot or so.
  assert.ok(pongsAhead <= 2, `${pongsAhead} pongs went out ahead of the SUBSCRIBE`);
  await first.return?.();
});

test('10,000-deep JSON is decode, from REST and from the stream, and the stream goes on', async () => {
  // The recorded exchangeInfo, mutated: its `exchangeFilters` array nested 10,000 deep.
  const deepInfo = EXCHANGE_INFO.replace(/"exchangeFilters":\s*\[\]/, `"exchangeFilters": ${deepJson(10_000)}`);
  assert.notEqual(deepInfo, EXCHANGE_INFO);
  await using deepRest = await startHostileVenue({ http: { '/api/v3/exchangeInfo': { json: deepInfo } } });
  await using ex = client(deepRest);
  await assert.rejects(ex.loadMarkets(), (e: unknown) => VenueError.is(e, 'decode') && /nested deeper/.test(e.message));

  await using venue = await startHostileVenue();
  await using ws = client(venue);
  const problems: VenueError[] = [];
  ws.events.on('problem', (e) => problems.push(e.error));
  await ws.loadMarkets();
  const watch = ws.watchTicker('BTC/USDT');
  await watch.next();
  const socket = venue.sockets[0] as HostileVenue['sockets'][number];
  // The documented ticker event, mutated: its `p` field replaced by arrays nested 10,000 deep.
  socket.ws.send(`{"stream":"btcusdt@ticker","data":${JSON.stringify(tickerEvent('BTCUSDT')).replace(/"p":"[^"]*"/, `"p":${deepJson(10_000)}`)}}`);
  socket.sendStream('btcusdt@ticker', tickerEvent('BTCUSDT'));
  assert.equal((await within(watch.next(), 10_000, 'the ticker after the deep frame')).done, false);
  assert.ok(problems.some((e) => e.code === 'decode' && /nested deeper/.test(e.message)), problems.map((e) => e.message).join('\n'));
  assert.equal(venue.sockets.length, 1, 'a bad frame does not cost the connection');
  await watch.return?.();
});
