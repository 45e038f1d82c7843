/** The OKX private stream dialect on the real frames: login (the §4.3 vector), subscribes, classify, heartbeat, events. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import type { Market } from '../../../src/core/model.js';
import type { MarketResolver, PrivateEvent } from '../../../src/core/trading.js';
import { OKX_PRODUCTION } from '../../../src/exchanges/okx/config.js';
import { PrivateSession } from '../../../src/core/ws/private-session.js';
import { createOkxTrading } from '../../../src/exchanges/okx/trading.js';
import { fixtureLines, fixtureText, waitFor } from '../../helpers/wait.js';

function market(symbol: string, id: string, segment: string): Market {
  return {
    symbol,
    id,
    venue: 'okx',
    type: segment === 'SPOT' ? 'spot' : segment === 'SWAP' ? 'swap' : 'future',
    segment,
    base: symbol.split('/')[0] ?? '',
    quote: (symbol.split('/')[1] ?? '').split(':')[0] ?? '',
    status: 'active',
    venueStatus: 'live',
    tickSize: Decimal.from('0.1'),
    stepSize: Decimal.from('1'),
    precision: { price: 1, amount: 0 },
  };
}

const MARKETS = [
  market('BTC/USDT', 'BTC-USDT', 'SPOT'),
  market('OKB/USDT', 'OKB-USDT', 'SPOT'),
  market('BTC/USDT:USDT', 'BTC-USDT-SWAP', 'SWAP'),
  market('ETH/USD:ETH', 'ETH-USD-SWAP', 'SWAP'),
  market('ETH/USD:ETH-210430', 'ETH-USD-210430', 'FUTURES'),
];
const resolve: MarketResolver = (id, segment) => MARKETS.find((m) => m.id === id && (segment === undefined || m.segment === segment));
const stream = createOkxTrading({ urls: OKX_PRODUCTION }).privateStream;
const AT = 1_800_000_000_000;
const SECRET = '22582BD0CFF14C41EDBF1AB98506286D';

function frame(path: string): { text: string; value: unknown } {
  const text = fixtureText(`okx/ws/${path}`);
  return { text, value: stream.decode(text) };
}

function classify(path: string) {
  const f = frame(path);
  return stream.classify('private', f.value, f.text);
}

function events(text: string): PrivateEvent[] {
  const value = stream.decode(text);
  const inbound = stream.classify('private', value, text);
  assert.equal(inbound.role, 'event');
  return inbound.role === 'event' ? stream.parseEvents('private', inbound.payload, resolve, AT) : [];
}

test('login frame: unix seconds of venue time, signed GET/users/self/verify (the §4.3 vector)', () => {
  const [login, ...more] = stream.loginFrames('private', { apiKey: 'key', secret: SECRET, passphrase: 'pass' }, 1538054050_975, () => 1);
  assert.equal(more.length, 0);
  assert.deepEqual(JSON.parse(login ?? ''), {
    op: 'login',
    args: [{ apiKey: 'key', passphrase: 'pass', timestamp: '1538054050', sign: '+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=' }],
  });
  const documented = JSON.parse(fixtureText('okx/ws/login-request.json')) as { args: Array<Record<string, string>> };
  assert.deepEqual(Object.keys(JSON.parse(login ?? '').args[0]), Object.keys(documented.args[0] ?? {}));
  assert.throws(() => stream.loginFrames('private', { apiKey: 'key', secret: SECRET }, 0, () => 1), (e: unknown) => e instanceof VenueError && e.code === 'auth');
});

test('three subscribe frames (orders ANY, account, positions ANY), one id each, each acked by one subscribe event', () => {
  let id = 40;
  const frames = stream.subscribeFrames('private', () => ++id).map((f) => JSON.parse(f) as unknown);
  assert.deepEqual(frames, [
    { id: '41', op: 'subscribe', args: [{ channel: 'orders', instType: 'ANY' }] },
    { id: '42', op: 'subscribe', args: [{ channel: 'account' }] },
    { id: '43', op: 'subscribe', args: [{ channel: 'positions', instType: 'ANY' }] },
  ]);
  assert.deepEqual(classify('orders-subscribe-response.json'), { role: 'subscribe-ack' });
});

test('classify: login ack, login and subscribe failures as auth errors, pong, 64008 shutdown, pushes; other channels unknown', () => {
  assert.deepEqual(classify('login-response-success.json'), { role: 'login-ack' });
  const failed = classify('login-response-failure.json');
  assert.equal(failed.role, 'login-ack');
  assert.ok(failed.role === 'login-ack' && failed.error?.code === 'auth' && failed.error.venueCode === '60009');
  const subFailed = classify('books-subscribe-failure.json');
  assert.ok(subFailed.role === 'subscribe-ack' && subFailed.error?.code === 'auth' && subFailed.error.venueCode === '60012');
  const expired = stream.classify('private', { event: 'error', code: '60006', msg: 'Timestamp request expired' }, '');
  assert.ok(expired.role === 'login-ack' && expired.error?.code === 'clock-skew');
  const tooFrequent = classify('error-60014-requests-too-frequent-recorded-2025-02.json');
  assert.ok(tooFrequent.role === 'subscribe-ack' && tooFrequent.error?.code === 'rate-limited');
  const loginRefused = stream.classify('private', { event: 'login', code: '60024', msg: 'Wrong passphrase' }, '');
  assert.ok(loginRefused.role === 'login-ack' && loginRefused.error?.code === 'auth');
  assert.deepEqual(stream.classify('private', stream.decode('pong'), 'pong'), { role: 'pong' });
  assert.deepEqual(classify('notice-service-upgrade.json'), { role: 'shutdown' });
  for (const path of ['orders-push.json', 'account-push.json', 'positions-push.json', 'orders-push-swap-market-filled-demo-recorded-2022-05.json']) {
    assert.equal(classify(path).role, 'event', path);
  }
  for (const path of ['fills-push.json', 'balance-and-position-push.json', 'trades-push.json']) assert.equal(classify(path).role, 'unknown', path);
  assert.deepEqual(classify('unsubscribe-response.json'), { role: 'ignore' });
  assert.deepEqual(stream.classify('private', { event: 'channel-conn-count', channel: 'orders', connCount: '2' }, ''), { role: 'ignore' });
  const ended = stream.classify('private', { event: 'channel-conn-count-error', channel: 'orders', connCount: '20', connId: 'a4d3ae55' }, '');
  assert.ok(ended.role === 'unsubscribed' && /orders subscription/.test(ended.error.message), JSON.stringify(ended));
});

test('heartbeat: text ping every 20 s, stale after 30 s; outgoing pacing; only the private connection', () => {
  const hb = stream.heartbeat('private');
  assert.equal(hb.clientPing?.frame(), 'ping');
  assert.equal(hb.clientPing?.intervalMs, 20_000);
  assert.equal(hb.staleAfterMs, 30_000);
  assert.ok(stream.maxOutgoingPerSecond('private') >= 1);
  assert.throws(() => stream.url('public', undefined), (e: unknown) => e instanceof VenueError && e.code === 'invalid-argument');
});

test('orders push (recorded SPOT market order): live, partially filled with its taker fill, filled without a fill', () => {
  const reports = fixtureLines('okx/ws/orders-push-recorded.jsonl').flatMap(events).map((e) => (e.kind === 'order' ? e.report : undefined));
  assert.deepEqual(reports.map((r) => r?.status), ['filled', 'new', 'partially-filled', 'filled']);
  const [maker, live, partial, filled] = reports;
  assert.equal(maker?.clientOrderId, 'HamsterParty14');
  assert.equal(maker?.fill?.liquidity, 'maker');
  assert.equal(maker?.fill?.tradeId, '242589207');
  assert.equal(maker?.fill?.fee?.toString(), '0.02522168', 'OKX -0.02522168 = charged');
  assert.equal(live?.fill, undefined);
  assert.equal(live?.average, undefined, 'avgPx "0" before a fill');
  assert.equal(live?.amount, undefined, 'sz is quote (tgtCcy quote_ccy)');
  assert.equal(partial?.source, 'stream');
  assert.equal(partial?.symbol, 'BTC/USDT');
  assert.equal(partial?.orderId, '620258920632008725');
  assert.equal(partial?.filled?.toString(), '0.00038128');
  assert.equal(partial?.average?.toString(), '26228.1');
  const fill = partial?.fill;
  assert.deepEqual(
    fill && { ...fill, price: fill.price.toString(), amount: fill.amount.toString(), fee: fill.fee?.toString() },
    {
      venue: 'okx',
      symbol: 'BTC/USDT',
      tradeId: '435550732',
      orderId: '620258920632008725',
      side: 'sell',
      price: '26228.1',
      amount: '0.00038128',
      fee: '0.010000249968',
      feeCurrency: 'USDT',
      liquidity: 'taker',
      exchangeTime: 1694153250535,
      receivedAt: AT,
    },
  );
  assert.equal(filled?.fill, undefined, 'the final push has fillSz "0" and no tradeId');
  assert.equal(filled?.filled?.toString(), '0.00038128');
});

test('orders pushes: OKB quote-sized market buy, SWAP demo fill in contracts, the documented push', () => {
  const okb = fixtureLines('okx/ws/orders-push-spot-market-quote-ccy-recorded-2024-01.jsonl').flatMap(events);
  assert.deepEqual(okb.map((e) => (e.kind === 'order' ? [e.report.status, e.report.fill?.tradeId, e.report.fill?.amount.toString()] : [])), [
    ['new', undefined, undefined],
    ['partially-filled', '590957341', '1.844337'],
    ['filled', undefined, undefined],
  ]);
  const [swap] = events(fixtureText('okx/ws/orders-push-swap-market-filled-demo-recorded-2022-05.json'));
  assert.ok(swap?.kind === 'order');
  assert.equal(swap.report.symbol, 'BTC/USDT:USDT');
  assert.equal(swap.report.amount?.toString(), '1', 'contracts');
  assert.equal(swap.report.clientOrderId, 'e847386590ce4dBCc5a7819555ec1583');
  assert.equal(swap.report.fill?.fee?.toString(), '0.1948955');
  assert.equal(swap.report.reduceOnly, false);
  const [doc] = events(fixtureText('okx/ws/orders-push.json'));
  assert.ok(doc?.kind === 'order' && doc.report.status === 'filled' && doc.report.fill?.tradeId === '242589207');
  const unknown = JSON.parse(fixtureText('okx/ws/orders-push.json')) as { data: Array<Record<string, unknown>> };
  const other = { ...unknown, data: [{ ...unknown.data[0], instId: 'DOGE-USDT' }] };
  assert.deepEqual(stream.parseEvents('private', other, resolve, AT), [], 'orders of markets not loaded are left out');
  // Mutated: a state OKX does not document passes through, noted; an unreadable side refuses the row.
  const [odd] = stream.parseEvents('private', { ...unknown, data: [{ ...unknown.data[0], state: 'rejected' }] }, resolve, AT);
  assert.equal(odd?.kind === 'order' ? odd.report.venueStatus : undefined, 'rejected');
  const bad = { ...unknown, data: [{ ...unknown.data[0], side: 'BUY' }] };
  assert.throws(() => stream.parseEvents('private', bad, resolve, AT), (e: unknown) => e instanceof VenueError && e.code === 'decode' && /data\[0\]\.side/.test(e.message));
});

test('account push → balances (snapshot: not partial); event_update → partial', () => {
  const [e] = events(fixtureText('okx/ws/account-push.json'));
  assert.ok(e?.kind === 'balance');
  assert.equal(e.balances.account, 'trading');
  assert.equal(e.balances.partial, false);
  assert.equal(e.balances.exchangeTime, 1705564223311);
  const usdt = e.balances.balances['USDT'];
  assert.deepEqual([usdt?.free.toString(), usdt?.used.toString(), usdt?.total.toString()], ['4734.371190691436', '158.57998', '4892.951170691436']);
  const update = { ...(JSON.parse(fixtureText('okx/ws/account-push.json')) as Record<string, unknown>), eventType: 'event_update' };
  const [u] = stream.parseEvents('private', update, resolve, AT);
  assert.ok(u?.kind === 'balance' && u.balances.partial);
});

test('positions push → hedge-mode long legs of a FUTURES and a SWAP position', () => {
  const positions = events(fixtureText('okx/ws/positions-push.json')).map((e) => (e.kind === 'position' ? e.position : undefined));
  assert.deepEqual(positions.map((p) => p?.symbol), ['ETH/USD:ETH-210430', 'ETH/USD:ETH']);
  const [fut] = positions;
  assert.equal(fut?.side, 'long');
  assert.equal(fut?.hedgeSide, 'long');
  assert.equal(fut?.contracts.toString(), '1');
  assert.equal(fut?.entryPrice?.toString(), '2566.31');
  assert.equal(fut?.markPrice?.toString(), '2353.849');
  assert.equal(fut?.realizedPnl?.toString(), '0.001');
  assert.equal(fut?.leverage?.toString(), '10');
  assert.equal(fut?.marginMode, 'isolated');
  assert.equal(fut?.liquidationPrice?.toString(), '2352.8496681818233');
  assert.equal(fut?.exchangeTime, 1619507761462);
});

test('channel-conn-count-error on a live session: private-down, a new login and subscribe, ready as a reconnect, orders again', async () => {
  // A small OKX private endpoint answering with the documented frames: the login success fixture, the subscribe ack
  // fixture with the request's id and arg put in (OKX echoes them), then on the first connection the documented
  // `channel-conn-count-error` (docs: overview, WebSocket connection count limit), after which OKX sends no more orders
  // on that socket and keeps it open; on the second, the documented orders push.
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', r));
  const ack = JSON.parse(fixtureText('okx/ws/orders-subscribe-response.json')) as Record<string, unknown>;
  let connections = 0;
  const logins: unknown[] = [];
  server.on('connection', (ws) => {
    const n = ++connections;
    let acked = 0;
    ws.on('message', (d) => {
      const text = d.toString();
      if (text === 'ping') return ws.send('pong');
      const req = JSON.parse(text) as { id?: string; op: string; args: unknown[] };
      if (req.op === 'login') {
        logins.push(req.args[0]);
        return ws.send(fixtureText('okx/ws/login-response-success.json'));
      }
      ws.send(JSON.stringify({ ...ack, id: req.id, arg: req.args[0] }));
      if (++acked < 3) return;
      if (n === 1) ws.send(JSON.stringify({ event: 'channel-conn-count-error', channel: 'orders', connCount: '20', connId: 'a4d3ae55' }));
      else ws.send(fixtureText('okx/ws/orders-push.json'));
    });
  });
  const { port } = server.address() as AddressInfo;
  const dialect = createOkxTrading({ urls: { ...OKX_PRODUCTION, private: `ws://127.0.0.1:${port}/ws/v5/private` } }).privateStream;
  const orders: string[] = [];
  const session = new PrivateSession({
    dialect,
    connection: 'private',
    credentials: { apiKey: 'key', secret: SECRET, passphrase: 'pass' },
    now: () => Date.now(),
    request: async () => ({ body: undefined }),
    resolve,
    onEvents: (events) => {
      for (const e of events) if (e.kind === 'order') orders.push(e.report.orderId ?? '');
    },
    backoff: { initialMs: 10, maxMs: 50 },
  });
  const ready: boolean[] = [];
  const downs: string[] = [];
  const problems: string[] = [];
  session.events.on('ready', (e) => ready.push(e.reconnect));
  session.events.on('down', (e) => downs.push(e.reason));
  session.events.on('problem', (e) => problems.push(e.error.message));
  try {
    await session.ready();
    await waitFor(() => ready.length === 2, 'ready again after OKX ended the orders subscription', 5000);
    assert.deepEqual(ready, [false, true], 'a reconnect: the trading layer reconciles');
    assert.equal(downs.length, 1, downs.join('\n'));
    assert.match(downs[0] ?? '', /ended a subscription: .*orders subscription/);
    assert.ok(problems.some((m) => /too many connections subscribe to it \(20 connections\)/.test(m)), problems.join('\n'));
    assert.equal(logins.length, 2);
    assert.equal(connections, 2);
    await waitFor(() => orders.length > 0, 'the orders push on the new subscription');
  } finally {
    await session.close();
    for (const c of server.clients) c.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
