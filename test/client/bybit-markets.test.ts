/** Paged instrument lists: the client follows Bybit's `nextPageCursor` until the last page (MKTD-04). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bybit } from '../../src/client/bybit.js';
import { startSimulator } from '../../src/testing/sim/server.js';

test('loads every Bybit linear and inverse instrument across pages of the instruments list', async () => {
  await using sim = await startSimulator({ seed: 2, depth: 20, tickMs: 0, venues: ['binance', 'bybit'] });
  const upstream = new URL(sim.endpoints.bybit!.rest);
  const pagesSeen: string[] = [];
  // A proxy that asks the venue for pages of 3 instruments, so the list must be followed page by page.
  const proxy = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/v5/market/instruments-info' && url.searchParams.get('category') !== 'spot') {
      url.searchParams.set('limit', '3');
      pagesSeen.push(`${url.searchParams.get('category')}:${url.searchParams.get('cursor') ?? ''}`);
    }
    const fwd = request({ host: upstream.hostname, port: upstream.port, path: url.pathname + url.search, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(fwd);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  try {
    const rest = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    await using ex = bybit({ urls: { ...sim.endpoints.bybit!, rest }, clockSync: false });
    const markets = await ex.fetchMarkets();
    const listed = sim.frontEnd('bybit').listedSymbols();
    assert.deepEqual(markets.map((m) => m.symbol).sort(), listed.map((l) => l.symbol).sort());
    const linearPages = pagesSeen.filter((p) => p.startsWith('linear:')).length;
    assert.ok(linearPages >= 3, `linear instruments came in ${linearPages} pages`);
  } finally {
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
  }
});
