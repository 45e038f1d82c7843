/** The OKX front end's WebSocket side: frame shapes against the real fixtures, control messages, connection rules and the notice. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Market } from '../../../src/testing/sim/market.js';
import type { OkxFrontEnd } from '../../../src/testing/sim/okx/okx-front-end.js';
import { fixtureLines, fixtureText, waitFor } from '../../helpers/wait.js';
import { item, OkxProbe, startOkx } from './okx-helpers.js';
import { shape } from './sim-helpers.js';

const fixture = (path: string): Record<string, unknown> => JSON.parse(fixtureText(path)) as Record<string, unknown>;
const recorded = (path: string, line: number): Record<string, unknown> => JSON.parse(fixtureLines(path)[line] as string) as Record<string, unknown>;

describe('okx streams', () => {
  let market: Market;
  let fe: OkxFrontEnd;
  const probes: OkxProbe[] = [];
  const open = async (url: string): Promise<OkxProbe> => {
    const p = new OkxProbe(url);
    probes.push(p);
    return p.opened();
  };
  before(async () => {
    ({ market, fe } = await startOkx());
  });
  after(async () => {
    for (const p of probes) p.close();
    market.close();
    await fe.close();
  });

  test('acks a subscribe like the fixture (id echoed, connId) and pushes a books snapshot then updates shaped like the fixtures', async () => {
    const p = await open(fe.endpoints.public);
    p.subscribe([{ channel: 'books', instId: 'BTC-USDT' }], '1512');
    const ack = await p.next((f) => f['event'] === 'subscribe', 'ack');
    assert.deepEqual(shape(ack), shape(fixture('okx/ws/books-subscribe-response.json')));
    assert.deepEqual(ack['arg'], { channel: 'books', instId: 'BTC-USDT' });
    assert.match(ack['connId'] as string, /^[0-9a-f]{8}$/);
    const snap = await p.next((f) => f['action'] === 'snapshot', 'snapshot');
    assert.deepEqual(shape(snap), shape(fixture('okx/ws/books-snapshot.json')));
    assert.equal(item(snap)['prevSeqId'], -1);
    assert.equal((item(snap)['bids'] as unknown[]).length, 400);
    assert.equal(item(snap)['checksum'], 0, 'checksum is 0 by default, as production sends since 2026-06-23');
    market.step(5, 'BTC/USDT');
    fe.streams.flushBooks();
    const update = await p.next((f) => f['action'] === 'update', 'update');
    assert.deepEqual(Object.keys(update), Object.keys(fixture('okx/ws/books-update.json')));
    assert.deepEqual(Object.keys(item(update)), Object.keys(item(fixture('okx/ws/books-update.json'))));
    assert.equal(item(update)['prevSeqId'], item(snap)['seqId']);
    assert.ok((item(update)['seqId'] as number) > (item(snap)['seqId'] as number));
  });

  test('books5, bbo-tbt, trades and tickers pushes have the recorded shapes', async () => {
    const p = await open(fe.endpoints.public);
    p.subscribe([
      { channel: 'books5', instId: 'BTC-USDT-SWAP' },
      { channel: 'bbo-tbt', instId: 'BTC-USDT-SWAP' },
      { channel: 'trades', instId: 'BTC-USDT-SWAP' },
      { channel: 'tickers', instId: 'BTC-USDT-SWAP' },
    ]);
    await waitFor(() => p.frames.filter((f) => f['event'] === 'subscribe').length === 4, 'four acks');
    market.executeTaker('BTC/USDT:USDT', 'buy', 3 * market.instrument('BTC/USDT:USDT').typicalQtyUnits);
    fe.streams.flushBooks();
    const books5 = await p.next((f) => p.pushes('books5').includes(f), 'books5');
    assert.deepEqual(shape(books5), shape(recorded('okx/ws/books5-BTC-USDT-SWAP-recorded-with-seqid.jsonl', 1)));
    assert.equal((item(books5)['asks'] as unknown[]).length, 5);
    const bbo = await p.next((f) => p.pushes('bbo-tbt').includes(f), 'bbo-tbt');
    assert.deepEqual(shape(bbo), shape(fixture('okx/ws/bbo-tbt.json')));
    const trade = await p.next((f) => p.pushes('trades').includes(f), 'trade');
    assert.deepEqual(shape(trade), shape(recorded('okx/ws/trades-BTC-USDT-SWAP-recorded-with-seqid.jsonl', 1)));
    assert.equal(item(trade)['side'], 'buy', 'side is the taker side');
    const ticker = await p.next((f) => p.pushes('tickers').includes(f), 'ticker');
    assert.deepEqual(Object.keys(item(ticker)), Object.keys(item(fixture('okx/ws/tickers-push.json'))));
    assert.deepEqual(shape(ticker), shape(fixture('okx/ws/tickers-push.json')));
    assert.equal(item(ticker)['instType'], 'SWAP');
  });

  test('serves candle channels on /business only; /public answers 60018 for them', async () => {
    const biz = await open(fe.endpoints.business);
    biz.subscribe([{ channel: 'candle1m', instId: 'BTC-USDT' }]);
    const candle = await biz.next((f) => biz.pushes('candle1m').includes(f), 'candle push', 3000);
    assert.deepEqual(shape(candle), shape(fixture('okx/ws/candle-push.json')));
    const pub = await open(fe.endpoints.public);
    pub.subscribe([{ channel: 'candle1m', instId: 'BTC-USDT' }]);
    const err = await pub.next((f) => f['event'] === 'error', 'error');
    assert.equal(err['code'], '60018');
  });

  test('answers the text ping with the text pong', async () => {
    const p = await open(fe.endpoints.public);
    p.send('ping');
    await waitFor(() => p.texts.includes('pong'), 'pong');
  });

  test('rejects an unknown instId or channel with 60018 and a malformed request with 60012 (id echoed), shaped like the recorded error', async () => {
    const p = await open(fe.endpoints.public);
    p.subscribe([{ channel: 'books', instId: 'NOPE-USDT' }], '7');
    const e1 = await p.next((f) => f['code'] === '60018', '60018');
    assert.equal(e1['id'], '7');
    assert.match(e1['msg'] as string, /^Wrong URL or channel:books,instId:NOPE-USDT doesn't exist/);
    const { id: _id, ...rest } = e1;
    assert.deepEqual(Object.keys(rest), Object.keys(fixture('okx/ws/error-60014-requests-too-frequent-recorded-2025-02.json')));
    p.send('{"op": "subscribe", "argss":[{ "channel" : "books", "instId" : "BTC-USDT"}]}');
    const e2 = await p.next((f) => f['code'] === '60012', '60012');
    assert.equal(e2['msg'], 'Invalid request: {"op": "subscribe", "argss":[{ "channel" : "books", "instId" : "BTC-USDT"}]}');
    assert.deepEqual(new Set(Object.keys(e2)), new Set(Object.keys(fixture('okx/ws/books-subscribe-failure.json')).filter((k) => k !== 'id')));
  });

  test('answers login on /private with the real failure body until trading exists', async () => {
    const p = await open(fe.endpoints.private);
    p.send(fixture('okx/ws/login-request.json'));
    const e = await p.next((f) => f['event'] === 'error', 'login failure');
    assert.equal(e['code'], '60009');
    assert.equal(e['msg'], (fixture('okx/ws/login-response-failure.json') as Record<string, unknown>)['msg']);
  });

  test('sends the 64008 notice on server shutdown and closes after the grace period', async () => {
    const p = await open(fe.endpoints.public);
    p.send('ping');
    await waitFor(() => p.texts.includes('pong'), 'connected');
    fe.sendServerShutdown(50);
    const n = await p.next((f) => f['event'] === 'notice', 'notice');
    assert.deepEqual(Object.keys(n), Object.keys(fixture('okx/ws/notice-service-upgrade.json')));
    assert.equal(n['code'], '64008');
    await waitFor(() => p.closed, 'closed');
  });

  test('a stall holds data pushes while ping is still answered; a drop cuts the connection without a close frame', async () => {
    const p = await open(fe.endpoints.public);
    p.subscribe([{ channel: 'trades', instId: 'BTC-USDT' }]);
    await p.next((f) => f['event'] === 'subscribe', 'ack');
    fe.stall(150);
    market.executeTaker('BTC/USDT', 'buy', market.instrument('BTC/USDT').typicalQtyUnits);
    p.send('ping');
    await waitFor(() => p.texts.includes('pong'), 'pong during the stall');
    assert.equal(p.pushes('trades').length, 0, 'held by the stall');
    await waitFor(() => p.pushes('trades').length > 0, 'released after the stall');
    assert.ok(fe.dropConnections() >= 1);
    await waitFor(() => p.closed, 'dropped');
    assert.equal(p.closed?.code, 1006);
  });

  test('unsubscribe is acked like the fixture and stops the pushes', async () => {
    const p = await open(fe.endpoints.public);
    p.subscribe([{ channel: 'trades', instId: 'BTC-USDT' }]);
    await p.next((f) => f['event'] === 'subscribe', 'ack');
    p.send({ op: 'unsubscribe', args: [{ channel: 'trades', instId: 'BTC-USDT' }] });
    const ack = await p.next((f) => f['event'] === 'unsubscribe', 'unsubscribe ack');
    assert.deepEqual(shape(ack), shape(fixture('okx/ws/unsubscribe-response.json')));
    market.executeTaker('BTC/USDT', 'sell', market.instrument('BTC/USDT').typicalQtyUnits);
    p.send('ping');
    await waitFor(() => p.texts.includes('pong'), 'pong after the trade');
    assert.equal(p.pushes('trades').length, 0);
  });
});

describe('okx connection rules', () => {
  test('closes a connection without incoming messages or pushed data after the idle timeout', async () => {
    const { market, fe } = await startOkx({ idleTimeoutMs: 150 });
    const p = await new OkxProbe(fe.endpoints.public).opened();
    try {
      await waitFor(() => p.closed, 'idle close', 3000);
      assert.equal(p.closed?.code, 4004);
      assert.equal(fe.counters().connections.closedByServer['idle'], 1);
    } finally {
      p.close();
      market.close();
      await fe.close();
    }
  });

  test('refuses a fourth connection within one second from the same IP with HTTP 429', async () => {
    const { market, fe } = await startOkx({ connectionsPerSecond: 3 });
    const probes = [0, 1, 2].map(() => new OkxProbe(fe.endpoints.public));
    try {
      await Promise.all(probes.map((p) => p.opened()));
      const refused = new OkxProbe(fe.endpoints.public);
      probes.push(refused);
      await assert.rejects(refused.opened(), /429/);
    } finally {
      for (const p of probes) p.close();
      market.close();
      await fe.close();
    }
  });

  test('answers 60014 once the subscribe requests of the hour are spent', async () => {
    const { market, fe } = await startOkx({ requestsPerHour: 2 });
    const p = await new OkxProbe(fe.endpoints.public).opened();
    try {
      for (let i = 0; i < 3; i++) p.subscribe([{ channel: 'trades', instId: 'BTC-USDT' }], String(i));
      const e = await p.next((f) => f['event'] === 'error', 'limit error');
      assert.equal(e['code'], '60014');
      assert.equal(e['id'], '2');
      assert.equal(p.frames.filter((f) => f['event'] === 'subscribe').length, 2);
    } finally {
      p.close();
      market.close();
      await fe.close();
    }
  });
});
