import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { ManagedConnection } from '../../../src/core/ws/connection.js';
import type { ManagedConnectionOptions } from '../../../src/core/ws/connection.js';
import { waitFor } from '../../helpers/wait.js';

async function withServer(onConnection: (ws: WebSocket, index: number) => void, run: (url: string, server: WebSocketServer) => Promise<void>): Promise<void> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', r));
  let n = 0;
  server.on('connection', (ws) => onConnection(ws, n++));
  const { port } = server.address() as AddressInfo;
  try {
    await run(`ws://127.0.0.1:${port}/stream`, server);
  } finally {
    for (const c of server.clients) c.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const base = (url: string, extra: Partial<ManagedConnectionOptions> = {}): ManagedConnectionOptions => ({
  url,
  sink: () => undefined,
  heartbeat: { staleAfterMs: 10_000 },
  maxOutgoingPerSecond: 50,
  maxFrameBytes: 1 << 20,
  backoff: { initialMs: 10, maxMs: 100, jitter: 'none' },
  ...extra,
});

test('delivers text frames to the sink and moves through explicit states', async () => {
  await withServer(
    (ws) => ws.send('{"hello":1}'),
    async (url) => {
      const got: string[] = [];
      const states: string[] = [];
      const conn = new ManagedConnection(base(url, { sink: (t) => got.push(t) }));
      conn.events.on('state', ({ state }) => states.push(state));
      await conn.opened();
      await waitFor(() => got.length === 1, 'the frame');
      assert.deepEqual(got, ['{"hello":1}']);
      await conn.close();
      assert.deepEqual(states, ['connecting', 'open', 'closing', 'closed']);
      assert.equal(conn.send('x'), false, 'nothing is sent once closed');
    },
  );
});

test('sends the client ping frame on its interval', async () => {
  const received: string[] = [];
  await withServer(
    (ws) => ws.on('message', (d: Buffer) => received.push(d.toString())),
    async (url) => {
      await using conn = new ManagedConnection(base(url, { heartbeat: { staleAfterMs: 10_000, clientPing: { frame: () => '{"op":"ping"}', intervalMs: 30 } } }));
      await conn.opened();
      await waitFor(() => received.length >= 3, 'three pings');
      assert.ok(received.every((r) => r === '{"op":"ping"}'));
    },
  );
});

test('answers server protocol pings with the same payload', async () => {
  const pongs: string[] = [];
  await withServer(
    (ws) => {
      ws.on('pong', (d: Buffer) => pongs.push(d.toString()));
      ws.ping('payload-123');
    },
    async (url) => {
      await using conn = new ManagedConnection(base(url));
      await conn.opened();
      await waitFor(() => pongs.length === 1, 'the pong');
      assert.deepEqual(pongs, ['payload-123']);
    },
  );
});

test('reconnects when nothing arrives for staleAfterMs', async () => {
  let connections = 0;
  await withServer(
    () => connections++, // accepts, then stays silent
    async (url) => {
      await using conn = new ManagedConnection(base(url, { heartbeat: { staleAfterMs: 120 } }));
      const reasons: string[] = [];
      const problems: string[] = [];
      conn.events.on('problem', ({ error }) => problems.push(error.code));
      conn.events.on('reconnecting', ({ reason }) => reasons.push(reason));
      let reconnected = 0;
      conn.events.on('reconnected', () => reconnected++);
      await conn.opened();
      await waitFor(() => reconnected >= 1 && connections >= 2, 'a reconnect');
      assert.ok(problems.includes('timeout'));
      assert.equal(conn.state, 'open');
    },
  );
});

test('waits longer before each attempt while the server keeps dropping it', async () => {
  await withServer(
    (ws) => ws.terminate(),
    async (url) => {
      await using conn = new ManagedConnection(base(url, { backoff: { initialMs: 10, maxMs: 1000, factor: 2, jitter: 'none', resetAfterMs: 10_000 } }));
      const delays: number[] = [];
      conn.events.on('reconnecting', ({ delayMs }) => delays.push(delayMs));
      conn.start();
      await waitFor(() => delays.length >= 4, 'four attempts');
      assert.deepEqual(delays.slice(0, 4), [10, 20, 40, 80]);
    },
  );
});

test('never sends more than maxOutgoingPerSecond in any second, as the server measures it', async () => {
  const arrivals: number[] = [];
  await withServer(
    (ws) => ws.on('message', () => arrivals.push(Date.now())),
    async (url) => {
      await using conn = new ManagedConnection(base(url, { maxOutgoingPerSecond: 5 }));
      await conn.opened();
      for (let i = 0; i < 11; i++) assert.ok(conn.send(`{"id":${i}}`));
      assert.ok(conn.queued > 0, 'the burst is paced, not written at once');
      await waitFor(() => arrivals.length === 11, 'all frames', 5000);
      for (let i = 5; i < arrivals.length; i++) assert.ok((arrivals[i] as number) - (arrivals[i - 5] as number) >= 1000, `frames ${i - 5}..${i} within one second`);
    },
  );
});

test('stops reconnecting once closed', async () => {
  const byPath = new Map<string, number>();
  await withServer(
    () => undefined,
    async (url, server) => {
      server.removeAllListeners('connection');
      server.on('connection', (ws, req) => {
        byPath.set(req.url ?? '', (byPath.get(req.url ?? '') ?? 0) + 1);
        ws.close();
      });
      const backoff = { initialMs: 30, maxMs: 30, jitter: 'none' as const };
      const closed = new ManagedConnection(base(`${url}/closed`, { backoff }));
      let attempts = 0;
      closed.events.on('reconnecting', () => attempts++);
      closed.start();
      await waitFor(() => attempts >= 1, 'the first drop');
      await closed.close();
      const seen = byPath.get('/stream/closed');
      // A witness with the same backoff keeps reconnecting meanwhile: three of its drops outlast any pending retry.
      await using witness = new ManagedConnection(base(`${url}/witness`, { backoff }));
      witness.start();
      await waitFor(() => (byPath.get('/stream/witness') ?? 0) >= 3, 'three witness connections');
      assert.equal(byPath.get('/stream/closed'), seen);
      assert.equal(closed.state, 'closed');
    },
  );
});

test('under a sustained ping flood pongs and text frames take turns, and each pong answers the newest ping', async () => {
  const got: Array<{ kind: 'pong' | 'text'; data: string }> = [];
  let flood: ReturnType<typeof setInterval> | undefined;
  await withServer(
    (ws) => {
      ws.on('pong', (d: Buffer) => got.push({ kind: 'pong', data: d.toString() }));
      ws.on('message', (d: Buffer) => got.push({ kind: 'text', data: d.toString() }));
      let i = 0;
      flood = setInterval(() => ws.ping(`n${i++}`), 3);
    },
    async (url) => {
      // One message per second: every slot has a pong waiting, so a pong-first order would never send a frame.
      await using conn = new ManagedConnection(base(url, { maxOutgoingPerSecond: 1, pacingMarginMs: 0 }));
      await conn.opened();
      assert.ok(conn.send('{"id":1}'));
      assert.ok(conn.send('{"id":2}'));
      await waitFor(() => got.filter((g) => g.kind === 'text').length === 2, 'both frames', 8000);
      clearInterval(flood);
      const lastText = got.findLastIndex((g) => g.kind === 'text');
      for (let i = 1; i <= lastText; i++) assert.ok(!(got[i - 1]?.kind === 'pong' && got[i]?.kind === 'pong'), `two pongs in a row while frames waited: ${JSON.stringify(got)}`);
      const pongs = got.filter((g) => g.kind === 'pong').map((g) => Number(g.data.slice(1)));
      assert.ok(pongs.every((n, i) => i === 0 || n > (pongs[i - 1] as number) + 1), `pongs skip the pings made stale by newer ones: ${pongs.join(',')}`);
      assert.equal(conn.pongsSent, pongs.length);
    },
  );
  clearInterval(flood);
});

test('a frame above maxFrameBytes is refused from its header: decode problem, counted, reconnect', async () => {
  let connections = 0;
  await withServer(
    (ws, index) => {
      connections++;
      ws.send(index === 0 ? `{"pad":"${'x'.repeat(2048)}"}` : '{"small":1}');
    },
    async (url) => {
      const frames: string[] = [];
      await using conn = new ManagedConnection(base(url, { maxFrameBytes: 1024, sink: (t) => frames.push(t) }));
      const problems: Array<{ code: string; message: string }> = [];
      conn.events.on('problem', ({ error }) => problems.push(error));
      const reasons: string[] = [];
      conn.events.on('reconnecting', ({ reason }) => reasons.push(reason));
      conn.start();
      await waitFor(() => frames.length === 1, 'the small frame on the second socket');
      assert.deepEqual(frames, ['{"small":1}']);
      assert.equal(conn.oversizeFrames, 1);
      assert.equal(connections, 2);
      assert.ok(problems.some((p) => p.code === 'decode' && /larger than 1024 bytes/.test(p.message)));
      assert.deepEqual(reasons, ['a frame larger than 1024 bytes']);
    },
  );
});

test('an outbox past maxQueuedFrames recycles the socket instead of queueing minutes of frames', async () => {
  let connections = 0;
  await withServer(
    () => connections++,
    async (url) => {
      await using conn = new ManagedConnection(base(url, { maxOutgoingPerSecond: 1, maxQueuedFrames: 3 }));
      const problems: string[] = [];
      conn.events.on('problem', ({ error }) => problems.push(error.code));
      await conn.opened();
      const accepted = [1, 2, 3, 4, 5].map((i) => conn.send(`{"id":${i}}`));
      // The first goes out at once, three wait, the fifth finds the outbox full.
      assert.deepEqual(accepted, [true, true, true, true, false]);
      assert.deepEqual(problems, ['rate-limited']);
      await waitFor(() => connections === 2 && conn.state === 'open', 'a fresh socket');
      assert.equal(conn.queued, 0, 'nothing carried over');
    },
  );
});

test('counts failed attempts and keeps the last reason while it cannot connect', async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  await using conn = new ManagedConnection(base(`ws://127.0.0.1:${port}/refused`));
  const before = Date.now();
  conn.start();
  await waitFor(() => conn.failedAttempts >= 3, 'three failed attempts');
  assert.match(conn.lastError ?? '', /ECONNREFUSED/);
  assert.ok(conn.state === 'reconnecting' || conn.state === 'connecting');
  assert.ok((conn.downSinceMs as number) >= before - 1);
});
