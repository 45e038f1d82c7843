/**
 * A fill is never lost because its order report had an odd field (issue 9, item 3), through the whole client:
 * private stream → dialect → order tracker → `watchMyTrades` / `watchOrders`, with a `problem` event on
 * `ex.events` (`decode`, naming the field, the raw value and the venue). Markets and the listenKey come from the
 * simulator's REST; the private stream is a small hostile server in the test that answers the venue's login and
 * subscribe and then pushes real recorded frames MUTATED by the test (an order status or type the venue may add
 * later, the USD-M liquidation status NEW_ADL, an empty client id, a zero-quantity execution; ids and symbols
 * moved onto the simulator's markets). The simulator itself never sends such values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import type { ExchangeEvents } from '../../src/client/events.js';
import type { Exchange } from '../../src/client/exchange.js';
import { okx } from '../../src/client/okx.js';
import type { Fill, Order } from '../../src/core/orders/order-model.js';
import type { Credentials } from '../../src/core/venue.js';
import { SIM_DEMO_ACCOUNT, startSimulator, type Simulator } from '../../src/testing/sim/server.js';
import { FakeVenueWs, type ClientRequest, type FakeVenue } from '../helpers/fake-venue-ws.js';
import { fixtureLines, fixtureText, waitFor } from '../helpers/wait.js';

const CREDENTIALS: Credentials = { apiKey: SIM_DEMO_ACCOUNT.apiKey, secret: SIM_DEMO_ACCOUNT.secret, passphrase: SIM_DEMO_ACCOUNT.passphrase ?? '' };

type Fields = Record<string, unknown>;

/** Login answers as each venue documents them (the fake answers subscribes by itself). */
function logins(req: ClientRequest): unknown[] | undefined {
  const m = req.message;
  if (m['method'] === 'userDataStream.subscribe.signature') return [{ id: m['id'], status: 200, result: { subscriptionId: 0 } }];
  if (m['op'] === 'auth') return [{ success: true, ret_msg: '', op: 'auth', conn_id: 'fake' }];
  if (m['op'] === 'login') return [{ event: 'login', code: '0', msg: '', connId: 'fake' }];
  return undefined;
}

interface Run {
  readonly ex: Exchange;
  readonly fake: FakeVenueWs;
  readonly fills: Fill[];
  readonly orders: Order[];
  readonly problems: Array<ExchangeEvents['problem']>;
  stop(): Promise<void>;
}

async function connected(sim: Simulator, venue: FakeVenue): Promise<Run> {
  const fake = await FakeVenueWs.start(venue, logins);
  const streams = { streams: { backoff: { initialMs: 20, maxMs: 100 } } };
  let ex: Exchange;
  if (venue === 'binance') {
    const urls = sim.endpoints.binance;
    ex = binance({ urls: { spot: { ...urls.spot, wsApi: `${fake.url}/ws-api/v3` }, usdm: { ...urls.usdm, ws: fake.url } }, credentials: CREDENTIALS, ...streams });
  } else if (venue === 'bybit') {
    const urls = sim.endpoints.bybit;
    if (urls === undefined) throw new Error('no bybit in the simulator');
    ex = bybit({ urls: { ...urls, ws: { ...urls.ws, private: `${fake.url}/v5/private` } }, credentials: CREDENTIALS, ...streams });
  } else {
    const urls = sim.endpoints.okx;
    if (urls === undefined) throw new Error('no okx in the simulator');
    ex = okx({ urls: { ...urls, private: fake.url }, credentials: CREDENTIALS, ...streams });
  }
  await ex.loadMarkets();
  const run: Run = {
    ex,
    fake,
    fills: [],
    orders: [],
    problems: [],
    async stop() {
      c.abort();
      await Promise.all(loops);
      await ex.close();
      await fake[Symbol.asyncDispose]();
    },
  };
  ex.events.on('problem', (p) => run.problems.push(p));
  const c = new AbortController();
  const loops = [
    (async () => {
      for await (const f of ex.watchMyTrades(undefined, { signal: c.signal })) run.fills.push(f);
    })().catch(() => undefined),
    (async () => {
      for await (const o of ex.watchOrders(undefined, { signal: c.signal })) run.orders.push(o);
    })().catch(() => undefined),
  ];
  await ex.startPrivateStreams(AbortSignal.timeout(10_000));
  return run;
}

/** The decode problems whose message names `field` and `raw`. */
const naming = (run: Run, field: string, raw: string) => run.problems.filter((p) => p.error.code === 'decode' && p.error.venue === run.ex.id && p.error.message.includes(`field ${field}`) && p.error.message.includes(raw));

