/** The OKX stream dialect: topics, subscribe frames, classification of real frames, text ping/pong, limits, URLs. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJson } from '../../../src/core/json.js';
import type { StreamTopic } from '../../../src/core/venue.js';
import { OKX_DEMO, OKX_PRODUCTION } from '../../../src/exchanges/okx/config.js';
import { bookTopic, candleTopic, createOkxStreamDialect, tickersTopic, tradesTopic } from '../../../src/exchanges/okx/stream-dialect.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const dialect = createOkxStreamDialect();

function classifyText(text: string) {
  return dialect.classify(dialect.decode(text), text);
}
function classifyFixture(path: string) {
  return classifyText(fixtureText(path));
}

test('names topics channel:instId on the connection that serves them (candles on business)', () => {
  assert.deepEqual(bookTopic('BTC-USDT'), { key: 'books:BTC-USDT', connection: 'public' });
  assert.deepEqual(bookTopic('BTC-USDT-SWAP', 'books5'), { key: 'books5:BTC-USDT-SWAP', connection: 'public' });
  assert.deepEqual(bookTopic('BCH-USDT-SWAP', 'bbo-tbt'), { key: 'bbo-tbt:BCH-USDT-SWAP', connection: 'public' });
  assert.deepEqual(tradesTopic('BTC-USDT'), { key: 'trades:BTC-USDT', connection: 'public' });
  assert.deepEqual(tickersTopic('BTC-USD-220527'), { key: 'tickers:BTC-USD-220527', connection: 'public' });
  assert.deepEqual(candleTopic('BTC-USDT', '1d'), { key: 'candle1D:BTC-USDT', connection: 'business' });
  assert.deepEqual(candleTopic('BTC-USDT', '1h'), { key: 'candle1H:BTC-USDT', connection: 'business' });
  assert.throws(() => candleTopic('BTC-USDT', '7m'), /invalid-argument/);
});

test('writes subscribe and unsubscribe frames shaped like the documented requests, with string ids', () => {
  let id = 1511;
  const [frame] = dialect.subscribeFrames([bookTopic('BTC-USDT')], () => ++id);
  assert.deepEqual(JSON.parse(frame as string), JSON.parse(fixtureText('okx/ws/books-subscribe-request.json')));
  const [unsub] = dialect.unsubscribeFrames([tickersTopic('BTC-USDT')], () => 7);
  const expected = JSON.parse(fixtureText('okx/ws/unsubscribe-request.json')) as Record<string, unknown>;
  assert.deepEqual(JSON.parse(unsub as string), { id: '7', ...expected });
});

test('batches topics 100 to a frame, each frame well under the 64 KB args limit', () => {
  const topics: StreamTopic[] = Array.from({ length: 250 }, (_, i) => bookTopic(`COIN${i}-USDT-SWAP`));
  let id = 0;
  const frames = dialect.subscribeFrames(topics, () => ++id);
  assert.equal(frames.length, 3);
  const parsed = frames.map((f) => JSON.parse(f) as { id: string; args: unknown[] });
  assert.deepEqual(parsed.map((f) => [f.id, f.args.length]), [['1', 100], ['2', 100], ['3', 50]]);
  assert.ok(frames.every((f) => Buffer.byteLength(f) < 64 * 1024));
  assert.equal(dialect.limits('public').maxTopicsPerFrame, 100);
});

test('routes pushes by arg.channel and arg.instId, handing the whole push to the parser', () => {
  for (const [path, key] of [
    ['okx/ws/books-snapshot.json', 'books:BTC-USDT'],
    ['okx/ws/books5.json', 'books5:BCH-USDT-SWAP'],
    ['okx/ws/bbo-tbt.json', 'bbo-tbt:BCH-USDT-SWAP'],
    ['okx/ws/tickers-push.json', 'tickers:BTC-USDT'],
    ['okx/ws/candle-push.json', 'candle1D:BTC-USDT'],
    ['okx/ws/trades-push.json', 'trades:BTC-USDT'],
  ] as const) {
    const c = classifyFixture(path);
    assert.equal(c.role, 'data', path);
    if (c.role === 'data') {
      assert.equal(c.topic, key);
      assert.deepEqual(c.payload, parseJson(fixtureText(path)));
    }
  }
});

test('classifies every frame of the recorded 2022 session: acks, then data on the subscribed topics', () => {
  const roles = new Map<string, number>();
  const topics = new Set<string>();
  for (const line of fixtureLines('okx/ws/public-recorded-session-2022-05.jsonl')) {
    const c = classifyText(line);
    roles.set(c.role, (roles.get(c.role) ?? 0) + 1);
    if (c.role === 'data') topics.add(c.topic);
  }
  assert.deepEqual(Object.fromEntries(roles), { ack: 18, data: 392 });
  assert.equal(topics.size, 9);
  assert.ok(topics.has('books:BTC-USD-220527') && topics.has('trades:UNI-USD-SWAP') && topics.has('tickers:BTC-USDT'));
});

test('acknowledges subscribe and unsubscribe by the request id (or none when the venue sent none)', () => {
  assert.deepEqual(classifyFixture('okx/ws/subscribe-response.json'), { role: 'ack', id: '1512' });
  assert.deepEqual(classifyFixture('okx/ws/books-subscribe-response.json'), { role: 'ack', id: '1512' });
  assert.deepEqual(classifyFixture('okx/ws/unsubscribe-response.json'), { role: 'ack', id: undefined });
  assert.deepEqual(classifyText(fixtureLines('okx/ws/books5-BTC-USDT-recorded-with-seqid.jsonl')[0] as string), { role: 'ack', id: undefined });
});

test('turns event:error into a nack with the decoded error', () => {
  const failure = classifyFixture('okx/ws/books-subscribe-failure.json');
  assert.equal(failure.role, 'nack');
  if (failure.role === 'nack') {
    assert.equal(failure.id, '1512');
    assert.deepEqual([failure.error.code, failure.error.venueCode], ['invalid-argument', '60012']);
  }
  const tooFrequent = classifyFixture('okx/ws/error-60014-requests-too-frequent-recorded-2025-02.json');
  assert.equal(tooFrequent.role, 'nack');
  if (tooFrequent.role === 'nack') assert.deepEqual([tooFrequent.id, tooFrequent.error.code], [undefined, 'rate-limited']);
  const login = classifyFixture('okx/ws/login-response-failure.json');
  assert.equal(login.role === 'nack' && login.error.code, 'auth');
});

test('treats the 64008 service-upgrade notice as a shutdown, login and connection counts as nothing, the rest as unknown', () => {
  assert.deepEqual(classifyFixture('okx/ws/notice-service-upgrade.json'), { role: 'shutdown' });
  assert.deepEqual(classifyFixture('okx/ws/login-response-success.json'), { role: 'ignore' });
  assert.deepEqual(classifyText('{"event":"channel-conn-count","channel":"orders","connCount":"2","connId":"abc"}'), { role: 'ignore' });
  for (const text of ['{"event":"notice","code":"64009","msg":"other"}', '{"arg":{"channel":"books"},"data":[]}', '[1,2]']) assert.equal(classifyText(text).role, 'unknown', text);
});

test('decodes the plain-text pong (not JSON) and sends a text ping every 20 s, stale after 30 s', () => {
  assert.equal(dialect.decode('pong'), 'pong');
  assert.deepEqual(classifyText('pong'), { role: 'pong' });
  assert.throws(() => dialect.decode('png'), /decode/);
  for (const group of ['public', 'business', 'private']) {
    const hb = dialect.heartbeat(group);
    assert.equal(hb.clientPing?.frame(), 'ping');
    assert.equal(hb.clientPing?.intervalMs, 20_000);
    assert.equal(hb.staleAfterMs, 30_000);
  }
  assert.throws(() => dialect.heartbeat('spot'), /invalid-argument/);
});

test('serves each connection group from the configured environment', () => {
  assert.equal(dialect.url('public'), 'wss://ws.okx.com:8443/ws/v5/public');
  assert.equal(dialect.url('business'), OKX_PRODUCTION.business);
  const demo = createOkxStreamDialect(OKX_DEMO);
  assert.equal(demo.url('public'), 'wss://wspap.okx.com:8443/ws/v5/public');
  const local = createOkxStreamDialect({ rest: 'http://127.0.0.1:1', public: 'ws://127.0.0.1:2/p', private: 'ws://127.0.0.1:2/q', business: 'ws://127.0.0.1:2/b' });
  assert.deepEqual(['public', 'private', 'business'].map((g) => local.url(g)), ['ws://127.0.0.1:2/p', 'ws://127.0.0.1:2/q', 'ws://127.0.0.1:2/b']);
});
