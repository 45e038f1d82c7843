/** RESL-05: signed requests carry venue-time timestamps that are never repeated, even in the same millisecond. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClockSync } from '../../../src/core/clock/clock-sync.js';
import { HttpClient } from '../../../src/core/http/http-client.js';
import type { RestDialect, RestRequest } from '../../../src/core/venue.js';

test('gives every signed request a distinct timestamp on the venue clock', async () => {
  const server = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const stamps: number[] = [];
  const request: RestRequest = { method: 'GET', api: 'x', path: '/t', signed: true, costs: [] };
  const dialect: RestDialect = {
    venue: 'binance',
    sign: (_req, _c, ts) => {
      stamps.push(ts);
      return { method: 'GET', pathAndQuery: `/t?timestamp=${ts}`, headers: {} };
    },
    decodeError: () => undefined,
    usageFromHeaders: () => [],
    serverTime: { request, parse: () => 0 },
  };
  const skew = 60_000;
  const clock = new ClockSync({ fetchServerTime: async () => Date.now() + skew });
  await clock.resync();
  const http = new HttpClient({ dialect, baseUrls: { x: `http://127.0.0.1:${port}` }, clock, credentials: { apiKey: 'k', secret: 's' } });
  try {
    await Promise.all(Array.from({ length: 20 }, () => http.request(request)));
    assert.equal(new Set(stamps).size, 20, 'no timestamp repeated');
    assert.ok(stamps.every((t) => t - Date.now() > skew - 5000), 'timestamps are on the venue clock');
  } finally {
    await http.close();
    clock.close();
    server.close();
  }
});