test('okx: an order of an ordType added later still hands its fill to watchMyTrades, with a problem naming ordType', async () => {
  await using sim = await startSimulator({ seed: 3, symbols: 1, depth: 20, tickMs: 0 });
  const run = await connected(sim, 'okx');
  try {
    const recorded = JSON.parse(fixtureText('okx/ws/orders-push.json')) as { arg: Fields; data: Fields[] };
    const row = recorded.data[0] ?? {};
    // Mutated: a type OKX may add later (the order cannot be modelled, its fill is the account's all the same)...
    run.fake.send({ ...recorded, data: [{ ...row, ordType: 'smart_twap' }] });
    // ...and another order of a known type in a state OKX may add later (tracked, its raw state kept).
    run.fake.send({ ...recorded, data: [{ ...row, ordId: '452197707845865999', tradeId: '242589999', state: 'settling' }] });
    await waitFor(() => run.fills.length >= 2, 'both fills');
    assert.deepEqual(run.fills.map((f) => [f.tradeId, f.amount.toString(), f.price.toString()]), [
      ['242589207', '0.001', '31527.1'],
      ['242589999', '0.001', '31527.1'],
    ]);
    assert.equal(naming(run, 'data[0].ordType', '"smart_twap"').length, 1);
    assert.equal(naming(run, 'data[0].state', '"settling"').length, 1);
    const order = await waitFor(() => run.orders.find((o) => o.id === '452197707845865999'), 'the order of known type');
    assert.equal(order.venueStatus, 'settling');
    assert.equal(order.filled.toString(), '0.001');
  } finally {
    await run.stop();
  }
});

test('binance: NEW_ADL and an unknown status on USD-M, an empty client id and an unknown status on spot: every fill delivered', async () => {
  await using sim = await startSimulator({ seed: 3, symbols: 1, depth: 20, tickMs: 0 });
  const run = await connected(sim, 'binance');
  try {
    const line = fixtureLines('binance/ws/usdm-user-open-close-recorded-2024-11.jsonl').find((l) => l.includes('"x":"TRADE"')) ?? '';
    const usdm = JSON.parse(line) as { o: Fields } & Fields;
    // Mutated: the documented liquidation status NEW_ADL (an ADL close), then a status Binance may add later.
    run.fake.send({ ...usdm, o: { ...usdm.o, X: 'NEW_ADL', c: 'adl_autoclose', i: 9001, t: 7001 } }, '/private');
    run.fake.send({ ...usdm, o: { ...usdm.o, X: 'FILLED_BY_SETTLEMENT', i: 9002, t: 7002 } }, '/private');
    const spot = (JSON.parse(fixtureText('binance/ws/spot-user-execution-report-trade-filled-recorded-2021-03.json')) as { data: Fields }).data;
    // Mutated: an empty client order id, a status Binance may add later; then a TRADE of quantity 0.
    run.fake.send({ subscriptionId: 0, event: { ...spot, c: '', X: 'FILLED_V2' } }, '/ws-api');
    run.fake.send({ subscriptionId: 0, event: { ...spot, t: 726946524, l: '0.00000000' } }, '/ws-api');
    await waitFor(() => run.fills.length >= 3 && naming(run, 'l', '"0.00000000"').length > 0, 'the fills and the zero-quantity problem');
    assert.deepEqual(run.fills.map((f) => f.tradeId).sort(), ['7001', '7002', '726946523']);
    assert.equal(naming(run, 'o.X', '"FILLED_BY_SETTLEMENT"').length, 1);
    assert.equal(naming(run, 'X', '"FILLED_V2"').length, 1);
    assert.equal(naming(run, 'o.X', 'NEW_ADL').length, 0, 'documented: no problem');
    const adl = await waitFor(() => run.orders.find((o) => o.id === '9001'), 'the ADL order');
    assert.equal(adl.venueStatus, 'NEW_ADL');
    assert.equal(adl.status, 'filled', 'its fill completes it');
    assert.equal(run.fills.some((f) => f.amount.isZero()), false, 'a zero-quantity execution is no fill');
  } finally {
    await run.stop();
  }
});

test('bybit: an order of an unknown status and type, its execution and a zero-quantity execution', async () => {
  await using sim = await startSimulator({ seed: 3, symbols: 1, depth: 20, tickMs: 0 });
  const run = await connected(sim, 'bybit');
  try {
    const order = JSON.parse(fixtureText('bybit/ws/private-order-new-recorded.json')) as { data: Fields[] } & Fields;
    const exec = JSON.parse(fixtureText('bybit/ws/private-execution-recorded.json')) as { data: Fields[] } & Fields;
    const onSim = { symbol: 'BTCUSDT' }; // moved onto the simulator's linear market
    // Mutated: a status and a type Bybit may add later.
    run.fake.send({ ...order, data: [{ ...order.data[0], ...onSim, orderStatus: 'Suspended', orderType: 'Chase' }] });
    const [first, second] = exec.data;
    run.fake.send({ ...exec, data: [{ ...first, ...onSim, orderId: order.data[0]?.['orderId'] }, { ...second, ...onSim, execQty: '0' }] });
    await waitFor(() => run.fills.length >= 1 && naming(run, 'data[1].execQty', '"0"').length > 0, 'the fill and the zero-quantity problem');
    assert.deepEqual(run.fills.map((f) => f.tradeId), [first?.['execId']]);
    assert.equal(naming(run, 'data[0].orderStatus', '"Suspended"').length, 1);
    assert.equal(naming(run, 'data[0].orderType', '"Chase"').length, 1);
  } finally {
    await run.stop();
  }
});
