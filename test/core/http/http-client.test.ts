import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../../src/core/http/http-client.js';
import type { HttpClientOptions } from '../../../src/core/http/http-client.js';
import { RateGovernor } from '../../../src/core/resilience/rate-limiter.js';
import { VenueError } from '../../../src/core/errors.js';
import type { RestDialect, RestRequest } from '../../../src/core/venue.js';
import { waitFor } from '../../helpers/wait.js';

const API_KEY = 'KEY-a1b2c3d4e5';
const SECRET = 'SECRET-f6e5d4c3b2';
const SIGNATURE = `sig${SECRET.length}deadbeefcafe`;

/** A fake venue dialect: signs with a fixed signature, reads `{code,msg}` errors and a weight header. */
const dialect: RestDialect = {
  venue: 'binance',
  sign(req, creds, ts) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) q.set(k, String(v));
    if (req.signed) {
      q.set('timestamp', String(ts));
      q.set('signature', SIGNATURE);
    }
    const qs = q.toString();
    const headers: Record<string, string> = creds ? { 'x-api-key': creds.apiKey } : {};
    return { method: req.method, pathAndQuery: req.path + (qs ? `?${qs}` : ''), headers };
  },
  decodeError(res) {
    if (res.status < 400) return undefined;
    let body: { code?: number; msg?: string } = {};
    try {
      body = JSON.parse(res.body) as typeof body;
    } catch {
      return undefined;
    }
    if (body.code === undefined) return undefined;
    const details = { venue: 'binance', venueCode: String(body.code), httpStatus: res.status };
    if (body.code === -1021) return new VenueError('clock-skew', body.msg ?? '', details);
    if (res.status >= 500) return new VenueError('network', body.msg ?? '', details); // execution status unknown
    if (body.code === -1003) return new VenueError('rate-limited', body.msg ?? '', { ...details, retryAfterMs: Number(res.headers['x-retry-after-ms']) });
    return new VenueError('rejected', body.msg ?? '', details);
  },
  usageFromHeaders(h) {
    const v = h['x-used-weight-1m'];
    return v === undefined ? [] : [{ limit: 'REQUEST_WEIGHT', windowMs: 60_000, used: Number(v) }];
  },
  serverTime: { request: { method: 'GET', api: 'spot', path: '/time', signed: false, costs: [] }, parse: (b) => (b as { serverTime: number }).serverTime },
};

const get = (path: string, extra: Partial<RestRequest> = {}): RestRequest => ({ method: 'GET', api: 'spot', path, signed: true, costs: [{ limit: 'REQUEST_WEIGHT', weight: 1 }], query: { symbol: 'BTCUSDT' }, ...extra });
const order = (path: string): RestRequest => ({ ...get(path), method: 'POST', command: true });

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

