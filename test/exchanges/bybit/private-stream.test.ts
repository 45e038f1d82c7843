/**
 * The Bybit private-stream dialect on the real frames: auth frame and its signature, the one subscribe
 * frame, classification of acks/pongs/pushes, heartbeat, and the events of order, execution, position and
 * wallet pushes (recorded Jan 2025 and doc examples).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import type { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import type { Market } from '../../../src/core/model.js';
import type { MarketResolver, PrivateEvent } from '../../../src/core/trading.js';
import { bybitUrlsAt } from '../../../src/exchanges/bybit/config.js';
import { createBybitPrivateStream } from '../../../src/exchanges/bybit/private-stream.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const dialect = createBybitPrivateStream(bybitUrlsAt('http://127.0.0.1:1', 'ws://127.0.0.1:2'));
const wsText = (name: string): string => fixtureText(`bybit/ws/${name}`);
const classify = (name: string) => {
  const text = wsText(name);
  return dialect.classify('private', dialect.decode(text), text);
};
const str = (d: Decimal | undefined): string | undefined => d?.toString();


const MARKETS = [tradingMarket('XRPUSDT', 'linear', 'XRP', 'USDT', '0.0001', '1'), tradingMarket('BTCUSDT', 'linear', 'BTC', 'USDT', '0.0001', '1'), tradingMarket('ICPUSDT', 'linear', 'ICP', 'USDT', '0.0001', '1'), tradingMarket('BTCUSDT', 'spot', 'BTC', 'USDT', '0.0001', '1')];
const resolve: MarketResolver = (id, segment) => MARKETS.find((m) => m.id === id && m.segment === segment);
const events = (name: string, receivedAt = 99): PrivateEvent[] => {
  const inbound = classify(name);
  assert.equal(inbound.role, 'event', name);
  return dialect.parseEvents('private', (inbound as { payload: unknown }).payload, resolve, receivedAt);
};

test('login: one auth frame with expires = venue time + 10 s, signed hex HMAC-SHA256 over "GET/realtime" + expires', () => {
  const secret = 'test-secret-not-from-bybit';
  let id = 10001;
  const frames = dialect.loginFrames('private', { apiKey: 'api_key', secret }, 1662350390000, () => id++);
  assert.equal(frames.length, 1);
  const frame = JSON.parse(frames[0] as string) as { req_id: string; op: string; args: [string, number, string] };
  const documented = JSON.parse(wsText('auth-request.json')) as { req_id: string; op: string; args: unknown[] };
  assert.deepEqual(Object.keys(frame), Object.keys(documented), 'the documented field order');
  assert.equal(frame.req_id, '10001');
  assert.equal(frame.op, 'auth');
  assert.equal(frame.args[0], 'api_key');
  assert.equal(frame.args[1], 1662350400000, 'the documented expires, as a number');
  assert.equal(frame.args[2], createHmac('sha256', secret).update('GET/realtime1662350400000').digest('hex'));
  assert.throws(() => dialect.loginFrames('private', { apiKey: 'k', secret: '' }, 1, () => 1), (e: unknown) => VenueError.is(e, 'auth'));
  const longer = createBybitPrivateStream(bybitUrlsAt('http://a', 'ws://b'), { authValidityMs: 30_000 });
  assert.equal((JSON.parse(longer.loginFrames('private', { apiKey: 'k', secret }, 1000, () => 1)[0] as string) as { args: unknown[] }).args[1], 31_000);
});

test('subscribe: one frame for order, execution, position and wallet; url, heartbeat and pacing', () => {
  const frames = dialect.subscribeFrames('private', () => 7);
  assert.deepEqual(frames.map((f) => JSON.parse(f) as unknown), [{ req_id: '7', op: 'subscribe', args: ['order', 'execution', 'position', 'wallet'] }]);
  const doc = JSON.parse(wsText('private-order-subscribe.json')) as { op: string };
  assert.equal(doc.op, 'subscribe');
  assert.equal(dialect.url('private', undefined), 'ws://127.0.0.1:2/v5/private');
  const hb = dialect.heartbeat('private');
  assert.equal(hb.clientPing?.frame(), '{"op":"ping"}');
  assert.equal(hb.clientPing?.intervalMs, 20_000);
  assert.ok(hb.staleAfterMs > 20_000);
  assert.equal(dialect.maxOutgoingPerSecond('private'), 10);
  assert.equal(dialect.prepare, undefined, 'no REST step before connecting');
  assert.throws(() => dialect.url('linear', undefined), (e: unknown) => VenueError.is(e, 'invalid-argument'));
});

test('classify: auth and subscribe acks (doc and recorded), pong, pushes; failures are auth errors', () => {
  assert.deepEqual(classify('auth-response-success.json'), { role: 'login-ack' });
  assert.deepEqual(classify('auth-response-success-recorded.json'), { role: 'login-ack' });
  assert.deepEqual(classify('subscribe-response-private.json'), { role: 'subscribe-ack' });
  assert.deepEqual(classify('subscribe-response-private-recorded.json'), { role: 'subscribe-ack' });
  assert.deepEqual(classify('pong-private.json'), { role: 'pong' });
  for (const name of ['private-order-new-recorded.json', 'private-execution-recorded.json', 'private-position-recorded.json', 'private-wallet-recorded.json', 'private-fast-execution.json']) {
    assert.equal(classify(name).role, 'event', name);
  }
  const refused = dialect.classify('private', { success: false, ret_msg: 'error:request expired', op: 'auth', conn_id: 'x' }, '');
  assert.equal(refused.role, 'login-ack');
  assert.ok(refused.role === 'login-ack' && VenueError.is(refused.error, 'auth') && refused.error.message.includes('request expired'));
  const subRefused = dialect.classify('private', { success: false, ret_msg: 'Request not authorized', op: 'subscribe', conn_id: 'x' }, '');
  assert.ok(subRefused.role === 'subscribe-ack' && VenueError.is(subRefused.error, 'auth'));
  assert.deepEqual(dialect.classify('private', { success: false, ret_msg: 'error:already subscribed,topic:order', op: 'subscribe' }, ''), { role: 'subscribe-ack' });
  assert.deepEqual(dialect.classify('private', { retCode: 10019, retMsg: 'service is restarting' }, ''), { role: 'shutdown' });
  assert.equal(dialect.classify('private', { topic: 'greeks', data: [] }, '').role, 'unknown');
  assert.equal(dialect.classify('private', 'text', 'text').role, 'unknown');
});

test('a recorded new order push: one order report from the stream, market resolved by symbol and category', () => {
  const evs = events('private-order-new-recorded.json');
  assert.equal(evs.length, 1);
  const ev = evs[0];
  assert.ok(ev?.kind === 'order');
  const r = ev.report;
  assert.equal(r.symbol, 'XRP/USDT:USDT');
  assert.equal(r.orderId, 'e09b7733-3df0-4684-b866-f5a802fb7ee2');
  assert.equal(r.clientOrderId, undefined);
  assert.equal(r.status, 'new');
  assert.equal(r.side, 'buy');
  assert.equal(r.type, 'limit');
  assert.deepEqual([r.price, r.amount, r.filled].map(str), ['2.5293', '10', '0']);
  assert.equal(r.average, undefined);
  assert.equal(r.timeInForce, 'GTC');
  assert.equal(r.source, 'stream');
  assert.equal(r.exchangeTime, 1737725795596);
  assert.equal(r.receivedAt, 99);
});

test('the doc order push is an option order: left out when the resolver does not serve options', () => {
  assert.deepEqual(events('private-order.json'), []);
  const option = { ...MARKETS[0], symbol: 'ETH/USD:USDC-221230-1400-C', id: 'ETH-30DEC22-1400-C', segment: 'option' } as Market;
  const inbound = classify('private-order.json');
  const evs = dialect.parseEvents('private', (inbound as { payload: unknown }).payload, (id, seg) => (id === option.id && seg === 'option' ? option : undefined), 1);
  assert.ok(evs[0]?.kind === 'order');
  assert.equal(evs[0].report.status, 'filled');
  assert.deepEqual([evs[0].report.filled, evs[0].report.average].map(str), ['1', '75']);
  assert.equal(evs[0].report.timeInForce, 'IOC');
});

test('a recorded market order filled as two executions: two fills with ids, prices, quantities, fees in USDT, taker', () => {
  const evs = events('private-execution-recorded.json');
  assert.deepEqual(
    evs.map((e) => (e.kind === 'fill' ? [e.fill.tradeId, e.fill.orderId, e.fill.side, str(e.fill.price), str(e.fill.amount), str(e.fill.fee), e.fill.feeCurrency, e.fill.liquidity, e.fill.exchangeTime] : e.kind)),
    [
      ['ba509918-9526-5485-acbf-9dc2af25ae1e', 'c7cffe92-d5e1-403a-9e8b-3cb3508f7dcc', 'buy', '3.1424', '1', '0.00125696', 'USDT', 'taker', 1737725902941],
      ['d382f1b7-fb96-5721-87da-ee475174bc19', 'c7cffe92-d5e1-403a-9e8b-3cb3508f7dcc', 'buy', '3.1427', '9', '0.01131372', 'USDT', 'taker', 1737725902941],
    ],
  );
});

test('doc executions: feeCurrency as given; execution.fast carries no fee', () => {
  const [doc] = events('private-execution.json');
  assert.ok(doc?.kind === 'fill');
  assert.deepEqual([doc.fill.side, str(doc.fill.price), str(doc.fill.amount), str(doc.fill.fee), doc.fill.feeCurrency], ['sell', '95900.1', '0.5', '26.3725275', 'USDT']);
  const [fast] = events('private-fast-execution.json');
  assert.ok(fast?.kind === 'fill');
  assert.equal(fast.fill.tradeId, '3510f361-0add-5c7b-a2e7-9679810944fc');
  assert.equal(fast.fill.clientOrderId, 'test-00001');
  assert.equal(fast.fill.fee, undefined);
  assert.equal(fast.fill.feeCurrency, undefined);
  assert.equal(str(fast.fill.amount), '3000');
});

test('positions: the recorded long of 4 XRP and the doc flat hedge-mode sell leg', () => {
  const [rec] = events('private-position-recorded.json');
  assert.ok(rec?.kind === 'position');
  const p = rec.position;
  assert.deepEqual([p.symbol, p.side, str(p.contracts), str(p.entryPrice), str(p.markPrice), str(p.unrealizedPnl), str(p.realizedPnl), str(p.leverage)], ['XRP/USDT:USDT', 'long', '4', '2.7862', '3.1342', '1.392', '0.05007561', '10']);
  assert.equal(p.liquidationPrice, undefined);
  assert.equal(p.hedgeSide, undefined);
  assert.equal(p.exchangeTime, 1737705600059);
  const [doc] = events('private-position.json');
  assert.ok(doc?.kind === 'position');
  assert.equal(doc.position.side, 'flat');
  assert.equal(str(doc.position.contracts), '0');
  assert.equal(doc.position.entryPrice, undefined, 'entryPrice "0" is none');
  assert.equal(doc.position.hedgeSide, 'short');
});

test('wallet pushes: a partial balance update of the unified account (recorded with order and position margin)', () => {
  const [rec] = events('private-wallet-recorded.json');
  assert.ok(rec?.kind === 'balance');
  assert.equal(rec.balances.account, 'unified');
  assert.equal(rec.balances.partial, true);
  assert.equal(rec.balances.exchangeTime, 1737725795605);
  const usdt = rec.balances.balances['USDT'];
  assert.deepEqual([usdt?.total, usdt?.used, usdt?.free].map(str), ['1000.05007561', '3.67572787', '996.37434774']);
  const [doc] = events('private-wallet.json');
  assert.ok(doc?.kind === 'balance');
  assert.deepEqual([doc.balances.balances['BTC']?.free, doc.balances.balances['BTC']?.used].map(str), ['0.00102964', '0']);
});

test('pushes whose only row is malformed are decode errors naming the field; an unknown status is not', () => {
  const frame = JSON.parse(wsText('private-order-new-recorded.json')) as { data: Array<Record<string, unknown>> };
  const odd = { ...frame, data: [{ ...frame.data[0], orderStatus: 'Working' }] };
  const [event] = dialect.parseEvents('private', odd, resolve, 1);
  assert.equal(event?.kind === 'order' ? event.report.venueStatus : undefined, 'Working');
  const noCategory = { ...frame, data: [{ ...frame.data[0], category: undefined }] };
  assert.throws(() => dialect.parseEvents('private', noCategory, resolve, 1), (e: unknown) => VenueError.is(e, 'decode') && e.message.includes('data[0].category'));
  const exec = JSON.parse(wsText('private-execution-recorded.json')) as { data: Array<Record<string, unknown>> };
  const badQty = { ...exec, data: [{ ...exec.data[0], execQty: 'ten' }] };
  assert.throws(() => dialect.parseEvents('private', badQty, resolve, 1), (e: unknown) => VenueError.is(e, 'decode') && e.message.includes('data[0].execQty'));
});
