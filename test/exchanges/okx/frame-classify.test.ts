/**
 * OKX frame classification on the real fixtures (test/fixtures/PROVENANCE.md): every frame the venue sends on a public
 * or private connection keeps its role — the text pong, acks, documented login and connection-count events are never
 * `unknown` — and what the client cannot place is `unknown`, for the core to count and report: JSON that is not an
 * object, `{}`, a notice of another code, and real pushes whose `arg` or `data` were broken here (deleted, renamed,
 * retyped), as a hostile venue could send them.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { InboundFrame } from '../../../src/core/venue.js';
import { OKX_DEMO } from '../../../src/exchanges/okx/config.js';
import { createOkxStreamDialect } from '../../../src/exchanges/okx/stream-dialect.js';
import { createOkxTrading } from '../../../src/exchanges/okx/trading.js';
import { NON_OBJECT_JSON, brokenField, withValue } from '../../helpers/frame-edits.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const market = createOkxStreamDialect();
const classify = (frame: unknown): InboundFrame => market.classify(frame, JSON.stringify(frame));
const fromText = (text: string): InboundFrame => market.classify(market.decode(text), text);
const priv = createOkxTrading({ urls: OKX_DEMO }).privateStream;
const privText = (text: string) => priv.classify('private', priv.decode(text), text);
const ws = (name: string): unknown => JSON.parse(fixtureText(`okx/ws/${name}`));

const SESSIONS = [
  'okx/ws/public-recorded-session-2022-05.jsonl',
  'okx/ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl',
  'okx/ws/books5-BTC-USDT-recorded-with-seqid.jsonl',
  'okx/ws/books5-BTC-USDT-SWAP-recorded-with-seqid.jsonl',
  'okx/ws/trades-BTC-USDT-recorded-with-seqid.jsonl',
  'okx/ws/trades-BTC-USDT-SWAP-recorded-with-seqid.jsonl',
  'okx/ws/trades-push-recorded.jsonl',
];

test('public: every recorded push is data routed by channel:instId, every recorded subscribe answer an ack', () => {
  let pushes = 0;
  for (const path of SESSIONS) {
    for (const line of fixtureLines(path)) {
      const frame = JSON.parse(line) as { event?: string; arg: { channel: string; instId: string } };
      const c = fromText(line);
      if (frame.event !== undefined) assert.equal(c.role, 'ack', `${path}: ${line.slice(0, 80)}`);
      else {
        assert.equal(c.role === 'data' && c.topic, `${frame.arg.channel}:${frame.arg.instId}`, `${path}: ${line.slice(0, 80)}`);
        pushes++;
      }
    }
  }
  assert.ok(pushes > 400, `${pushes} pushes`);
  for (const name of ['books-snapshot.json', 'books-update.json', 'books5.json', 'bbo-tbt.json', 'tickers-push.json', 'trades-push.json', 'candle-push.json']) {
    assert.equal(fromText(fixtureText(`okx/ws/${name}`)).role, 'data', name);
  }
});

test('public: the documented control frames keep their roles (pong, acks, errors, upgrade notice, login)', () => {
  assert.deepEqual(fromText('pong'), { role: 'pong' });
  for (const name of ['subscribe-response.json', 'books-subscribe-response.json', 'unsubscribe-response.json']) assert.equal(fromText(fixtureText(`okx/ws/${name}`)).role, 'ack', name);
  for (const name of ['books-subscribe-failure.json', 'error-60014-requests-too-frequent-recorded-2025-02.json', 'login-response-failure.json']) assert.equal(fromText(fixtureText(`okx/ws/${name}`)).role, 'nack', name);
  assert.deepEqual(fromText(fixtureText('okx/ws/notice-service-upgrade.json')), { role: 'shutdown' });
  assert.deepEqual(fromText(fixtureText('okx/ws/login-response-success.json')), { role: 'ignore' });
});

test('public: JSON that is not an object, {}, a notice of another code and an unknown event are unknown', () => {
  for (const text of [...NON_OBJECT_JSON, '{}']) {
    const c = fromText(text);
    assert.equal(c.role, 'unknown', text);
    assert.ok(c.role === 'unknown' && c.reason.length > 0);
  }
  const notice = ws('notice-service-upgrade.json');
  assert.equal(classify(withValue(notice, ['code'], '64099')).role, 'unknown');
  assert.equal(classify(withValue(notice, ['event'], 'announcement')).role, 'unknown');
});

test('public: a recorded push whose arg (channel, instId) or data is broken is unknown; a changed instId is data for a topic nobody subscribed', () => {
  const real = JSON.parse(fixtureLines('okx/ws/trades-push-recorded.jsonl')[0] as string) as { arg: { instId: string } };
  const broken = [...brokenField(real, ['arg']), ...brokenField(real, ['arg', 'channel']), ...brokenField(real, ['arg', 'instId']), ...brokenField(real, ['data']).filter(([w]) => !w.includes('→'))];
  for (const [what, frame] of broken) {
    const c = classify(frame);
    assert.equal(c.role, 'unknown', what);
    assert.match(c.role === 'unknown' ? c.reason : '', /routing is broken/, what);
  }
  const changed = classify(withValue(real, ['arg', 'instId'], 'BTC-USDC'));
  assert.deepEqual(changed.role === 'data' ? changed.topic : changed.role, 'trades:BTC-USDC');
});

test('private: every recorded push of a subscribed channel and every documented answer is placed', () => {
  for (const name of ['orders-push.json', 'account-push.json', 'positions-push.json', 'orders-push-swap-market-filled-demo-recorded-2022-05.json']) assert.equal(privText(fixtureText(`okx/ws/${name}`)).role, 'event', name);
  for (const path of ['okx/ws/orders-push-recorded.jsonl', 'okx/ws/orders-push-spot-market-quote-ccy-recorded-2024-01.jsonl']) {
    for (const line of fixtureLines(path)) assert.equal(privText(line).role, 'event', line.slice(0, 60));
  }
  assert.deepEqual(privText(fixtureText('okx/ws/login-response-success.json')), { role: 'login-ack' });
  assert.equal(privText(fixtureText('okx/ws/login-response-failure.json')).role, 'login-ack');
  assert.deepEqual(privText(fixtureText('okx/ws/orders-subscribe-response.json')), { role: 'subscribe-ack' });
  assert.deepEqual(privText(fixtureText('okx/ws/unsubscribe-response.json')), { role: 'ignore' });
  assert.deepEqual(privText('pong'), { role: 'pong' });
  assert.deepEqual(privText(fixtureText('okx/ws/notice-service-upgrade.json')), { role: 'shutdown' });
});

test('private: the connection-count events of the docs: the count is nothing to act on, its error ends the subscription', () => {
  // The shape of OKX's "connection count limit" events (docs: overview, WebSocket connection count limit).
  assert.deepEqual(priv.classify('private', { event: 'channel-conn-count', channel: 'orders', connCount: '2', connId: 'a4d3ae55' }, ''), { role: 'ignore' });
  const ended = priv.classify('private', { event: 'channel-conn-count-error', channel: 'orders', connCount: '20', connId: 'a4d3ae55' }, '');
  assert.ok(ended.role === 'unsubscribed' && ended.error.code === 'rejected' && /orders subscription/.test(ended.error.message), JSON.stringify(ended));
  const pub = market.classify({ event: 'channel-conn-count-error', channel: 'orders', connCount: '20', connId: 'a4d3ae55' }, '');
  assert.ok(pub.role === 'nack' && pub.id === undefined, 'an error no request owns: the hub reports it');
});

test('private: non-object JSON, {}, a push on a channel never subscribed and a push with a broken arg or data are unknown', () => {
  for (const text of [...NON_OBJECT_JSON, '{}']) assert.equal(privText(text).role, 'unknown', text);
  for (const name of ['fills-push.json', 'balance-and-position-push.json', 'trades-push.json']) {
    const c = privText(fixtureText(`okx/ws/${name}`));
    assert.match(c.role === 'unknown' ? c.reason : c.role, /a channel the session does not subscribe/, name);
  }
  const real = ws('orders-push.json');
  // An empty list of rows is a push that carries nothing, not a broken one.
  const broken = [...brokenField(real, ['arg']), ...brokenField(real, ['arg', 'channel']), ...brokenField(real, ['data']).filter(([w]) => !w.endsWith('→ []'))];
  for (const [what, frame] of broken) assert.equal(priv.classify('private', frame, '').role, 'unknown', what);
});