async function withServer(handler: Handler, run: (ctx: { client: HttpClient; hits: () => number; connections: () => number; governor: RateGovernor; port: number }) => Promise<void>, opts: Partial<HttpClientOptions> = {}): Promise<void> {
  let hits = 0;
  let connections = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => handler(req, res, new URL(req.url ?? '/', 'http://x')));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const governor = new RateGovernor({ rules: [{ limit: 'REQUEST_WEIGHT', scope: 'ip', windowMs: 60_000, max: 1000 }], safety: 1 });
  const client = new HttpClient({
    dialect,
    baseUrls: { spot: `http://127.0.0.1:${port}/prefix` },
    credentials: { apiKey: API_KEY, secret: SECRET },
    governor,
    retryBackoff: { initialMs: 5, maxMs: 20 },
    ...opts,
  });
  try {
    await run({ client, hits: () => hits, connections: () => connections, governor, port });
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

function assertNoSecrets(err: unknown): void {
  assert.ok(err instanceof VenueError);
  const text = `${err.message} ${JSON.stringify(err.toJSON())} ${String(err.cause instanceof Error ? err.cause.message : '')}`;
  for (const s of [API_KEY, SECRET, SIGNATURE]) assert.ok(!text.includes(s), `error text leaks ${s}: ${text}`);
}

test('reuses one keep-alive connection and parses 64-bit integers without loss', async () => {
  await withServer(
    (req, res, url) => json(res, 200, `{"path":"${url.pathname}","orderId":12345678901234567890}`),
    async ({ client, connections }) => {
      for (let i = 0; i < 5; i++) {
        const r = await client.request(get('/api/ok'));
        assert.deepEqual(r.body, { path: '/prefix/api/ok', orderId: '12345678901234567890' });
        assert.equal(r.status, 200);
      }
      assert.equal(connections(), 1);
    },
  );
});

test('adopts the used weight the venue reports in response headers', async () => {
  await withServer(
    (_req, res) => json(res, 200, {}, { 'x-used-weight-1m': '640' }),
    async ({ client, governor }) => {
      await client.request(get('/api/ok'));
      assert.equal(governor.usage()[0]?.used, 640);
    },
  );
});

test('times out a read with a timeout error', async () => {
  await withServer(
    () => undefined, // never answers
    async ({ client, hits }) => {
      await assert.rejects(client.request(get('/api/slow'), { timeoutMs: 100 }), (e: unknown) => VenueError.is(e, 'timeout'));
      assert.equal(hits(), 1, 'a timed-out read is not retried within its budget');
    },
  );
});

test('reports a timed-out command as outcome-unknown and never sends it twice', async () => {
  await withServer(
    () => undefined,
    async ({ client, hits }) => {
      const err = await client.request(order('/api/order'), { timeoutMs: 100 }).catch((e: unknown) => e);
      assert.ok(VenueError.is(err, 'outcome-unknown'), String(err));
      assertNoSecrets(err);
      await waitFor(() => hits() === 1, 'the one request');
      assert.equal(hits(), 1);
    },
  );
});

test('reports a command answered with a 5xx as outcome-unknown without retrying', async () => {
  await withServer(
    (_req, res) => json(res, 503, { code: -1000, msg: 'Unknown error, please check your request or try again later.' }),
    async ({ client, hits }) => {
      await assert.rejects(client.request(order('/api/order')), (e: unknown) => VenueError.is(e, 'outcome-unknown') && (e as VenueError).httpStatus === 503);
      assert.equal(hits(), 1);
    },
  );
});

test('keeps a definitive rejection of a command as it is', async () => {
  await withServer(
    (_req, res) => json(res, 400, { code: -2010, msg: 'Account has insufficient balance for requested action.' }),
    async ({ client }) => {
      await assert.rejects(client.request(order('/api/order')), (e: unknown) => VenueError.is(e, 'rejected') && (e as VenueError).venueCode === '-2010');
    },
  );
});

test('retries a read after 5xx answers and returns the eventual success', async () => {
  let n = 0;
  await withServer(
    (_req, res) => (++n <= 2 ? json(res, 502, 'bad gateway') : json(res, 200, { ok: true })),
    async ({ client, hits }) => {
      const retries: number[] = [];
      client.events.on('retrying', ({ attempt }) => retries.push(attempt));
      const r = await client.request(get('/api/flaky'));
      assert.deepEqual(r.body, { ok: true });
      assert.equal(hits(), 3);
      assert.deepEqual(retries, [1, 2]);
    },
  );
});

test('gives up on a read after the bounded number of retries', async () => {
  await withServer(
    (_req, res) => json(res, 500, 'down'),
    async ({ client, hits }) => {
      await assert.rejects(client.request(get('/api/down')), (e: unknown) => VenueError.is(e, 'network') && (e as VenueError).httpStatus === 500);
      assert.equal(hits(), 3);
    },
    { readRetries: 2 },
  );
});

test('keeps keys and signatures out of every error', async () => {
  await withServer(
    (req, res) => json(res, 400, { code: -1100, msg: `Illegal characters in ${req.url} with key ${String(req.headers['x-api-key'])}` }),
    async ({ client }) => {
      const err = await client.request(get('/api/bad')).catch((e: unknown) => e);
      assert.ok(VenueError.is(err, 'rejected'));
      assert.ok(!err.message.includes(SIGNATURE), err.message);
      const network = await new HttpClient({ dialect, baseUrls: { spot: 'http://127.0.0.1:1' }, credentials: { apiKey: API_KEY, secret: SECRET }, readRetries: 0 })
        .request(get('/api/x'))
        .catch((e: unknown) => e);
      assert.ok(VenueError.is(network, 'network'));
      assertNoSecrets(network);
      assert.equal(network.operation, 'GET /api/x');
    },
  );
});

test('pauses every request for Retry-After after a rate-limit answer', async () => {
  const arrivals: Array<{ path: string; at: number }> = [];
  await withServer(
    (_req, res, url) => {
      arrivals.push({ path: url.pathname, at: Date.now() });
      if (url.pathname.endsWith('/limited')) json(res, 429, { code: -1003, msg: 'Too much request weight used' }, { 'x-retry-after-ms': '300' });
      else json(res, 200, {});
    },
    async ({ client, governor }) => {
      await assert.rejects(client.request(get('/api/limited')), (e: unknown) => VenueError.is(e, 'rate-limited') && (e as VenueError).retryAfterMs === 300);
      const until = governor.pausedUntilMs;
      assert.ok(until > 0);
      await client.request(get('/api/ok'));
      const next = arrivals.find((a) => a.path.endsWith('/ok'));
      assert.ok(next !== undefined && next.at >= until, 'no request reached the venue during the pause');
    },
  );
});

test('resyncs the clock after a clock-skew answer and retries a read once', async () => {
  let offset = -5000;
  let resyncs = 0;
  const clock = {
    now: () => Date.now() + offset,
    resync: async () => {
      resyncs++;
      offset = 0;
    },
  };
  await withServer(
    (_req, res, url) => {
      const ts = Number(url.searchParams.get('timestamp'));
      if (Math.abs(ts - Date.now()) > 1000) json(res, 400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
      else json(res, 200, { ok: true });
    },
    async ({ client, hits }) => {
      const r = await client.request(get('/api/account'));
      assert.deepEqual(r.body, { ok: true });
      assert.equal(resyncs, 1);
      assert.equal(hits(), 2);
    },
    { clock },
  );
});

test('reads the server time through the dialect for clock sync', async () => {
  await withServer(
    (_req, res, url) => json(res, url.pathname === '/prefix/time' ? 200 : 404, { serverTime: 1_700_000_000_123 }),
    async ({ client }) => {
      assert.equal(await client.serverTime(), 1_700_000_000_123);
    },
  );
});

test('rejects with closed when aborted, and after close', async () => {
  await withServer(
    () => undefined,
    async ({ client }) => {
      const ac = new AbortController();
      const p = client.request(get('/api/slow'), { signal: ac.signal });
      setImmediate(() => ac.abort());
      await assert.rejects(p, (e: unknown) => VenueError.is(e, 'closed'));
      await client.close();
      await assert.rejects(client.request(get('/api/ok')), (e: unknown) => VenueError.is(e, 'closed'));
    },
  );
});

test('reads a body up to maxResponseBytes: past it a read is decode (not retried), a command outcome-unknown; per request too', async () => {
  const body = JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ id: i, price: '1.5' })) });
  await withServer(
    (_req, res) => json(res, 200, body),
    async ({ client, hits }) => {
      await assert.rejects(client.request(get('/api/big')), (e: unknown) => VenueError.is(e, 'decode') && /1000-byte limit/.test((e as Error).message));
      assert.equal(hits(), 1, 'a body too large is not asked for again');
      await assert.rejects(client.request(order('/api/order')), (e: unknown) => VenueError.is(e, 'outcome-unknown') && VenueError.is((e as Error).cause, 'decode'));
      const r = await client.request(get('/api/big'), { maxResponseBytes: body.length });
      assert.equal((r.body as { rows: unknown[] }).rows.length, 200);
    },
    { maxResponseBytes: 1000 },
  );
});

