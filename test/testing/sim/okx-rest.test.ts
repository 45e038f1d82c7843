/** The OKX front end's REST API: envelope and record shapes against the real fixtures, errors, per-endpoint limits and REST faults. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SimFaults } from '../../../src/testing/sim/faults.js';
import type { Market } from '../../../src/testing/sim/market.js';
import type { OkxFrontEnd } from '../../../src/testing/sim/okx/okx-front-end.js';
import { fixtureText } from '../../helpers/wait.js';
import { startOkx } from './okx-helpers.js';
import { getJson, keySet, shape } from './sim-helpers.js';

const fixture = (path: string): Record<string, unknown> => JSON.parse(fixtureText(path)) as Record<string, unknown>;
const first = (body: unknown): Record<string, unknown> => ((body as { data: unknown[] }).data[0] ?? {}) as Record<string, unknown>;

describe('okx rest', () => {
  let market: Market;
  let faults: SimFaults;
  let fe: OkxFrontEnd;
  let base: string;
  before(async () => {
    ({ market, faults, fe } = await startOkx({}, ['BTC/USDT', 'ETH/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC', 'BTC/USDT:USDT-260925', 'BTC/USD:BTC-260925']));
    base = fe.endpoints.rest;
    market.executeTaker('BTC/USDT', 'buy', 2 * market.instrument('BTC/USDT').typicalQtyUnits);
  });
  after(async () => {
    market.close();
    await fe.close();
  });

  test('answers /public/time in the {"code":"0","msg":"","data":[...]} envelope like the fixture', async () => {
    const r = await getJson(`${base}/api/v5/public/time`);
    assert.equal(r.status, 200);
    assert.deepEqual(shape(r.body), shape(fixture('okx/rest/time.json')));
    assert.deepEqual(Object.keys(r.body as object), ['code', 'msg', 'data']);
  });

  test('lists SPOT, SWAP (linear and inverse) and FUTURES instruments with the fixture fields, all strings', async () => {
    const doc = first(fixture('okx/rest/instruments.json'));
    const spot = await getJson(`${base}/api/v5/public/instruments?instType=SPOT`);
    assert.deepEqual((spot.body as { data: Array<{ instId: string }> }).data.map((d) => d.instId), ['BTC-USDT', 'ETH-USDT']);
    assert.deepEqual(Object.keys(first(spot.body)), Object.keys(doc));
    assert.deepEqual(shape(first(spot.body)), shape(doc));
    const btc = first(spot.body);
    assert.deepEqual([btc['tickSz'], btc['lotSz'], btc['minSz'], btc['baseCcy'], btc['quoteCcy'], btc['state']], ['0.01', '0.00001', '0.00001', 'BTC', 'USDT', 'live']);
    const swap = (await getJson(`${base}/api/v5/public/instruments?instType=SWAP`)).body as { data: Array<Record<string, string>> };
    const recordedSwap = (fixture('okx/rest/instruments-swap-recorded-2022-05.json') as { data: Array<Record<string, unknown>> }).data;
    for (const key of keySet(recordedSwap[0])) assert.ok(key in (swap.data[0] as object), `SWAP record has ${key}`);
    const linear = swap.data.find((d) => d['instId'] === 'BTC-USDT-SWAP');
    const inverse = swap.data.find((d) => d['instId'] === 'BTC-USD-SWAP');
    assert.deepEqual([linear?.['ctType'], linear?.['settleCcy'], linear?.['ctValCcy'], linear?.['uly'], linear?.['tickSz']], ['linear', 'USDT', 'BTC', 'BTC-USDT', '0.1']);
    assert.deepEqual([inverse?.['ctType'], inverse?.['settleCcy'], inverse?.['ctValCcy'], inverse?.['uly']], ['inverse', 'BTC', 'USD', 'BTC-USD']);
    const futures = (await getJson(`${base}/api/v5/public/instruments?instType=FUTURES`)).body as { data: Array<Record<string, string>> };
    assert.deepEqual(futures.data.map((d) => d['instId']).sort(), ['BTC-USD-260925', 'BTC-USDT-260925']);
    assert.equal(new Date(Number(futures.data[0]?.['expTime'])).toISOString(), '2026-09-25T08:00:00.000Z');
    const option = (await getJson(`${base}/api/v5/public/instruments?instType=OPTION&uly=BTC-USD`)).body as { data: unknown[] };
    assert.deepEqual(option.data, []);
  });

  test('answers a missing instType with 50014 and an unknown instId with 51001 in the envelope', async () => {
    const a = await getJson(`${base}/api/v5/public/instruments`);
    assert.equal((a.body as Record<string, unknown>)['code'], '50014');
    const b = await getJson(`${base}/api/v5/market/ticker?instId=NOPE-USDT`);
    assert.deepEqual(b.body, { code: '51001', msg: "Instrument ID, Instrument ID code, or Spread ID doesn't exist.", data: [] });
  });

  test('tickers, ticker, trades and candles have the fixture shapes', async () => {
    const tickers = await getJson(`${base}/api/v5/market/tickers?instType=SPOT`);
    assert.deepEqual(Object.keys(first(tickers.body)), Object.keys(first(fixture('okx/rest/market-tickers.json'))));
    assert.deepEqual(shape(first(tickers.body)), shape(first(fixture('okx/rest/market-tickers.json'))));
    const ticker = await getJson(`${base}/api/v5/market/ticker?instId=BTC-USDT-SWAP`);
    assert.equal(first(ticker.body)['instType'], 'SWAP');
    const trades = await getJson(`${base}/api/v5/market/trades?instId=BTC-USDT&limit=5`);
    assert.deepEqual(shape(trades.body), shape(fixture('okx/rest/market-trades.json')));
    const ids = (trades.body as { data: Array<{ tradeId: string }> }).data.map((t) => Number(t.tradeId));
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
    const candles = await getJson(`${base}/api/v5/market/candles?instId=BTC-USDT&bar=1m&limit=3`);
    assert.deepEqual(shape(candles.body), shape(fixture('okx/rest/market-candles.json')));
    const rows = (candles.body as { data: string[][] }).data;
    assert.equal(rows[0]?.[8], '0', 'the current candle is not confirmed');
    const daily = await getJson(`${base}/api/v5/market/history-candles?instId=BTC-USD-SWAP&bar=1D`);
    assert.equal((daily.body as Record<string, unknown>)['code'], '0');
    const bad = await getJson(`${base}/api/v5/market/candles?instId=BTC-USDT&bar=7m`);
    assert.equal((bad.body as Record<string, unknown>)['code'], '51000');
  });

  test('/market/books gives sz levels (at most 400) with the books channel seqId, levels as in the fixture; books-full goes deeper at the same seqId', async () => {
    const r = await getJson(`${base}/api/v5/market/books?instId=BTC-USDT&sz=5`);
    const d = first(r.body);
    assert.deepEqual(Object.keys(d), ['asks', 'bids', 'ts', 'seqId']);
    assert.deepEqual(shape((d['asks'] as unknown[])[0]), shape((first(fixture('okx/rest/market-books.json'))['asks'] as unknown[])[0]));
    assert.equal((d['bids'] as unknown[]).length, 5);
    assert.equal(d['seqId'], fe.streams.feed(fe.instrument('BTC-USDT')).windowSeqId);
    const deep = first((await getJson(`${base}/api/v5/market/books?instId=BTC-USDT&sz=5000`)).body);
    assert.equal((deep['asks'] as unknown[]).length, 400);
    const full = first((await getJson(`${base}/api/v5/market/books-full?instId=BTC-USDT&sz=450`)).body);
    assert.equal((full['bids'] as unknown[]).length, 450);
    const window = first((await getJson(`${base}/api/v5/market/books?instId=BTC-USDT&sz=400`)).body);
    assert.equal(full['seqId'], window['seqId'], 'the market is paused: the same state');
    assert.deepEqual((full['bids'] as unknown[]).slice(0, 400), window['bids']);
  });

  test('answers an unknown path with the recorded numeric code:404 body, and a private path without a key with 50103', async () => {
    const r = await getJson(`${base}/api/v5/nope`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, fixture('okx/rest/error-404-unknown-path-recorded.json'));
    const p = await getJson(`${base}/api/v5/asset/currencies`);
    assert.equal(p.status, 401);
    assert.equal((p.body as Record<string, unknown>)['code'], '50103');
  });

  test('meters each endpoint per IP: over the limit it answers HTTP 429 with the recorded 50011 body', async () => {
    const { market: m, fe: f } = await startOkx({ restLimits: { '/api/v5/public/time': { limit: 3, windowMs: 60_000 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${f.endpoints.rest}/api/v5/public/time`)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const r = await getJson(`${f.endpoints.rest}/api/v5/public/time`);
      assert.deepEqual(r.body, fixture('okx/rest/error-50011-too-many-requests-recorded-2023-08.json'));
      assert.equal((await getJson(`${f.endpoints.rest}/api/v5/market/books?instId=BTC-USDT`)).status, 200, 'other endpoints have their own budget');
    } finally {
      m.close();
      await f.close();
    }
  });

  test('the REST fault switch answers with OKX bodies: 429 → 50011, 500 → 50026, 503 → 50001', async () => {
    faults.failRest({ venue: 'okx', status: 429 });
    const a = await getJson(`${base}/api/v5/public/time`);
    assert.deepEqual([a.status, a.body], [429, fixture('okx/rest/error-50011-too-many-requests-recorded-2023-08.json')]);
    faults.failRest({ venue: 'okx', status: 500 });
    const b = await getJson(`${base}/api/v5/public/time`);
    assert.deepEqual([b.status, (b.body as Record<string, unknown>)['code']], [500, '50026']);
    faults.failRest({ venue: 'okx', status: 503 });
    const c = await getJson(`${base}/api/v5/public/time`);
    assert.deepEqual([c.status, (c.body as Record<string, unknown>)['code']], [503, '50001']);
    assert.equal((await getJson(`${base}/api/v5/public/time`)).status, 200);
  });

  test('reports the skewed venue clock', async () => {
    faults.skewClock(5_000);
    try {
      const ts = Number((first((await getJson(`${base}/api/v5/public/time`)).body) as { ts: string }).ts);
      assert.ok(ts - Date.now() > 4_000);
    } finally {
      faults.clear();
    }
  });
});
