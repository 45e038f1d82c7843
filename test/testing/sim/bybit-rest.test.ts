/** The Bybit front end's REST market data: bodies shaped like the real fixtures, paging, limit headers, 10006, the 403 ban, faults. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { quarterlyExpiry } from '../../../src/testing/sim/instruments.js';
import { fixtureText } from '../../helpers/wait.js';
import { getJson, keySet, shape } from './sim-helpers.js';

type Body = { retCode: number; retMsg: string; result: Record<string, unknown>; time: number };
const fixture = (path: string): Body => JSON.parse(fixtureText(`bybit/rest/${path}`)) as Body;
const firstItem = (b: Body): unknown => (b.result['list'] as unknown[])[0];

describe('bybit REST', () => {
  let sim: Simulator;
  let rest: string;
  before(async () => {
    sim = await startSimulator({ seed: 8, tickMs: 20, depth: 300, symbols: 2, bybit: { rateLimits: { endpointPerSecond: 40, ipLimit: 60, ipWindowMs: 60_000, ipBanMs: 60_000 } } });
    rest = (sim.endpoints.bybit as { rest: string }).rest;
  });
  after(() => sim.close());
  const get = async (path: string): Promise<{ status: number; headers: Headers; body: Body }> => {
    const r = await getJson(`${rest}${path}`);
    return { ...r, body: r.body as Body };
  };

  test('server time, instruments, tickers, order book, trades and klines have the fixtures shapes', async () => {
    const time = await get('/v5/market/time');
    assert.deepEqual(shape(time.body), shape(fixture('server-time.json')));
    const spot = await get('/v5/market/instruments-info?category=spot');
    assert.deepEqual(shape(firstItem(spot.body)), shape(firstItem(fixture('instruments-info-spot.json'))));
    const linear = await get('/v5/market/instruments-info?category=linear');
    assert.deepEqual(shape(firstItem(linear.body)), shape(firstItem(fixture('instruments-info-linear.json'))));
    assert.deepEqual(keySet(linear.body.result), keySet(fixture('instruments-info-linear.json').result));
    assert.deepEqual(keySet(firstItem((await get('/v5/market/tickers?category=spot&symbol=BTCUSDT')).body)), keySet(firstItem(fixture('tickers-spot.json'))));
    assert.deepEqual(keySet(firstItem((await get('/v5/market/tickers?category=linear&symbol=BTCUSDT')).body)), keySet(firstItem(fixture('tickers-linear-recorded.json'))));
    assert.deepEqual(keySet(firstItem((await get('/v5/market/tickers?category=inverse&symbol=BTCUSD')).body)), keySet(firstItem(fixture('tickers-inverse.json'))));
    const book = await get('/v5/market/orderbook?category=linear&symbol=BTCUSDT&limit=10');
    assert.deepEqual(shape(book.body), shape(fixture('orderbook-linear-recorded.json')));
    assert.equal((book.body.result['b'] as unknown[]).length, 10);
    const trades = await get('/v5/market/recent-trade?category=spot&symbol=BTCUSDT&limit=3');
    assert.deepEqual(shape(firstItem(trades.body)), shape(firstItem(fixture('recent-trade.json'))));
    const kline = await get('/v5/market/kline?category=inverse&symbol=BTCUSD&interval=1&limit=5');
    assert.deepEqual(shape(kline.body), shape(fixture('kline.json')));
  });

  test('the order book limits are 200 on spot and 500 on derivatives', async () => {
    assert.equal(((await get('/v5/market/orderbook?category=spot&symbol=BTCUSDT&limit=1000')).body.result['b'] as unknown[]).length, 200);
    assert.equal(((await get('/v5/market/orderbook?category=linear&symbol=BTCUSDT&limit=1000')).body.result['a'] as unknown[]).length, 300);
  });

  test('linear instruments page with cursor / nextPageCursor and list the dated futures at the quarterly expiry', async () => {
    const ids: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await get(`/v5/market/instruments-info?category=linear&limit=2${cursor === '' ? '' : `&cursor=${cursor}`}`);
      ids.push(...(page.body.result['list'] as Array<{ symbol: string }>).map((i) => i.symbol));
      cursor = page.body.result['nextPageCursor'] as string;
      pages++;
    } while (cursor !== '' && pages < 10);
    assert.ok(pages >= 3, `${pages} pages`);
    assert.equal(new Set(ids).size, ids.length);
    const expiry = new Date(quarterlyExpiry(Date.now()));
    const code = `${expiry.getUTCDate()}${['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][expiry.getUTCMonth()]}${expiry.getUTCFullYear() % 100}`;
    assert.ok(ids.includes(`BTCUSDT-${code}`), `${ids.join(',')} holds BTCUSDT-${code}`);
    assert.ok(ids.includes('BTCPERP'));
    assert.equal(expiry.getUTCDay(), 5);
    assert.equal(expiry.getUTCHours(), 8);
  });

  test('unknown symbols answer retCode 10001 inside HTTP 200', async () => {
    const r = await get('/v5/market/orderbook?category=linear&symbol=NOPE');
    assert.deepEqual([r.status, r.body.retCode], [200, 10001]);
  });

  test('limit headers count down per endpoint; over the limit 10006, far over the IP ban 403', async () => {
    await using s = await startSimulator({ seed: 9, tickMs: 0, depth: 20, symbols: 1, bybit: { rateLimits: { endpointPerSecond: 3, ipLimit: 12, ipWindowMs: 60_000, ipBanMs: 60_000 } } });
    const base = (s.endpoints.bybit as { rest: string }).rest;
    const results: Array<{ status: number; headers: Headers; body: unknown }> = [];
    for (let i = 0; i < 14; i++) results.push(await getJson(`${base}/v5/market/time`).catch(async () => ({ status: (await fetch(`${base}/v5/market/time`)).status, headers: new Headers(), body: {} })));
    const first = results[0] as { headers: Headers };
    assert.equal(first.headers.get('x-bapi-limit'), '3');
    assert.equal(first.headers.get('x-bapi-limit-status'), '2');
    assert.ok(Number(first.headers.get('x-bapi-limit-reset-timestamp')) > Date.now() - 1000);
    const codes = results.map((r) => (r.status === 200 ? (r.body as Body).retCode : r.status));
    assert.ok(codes.includes(10006), codes.join(','));
    const limited = results.find((r) => r.status === 200 && (r.body as Body).retCode === 10006) as { headers: Headers; body: Body };
    assert.deepEqual(keySet(limited.body), keySet(fixture('error-10006-too-many-visits-recorded.json')));
    assert.equal(limited.headers.get('x-bapi-limit-status'), '0');
    const banned = await fetch(`${base}/v5/market/time`);
    assert.equal(banned.status, 403);
  });

  test('REST faults answer with Bybit bodies; clock skew moves the server time', async () => {
    sim.faults.failRest({ venue: 'bybit', status: 429 });
    const r = await get('/v5/market/time');
    assert.deepEqual([r.status, r.body.retCode], [429, 10006]);
    sim.faults.failRest({ venue: 'bybit', status: 503 });
    assert.equal((await fetch(`${rest}/v5/market/time`)).status, 503);
    sim.faults.skewClock(60_000);
    try {
      const t = await get('/v5/market/time');
      assert.ok(Number(t.body.result['timeSecond']) * 1000 > Date.now() + 50_000);
    } finally {
      sim.faults.skewClock(0);
    }
  });
});