test('a command answered 2xx with a body that cannot be read is outcome-unknown, never decode; a read stays decode', async () => {
  // The place reached the venue and it said yes; only its words are lost. Malformed JSON, JSON nested past the
  // 64-level limit (core/json.ts), and an empty-but-broken body each leave the order possibly live.
  const bodies = ['{"symbol":"BTCUSDT","orderId":28,"clientOrderId":"6gCrw2kRUAF9CvJDGP16IP","transactTime":15073', '['.repeat(100) + ']'.repeat(100), '<html>ok</html>'];
  let n = 0;
  await withServer(
    (_req, res) => json(res, 200, bodies[n++ % bodies.length] as string),
    async ({ client, hits }) => {
      for (const body of bodies) {
        const err = await client.request(order('/api/order')).catch((e: unknown) => e);
        assert.ok(VenueError.is(err, 'outcome-unknown'), `${body.slice(0, 20)}: ${String(err)}`);
        assert.ok(VenueError.is((err as Error).cause, 'decode'), 'the cause says what could not be read');
        assert.equal((err as VenueError).httpStatus, 200);
        assertNoSecrets(err);
      }
      assert.equal(hits(), bodies.length, 'never sent twice');
      for (let i = 0; i < bodies.length; i++) await assert.rejects(client.request(get('/api/read')), (e: unknown) => VenueError.is(e, 'decode'));
    },
  );
});

test('a command answered with a status the dialect does not know: 408 is outcome-unknown, a 4xx refusal stays definitive even unreadable', async () => {
  const answers: Array<[number, string]> = [
    [408, 'Request Timeout'],
    [400, '<html><body>Bad Request</body></html>'],
    [404, '{"code":'],
  ];
  let n = 0;
  await withServer(
    (_req, res) => {
      const [status, body] = answers[n++] as [number, string];
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(body);
    },
    async ({ client, hits }) => {
      await assert.rejects(client.request(order('/api/order')), (e: unknown) => VenueError.is(e, 'outcome-unknown') && (e as VenueError).httpStatus === 408);
      await assert.rejects(client.request(order('/api/order')), (e: unknown) => VenueError.is(e, 'rejected') && (e as VenueError).httpStatus === 400);
      await assert.rejects(client.request(order('/api/order')), (e: unknown) => VenueError.is(e, 'not-found'));
      assert.equal(hits(), 3);
    },
  );
});

test("a dialect that throws on a command's answer leaves the command outcome-unknown", async () => {
  await withServer(
    (_req, res) => json(res, 200, { ok: true }),
    async ({ client }) => {
      await assert.rejects(client.request(order('/api/order')), (e: unknown) => VenueError.is(e, 'outcome-unknown') && VenueError.is((e as Error).cause, 'decode'));
      await assert.rejects(client.request(get('/api/read')), (e: unknown) => VenueError.is(e, 'decode'));
    },
    {
      dialect: {
        ...dialect,
        decodeError: () => {
          throw new RangeError('Maximum call stack size exceeded');
        },
      },
    },
  );
});
