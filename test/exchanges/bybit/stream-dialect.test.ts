/** The Bybit stream dialect: URLs per category, subscribe frames and batching, classification of real frames, heartbeat and limits. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { StreamTopic } from '../../../src/core/venue.js';
import { BYBIT_DEMO, BYBIT_MAINNET, BYBIT_TESTNET, bybitUrlsAt } from '../../../src/exchanges/bybit/config.js';
import {
  bookDepthFor,
  classifyBybitFrame,
  createBybitStreamDialect,
  klineTopic,
  orderbookTopic,
  publicTradeTopic,
  tickersTopic,
  topicParts,
} from '../../../src/exchanges/bybit/stream-dialect.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const ws = (name: string): unknown => parseJson(fixtureText(`bybit/ws/${name}`));
const dialect = createBybitStreamDialect();

function counter(): () => number {
  let n = 0;
  return () => ++n;
}

test('each category has its own public URL; the private stream its own; testnet and demo differ', () => {
  assert.equal(dialect.url('spot'), 'wss://stream.bybit.com/v5/public/spot');
  assert.equal(dialect.url('linear'), 'wss://stream.bybit.com/v5/public/linear');
  assert.equal(dialect.url('inverse'), 'wss://stream.bybit.com/v5/public/inverse');
  assert.equal(dialect.url('private'), 'wss://stream.bybit.com/v5/private');
  assert.equal(BYBIT_MAINNET.rest, 'https://api.bybit.com');
  assert.equal(BYBIT_TESTNET.ws.linear, 'wss://stream-testnet.bybit.com/v5/public/linear');
  assert.equal(BYBIT_DEMO.rest, 'https://api-demo.bybit.com');
  assert.equal(BYBIT_DEMO.ws.spot, 'wss://stream.bybit.com/v5/public/spot', 'demo market data is mainnet public');
  assert.equal(BYBIT_DEMO.ws.private, 'wss://stream-demo.bybit.com/v5/private');
  const local = createBybitStreamDialect(bybitUrlsAt('http://127.0.0.1:9000/', 'ws://127.0.0.1:9001'));
  assert.equal(local.url('linear'), 'ws://127.0.0.1:9001/v5/public/linear');
  assert.throws(() => dialect.url('option'), (e: unknown) => VenueError.is(e, 'invalid-argument'));
});

test('topics are the Bybit topic strings, routed to their category connection', () => {
  assert.deepEqual(orderbookTopic('linear', 'BTCUSDT', 200), { key: 'orderbook.200.BTCUSDT', connection: 'linear' });
  assert.deepEqual(publicTradeTopic('spot', 'BTCUSDT'), { key: 'publicTrade.BTCUSDT', connection: 'spot' });
  assert.deepEqual(tickersTopic('inverse', 'BTCUSD'), { key: 'tickers.BTCUSD', connection: 'inverse' });
  assert.deepEqual(klineTopic('linear', 'BTCUSDT', '1h'), { key: 'kline.60.BTCUSDT', connection: 'linear' });
  assert.deepEqual(klineTopic('spot', 'BTCUSDT', '1d').key, 'kline.D.BTCUSDT');
  assert.throws(() => orderbookTopic('spot', 'BTCUSDT', 500), (e: unknown) => VenueError.is(e, 'invalid-argument'));
  assert.throws(() => klineTopic('spot', 'BTCUSDT', '2m'), (e: unknown) => VenueError.is(e, 'invalid-argument'));
  assert.deepEqual(topicParts('orderbook.50.BTCUSDT'), { channel: 'orderbook', param: '50', id: 'BTCUSDT' });
  assert.deepEqual(topicParts('tickers.BTC-26DEC25'), { channel: 'tickers', id: 'BTC-26DEC25' });
  assert.equal(topicParts('order'), undefined);
});

test('a wanted book depth picks the smallest streamed window that covers it, never the snapshot-only level 1', () => {
  assert.deepEqual([1, 20, 50, 51, 200, 201, 1000, 5000, undefined].map(bookDepthFor), [50, 50, 50, 200, 200, 1000, 1000, 1000, 1000]);
});

test('subscribe frames carry req_id and args; spot batches at most 10 topics per frame', () => {
  const spotTopics: StreamTopic[] = Array.from({ length: 23 }, (_, i) => publicTradeTopic('spot', `C${i}USDT`));
  const frames = dialect.subscribeFrames(spotTopics, counter()).map((f) => JSON.parse(f) as { req_id: string; op: string; args: string[] });
  assert.deepEqual(frames.map((f) => f.args.length), [10, 10, 3]);
  assert.deepEqual(frames.map((f) => f.req_id), ['1', '2', '3']);
  assert.ok(frames.every((f) => f.op === 'subscribe'));
  const doc = JSON.parse(fixtureText('bybit/ws/subscribe-request.json')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(frames[0] as object).sort(), Object.keys(doc).sort(), 'the documented request shape');
  const linear = dialect.unsubscribeFrames([orderbookTopic('linear', 'BTCUSDT', 50), publicTradeTopic('linear', 'BTCUSDT')], counter());
  assert.deepEqual(JSON.parse(linear[0] as string), { req_id: '1', op: 'unsubscribe', args: ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT'] });
  assert.equal(dialect.limits('spot').maxTopicsPerFrame, 10);
  assert.ok(dialect.limits('linear').maxTopicsPerFrame > 10);
});

test('classifies the real acks of every market as acks matched by req_id', () => {
  assert.deepEqual(classifyBybitFrame(ws('subscribe-response-public-spot.json')), { role: 'ack', id: '10001' });
  assert.deepEqual(classifyBybitFrame(ws('subscribe-response-private-recorded.json')), { role: 'ack', id: '637293387100229' });
  assert.deepEqual(classifyBybitFrame(ws('subscribe-response-public-linear.json')), { role: 'ack', id: undefined }, 'an empty req_id is no id');
  assert.deepEqual(classifyBybitFrame(ws('subscribe-response-public-option.json')), { role: 'ack', id: undefined });
  assert.deepEqual(classifyBybitFrame(ws('auth-response-success-recorded.json')), { role: 'ack', id: '637267887005765' });
  for (const file of ['public-trade-BTCUSDT-spot-recorded-sequence.jsonl', 'orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl']) {
    assert.deepEqual(classifyBybitFrame(parseJson(fixtureLines(`bybit/ws/${file}`)[0] as string)), { role: 'ack', id: '1' });
  }
});

test('classifies every documented and recorded pong shape as pong', () => {
  for (const file of ['pong-public-spot.json', 'pong-public-linear.json', 'pong-public-option.json', 'pong-public-recorded.json', 'pong-private.json', 'trade-pong.json']) {
    assert.deepEqual(classifyBybitFrame(ws(file)), { role: 'pong' }, file);
  }
});

test('data frames are routed by topic with the whole frame as payload', () => {
  const frame = ws('orderbook-delta.json');
  const c = classifyBybitFrame(frame);
  assert.equal(c.role, 'data');
  assert.equal(c.role === 'data' && c.topic, 'orderbook.50.BTCUSDT');
  assert.equal(c.role === 'data' && c.payload, frame);
  const kline = classifyBybitFrame(ws('kline.json'));
  assert.equal(kline.role === 'data' && kline.topic, 'kline.5.BTCUSDT');
});

test('a failed subscribe is a nack with the venue message; "already subscribed" counts as done', () => {
  const failed = classifyBybitFrame({ success: false, ret_msg: 'Invalid symbol :[orderbook.50.NOPE]', conn_id: 'x', req_id: '7', op: 'subscribe' });
  assert.equal(failed.role, 'nack');
  assert.ok(failed.role === 'nack' && failed.id === '7' && VenueError.is(failed.error, 'invalid-argument') && /Invalid symbol/.test(failed.error.message));
  const optionFail = classifyBybitFrame({ success: true, conn_id: 'x', data: { failTopics: ['orderbook.100.X'], successTopics: [] }, type: 'COMMAND_RESP' });
  assert.equal(optionFail.role, 'nack');
  assert.deepEqual(classifyBybitFrame({ success: false, ret_msg: 'error:already subscribed,topic:orderbook.50.BTCUSDT', req_id: '8', op: 'subscribe' }), { role: 'ack', id: '8' });
  const auth = classifyBybitFrame({ success: false, ret_msg: 'Params Error', op: 'auth', req_id: '9' });
  assert.ok(auth.role === 'nack' && VenueError.is(auth.error, 'auth'));
});

test('anything else is unknown (counted and reported by the core), never a crash', () => {
  for (const frame of [null, 42, 'text', [], {}, { op: 'subscribe' }, { topic: 5, data: {} }]) assert.equal(classifyBybitFrame(frame).role, 'unknown');
});

test('the client pings with {"op":"ping"} every 20 s and calls a connection stale after 30 s of silence', () => {
  const hb = dialect.heartbeat('linear');
  assert.equal(hb.clientPing?.intervalMs, 20_000);
  assert.deepEqual(JSON.parse(hb.clientPing?.frame() ?? ''), { op: 'ping' });
  assert.equal(hb.staleAfterMs, 30_000);
  const recorded = JSON.parse(fixtureText('bybit/ws/ping-request-recorded.json')) as Record<string, unknown>;
  assert.equal(recorded['op'], 'ping');
  const limits = dialect.limits('inverse');
  assert.ok(limits.maxTopicsPerConnection > 0 && limits.maxOutgoingPerSecond > 0);
  assert.equal(limits.maxLifetimeMs, undefined, 'public connections have no lifetime');
  assert.throws(() => dialect.limits('nope'), (e: unknown) => VenueError.is(e, 'invalid-argument'));
});

test('decode keeps 64-bit ids exact and reports malformed text as decode', () => {
  const f = dialect.decode('{"topic":"x.Y","data":{"u":12345678901234567890}}') as { data: { u: unknown } };
  assert.equal(f.data.u, '12345678901234567890');
  assert.throws(() => dialect.decode('{oops'), (e: unknown) => VenueError.is(e, 'decode'));
});
