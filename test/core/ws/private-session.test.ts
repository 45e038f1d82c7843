import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { VenueError } from '../../../src/core/errors.js';
import { PrivateSession } from '../../../src/core/ws/private-session.js';
import type { PrivateSessionOptions } from '../../../src/core/ws/private-session.js';
import type { PrivateEvent, PrivateInbound, PrivateStreamDialect } from '../../../src/core/trading.js';
import type { RestRequest } from '../../../src/core/venue.js';
import { waitFor } from '../../helpers/wait.js';

// A toy private protocol: "LOGIN <key> <ts>" → "OK" | "DENY"; "SUB <n>" → "SUBBED"; "EV <json>" events; "BYE" = expired;
// "NOTE" = a venue error that leaves the stream whole; "ENDED" = the venue ended the subscription (the socket stays open).
async function withServer(onConnection: (ws: WebSocket, url: string) => void, run: (base: string, server: WebSocketServer) => Promise<void>): Promise<void> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', r));
  server.on('connection', (ws, req) => onConnection(ws, req.url ?? '/'));
  const { port } = server.address() as AddressInfo;
  try {
    await run(`ws://127.0.0.1:${port}`, server);
  } finally {
    for (const c of server.clients) c.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

function dialect(base: string, opts: { prepare?: boolean; subscribeFrames?: number } = {}): PrivateStreamDialect {
  const prepReq: RestRequest = { method: 'POST', api: 'x', path: '/token', signed: true, costs: [] };
  return {
    connections: ['private'],
    ...(opts.prepare === true ? { prepare: () => ({ request: prepReq, parse: (b: unknown) => String((b as { token: string }).token) }) } : {}),
    url: (_c, token) => (token === undefined ? `${base}/private` : `${base}/private?token=${token}`),
    loginFrames: (_c, cred, ts) => (opts.prepare === true ? [] : [`LOGIN ${cred.apiKey} ${ts}`]),
    subscribeFrames: (_c, nextId) => Array.from({ length: opts.subscribeFrames ?? 1 }, () => `SUB ${nextId()}`),
    decode: (t) => {
      if (t.startsWith('\u0000')) throw new VenueError('decode', 'malformed frame');
      return t;
    },
    classify: (_c, frame): PrivateInbound => {
      const t = String(frame);
      if (t === 'OK') return { role: 'login-ack' };
      if (t === 'DENY') return { role: 'login-ack', error: new VenueError('auth', 'bad key') };
      if (t === 'SUBBED') return { role: 'subscribe-ack' };
      if (t === 'BYE') return { role: 'expired' };
      if (t === 'HELLO') return { role: 'ignore' };
      if (t === 'NOTE') return { role: 'error', error: new VenueError('rejected', 'a venue notice') };
      if (t === 'ENDED') return { role: 'unsubscribed', error: new VenueError('rejected', 'too many connections subscribe to orders') };
      if (t.startsWith('EV ')) return { role: 'event', payload: t.slice(3) };
      return { role: 'unknown', reason: `no known frame ${JSON.stringify(t.slice(0, 10))}` };
    },
    heartbeat: () => ({ staleAfterMs: 10_000 }),
    maxOutgoingPerSecond: () => 50,
    maxFrameBytes: () => 1 << 20,
    parseEvents: (_c, payload): PrivateEvent[] => {
      const o = JSON.parse(String(payload)) as { n: number };
      if (typeof o.n !== 'number') throw new VenueError('decode', 'n missing');
      return [{ kind: 'fill', fill: { venue: 'binance', symbol: 'X/Y', tradeId: String(o.n), side: 'buy', price: undefined as never, amount: undefined as never, exchangeTime: 0, receivedAt: 0 } }];
    },
  };
}

function options(d: PrivateStreamDialect, extra: Partial<PrivateSessionOptions> = {}): PrivateSessionOptions & { got: string[] } {
  const got: string[] = [];
  return {
    dialect: d,
    connection: 'private',
    credentials: { apiKey: 'k1', secret: 's1' },
    now: () => 1_700_000_000_000,
    request: async () => ({ body: { token: 't1' } }),
    resolve: () => undefined,
    onEvents: (events) => {
      for (const e of events) if (e.kind === 'fill') got.push(e.fill.tradeId);
    },
    backoff: { initialMs: 10, maxMs: 50, jitter: 'none' },
    answerTimeoutMs: 2_000,
    got,
    ...extra,
  };
}

test('logs in, subscribes, then delivers events; a reconnect logs in again and says so', async () => {
  const logins: string[] = [];
  await withServer(
    (ws) => {
      ws.on('message', (d) => {
        const t = d.toString();
        if (t.startsWith('LOGIN ')) {
          logins.push(t);
          ws.send('EV {"n":0}'); // before the login answer: not an answer, still an event
          ws.send('OK');
        } else if (t.startsWith('SUB ')) {
          ws.send('SUBBED');
          ws.send(`EV {"n":${logins.length}}`);
        }
      });
    },
    async (base, server) => {
      const o = options(dialect(base, { subscribeFrames: 2 }));
      const s = new PrivateSession(o);
      const ready: boolean[] = [];
      s.events.on('ready', (e) => ready.push(e.reconnect));
      const downs: string[] = [];
      s.events.on('down', (e) => downs.push(e.reason));
      await s.ready();
      assert.equal(s.state, 'ready');
      assert.deepEqual(logins, ['LOGIN k1 1700000000000']);
      await waitFor(() => o.got.includes('1'));
      for (const c of server.clients) c.terminate();
      await waitFor(() => ready.length === 2);
      assert.deepEqual(ready, [false, true]);
      assert.equal(downs.length, 1);
      assert.equal(logins.length, 2);
      await waitFor(() => o.got.includes('2'));
      await s.close();
      assert.equal(s.state, 'closed');
    },
  );
});

test('a refused login ends the session with an auth error and does not retry', async () => {
  let attempts = 0;
  await withServer(
    (ws) =>
      ws.on('message', () => {
        attempts++;
        ws.send('DENY');
      }),
    async (base) => {
      const s = new PrivateSession(options(dialect(base)));
      await assert.rejects(s.ready(), (err: unknown) => err instanceof VenueError && err.code === 'auth');
      assert.equal(s.state, 'failed');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(attempts, 1);
      await s.close();
    },
  );
});

test('a frame that cannot be read is a problem, and the stream goes on', async () => {
  await withServer(
    (ws) =>
      ws.on('message', (d) => {
        if (d.toString().startsWith('LOGIN')) ws.send('OK');
        else {
          ws.send('SUBBED');
          ws.send('EV {"n":"x"}');
          ws.send('EV not json');
          ws.send('EV {"n":7}');
        }
      }),
    async (base) => {
      const o = options(dialect(base));
      const s = new PrivateSession(o);
      const problems: string[] = [];
      s.events.on('problem', (e) => problems.push(e.error.code));
      await s.ready();
      await waitFor(() => o.got.includes('7'));
      assert.equal(problems.length, 2);
      await s.close();
    },
  );
});

test('a stream the venue ends is prepared anew (a new token) and reconnected', async () => {
  const urls: string[] = [];
  let tokens = 0;
  await withServer(
    (ws, url) => {
      urls.push(url);
      ws.on('message', (d) => {
        if (d.toString().startsWith('SUB')) {
          ws.send('SUBBED');
          if (urls.length === 1) setTimeout(() => ws.send('BYE'), 20);
        }
      });
    },
    async (base) => {
      const o = options(dialect(base, { prepare: true }), { request: async () => ({ body: { token: `t${++tokens}` } }) });
      const s = new PrivateSession(o);
      const ready: boolean[] = [];
      s.events.on('ready', (e) => ready.push(e.reconnect));
      await s.ready();
      await waitFor(() => ready.length === 2);
      assert.deepEqual(urls, ['/private?token=t1', '/private?token=t2']);
      assert.deepEqual(ready, [false, true]);
      await s.close();
    },
  );
});

test('a venue that never answers the login gets the connection recycled', async () => {
  let connections = 0;
  await withServer(
    (ws) => {
      connections++;
      ws.on('message', (d) => {
        if (connections >= 2 && d.toString().startsWith('LOGIN')) ws.send('OK');
        if (d.toString().startsWith('SUB')) ws.send('SUBBED');
      });
    },
    async (base) => {
      const s = new PrivateSession(options(dialect(base), { answerTimeoutMs: 150 }));
      const problems: string[] = [];
      s.events.on('problem', (e) => problems.push(e.error.code));
      await s.ready();
      assert.equal(connections, 2);
      assert.ok(problems.includes('timeout'));
      await s.close();
    },
  );
});

test('every frame it skips is counted and reported: undecodable, unknown; a venue error outside any step is reported too', async () => {
  await withServer(
    (ws) =>
      ws.on('message', (d) => {
        if (d.toString().startsWith('LOGIN')) return ws.send('OK');
        ws.send('SUBBED');
        // A documented greeting (ignored), an undecodable and two unknown frames, a venue error tied to no request that
        // leaves the stream whole, a duplicate ack, then an event: the stream goes on.
        for (const t of ['HELLO', '\u0000garbage', 'WHAT', '{}', 'NOTE', 'SUBBED', 'EV {"n":9}']) ws.send(t);
      }),
    async (base) => {
      const o = options(dialect(base));
      const s = new PrivateSession(o);
      const problems: string[] = [];
      s.events.on('problem', (e) => problems.push(`${e.error.code}: ${e.error.message}`));
      await s.ready();
      await waitFor(() => o.got.includes('9'));
      assert.deepEqual(s.skippedFrames, { undecodable: 1, unrecognized: 2 });
      assert.equal(problems.length, 4, problems.join('\n'));
      assert.match(problems[0] ?? '', /^decode: .*undecodable frame skipped: .*malformed frame/);
      assert.match(problems[1] ?? '', /^decode: .*unrecognized frame skipped: no known frame "WHAT"/);
      assert.match(problems[2] ?? '', /^decode: .*unrecognized frame skipped: no known frame "\{\}"/);
      assert.match(problems[3] ?? '', /^rejected: .*a venue notice/);
      assert.equal(s.state, 'ready', 'none of it ends the session');
      await s.close();
    },
  );
});

test('a flood of unknown frames: at most 5 reports at once, the rest in one report a second later; the count stays exact', async () => {
  await withServer(
    (ws) =>
      ws.on('message', (d) => {
        if (d.toString().startsWith('LOGIN')) return ws.send('OK');
        ws.send('SUBBED');
        for (let i = 0; i < 100; i++) ws.send(`?${i}`);
        ws.send('EV {"n":1}');
      }),
    async (base) => {
      const o = options(dialect(base));
      const s = new PrivateSession(o);
      const problems: string[] = [];
      s.events.on('problem', (e) => problems.push(e.error.message));
      await s.ready();
      await waitFor(() => o.got.includes('1'));
      assert.equal(s.skippedFrames.unrecognized, 100);
      assert.equal(problems.length, 5);
      await waitFor(() => problems.length === 6, 'the report of the frames held back', 3000);
      assert.match(problems[5] ?? '', /95 unrecognized frames skipped since the last report .*; the last: unrecognized frame skipped: no known frame "\?99"/);
      await s.close();
    },
  );
});

test('a subscription the venue ends on an open socket is a loss: down, a new connection and login, ready as a reconnect, events again', async () => {
  const logins: string[] = [];
  await withServer(
    (ws) => {
      ws.on('message', (d) => {
        const t = d.toString();
        if (t.startsWith('LOGIN ')) {
          logins.push(t);
          return ws.send('OK');
        }
        ws.send('SUBBED');
        // The first connection: the venue ends the subscription and keeps the socket open, silent (no close, no error).
        if (logins.length === 1) ws.send('ENDED');
        else ws.send('EV {"n":2}');
      });
    },
    async (base, server) => {
      const o = options(dialect(base));
      const s = new PrivateSession(o);
      const ready: boolean[] = [];
      const downs: string[] = [];
      const problems: string[] = [];
      s.events.on('ready', (e) => ready.push(e.reconnect));
      s.events.on('down', (e) => downs.push(e.reason));
      s.events.on('problem', (e) => problems.push(`${e.error.code}: ${e.error.message}`));
      await s.ready();
      await waitFor(() => ready.length === 2, 'ready again after the venue ended the subscription', 3000);
      assert.deepEqual(ready, [false, true], 'the second ready is a reconnect: the caller reconciles');
      assert.equal(downs.length, 1);
      assert.match(downs[0] ?? '', /ended a subscription: .*too many connections/);
      assert.ok(problems.some((p) => /^rejected: .*too many connections/.test(p)), problems.join('\n'));
      assert.equal(logins.length, 2, 'logged in anew on a new connection');
      await waitFor(() => o.got.includes('2'), 'events on the new subscription');
      await waitFor(() => server.clients.size === 1, 'the old socket closed');
      await s.close();
    },
  );
});

test('a venue that keeps ending the subscription gets the restarts paced by the backoff, not a tight loop', async () => {
  let connections = 0;
  await withServer(
    (ws) => {
      connections++;
      ws.on('message', (d) => {
        if (d.toString().startsWith('LOGIN ')) return ws.send('OK');
        ws.send('SUBBED');
        ws.send('ENDED');
      });
    },
    async (base) => {
      const s = new PrivateSession(options(dialect(base), { backoff: { initialMs: 100, maxMs: 100, jitter: 'none' } }));
      let downs = 0;
      s.events.on('down', () => downs++);
      await s.ready();
      await new Promise((r) => setTimeout(r, 500));
      await s.close();
      // At least 100 ms between restarts: at most 1 + 500/100 connections however fast the machine is.
      assert.ok(connections >= 2 && connections <= 6, `${connections} connections in 500 ms`);
      assert.ok(downs >= 1 && downs <= 6, `${downs} downs`);
    },
  );
});

test('a login the venue revokes once logged in (a key made invalid) is a loss: a new login, which a dead key ends with auth', async () => {
  let connections = 0;
  await withServer(
    (ws) => {
      connections++;
      const n = connections;
      ws.on('message', (d) => {
        const t = d.toString();
        // The second login is refused: the key is dead now.
        if (t.startsWith('LOGIN ')) return ws.send(n === 1 ? 'OK' : 'DENY');
        ws.send('SUBBED');
        // Binance's unsolicited {"id":null,"status":401,...} after the key became invalid, in the toy's words.
        setTimeout(() => ws.send('DENY'), 20);
      });
    },
    async (base) => {
      const s = new PrivateSession(options(dialect(base)));
      const states: string[] = [];
      const failed: string[] = [];
      s.events.on('state', (e) => states.push(e.state));
      s.events.on('failed', (e) => failed.push(e.error.code));
      await s.ready();
      await waitFor(() => s.state === 'failed', 'the session to end with the refused login', 3000);
      assert.deepEqual(failed, ['auth']);
      assert.equal(connections, 2);
      assert.ok(states.includes('down'), states.join(','));
      await s.close();
    },
  );
});
