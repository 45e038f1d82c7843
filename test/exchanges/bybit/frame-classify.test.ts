/**
 * Bybit frame classification on the real fixtures (test/fixtures/PROVENANCE.md): every frame the venue sends on a
 * public or private connection keeps its role — pongs and acks of every market shape are never `unknown` — and what
 * the client cannot place is `unknown`, for the core to count and report: JSON that is not an object, `{}`, and real
 * frames whose routing fields were broken here (deleted, renamed, retyped), as a hostile venue could send them.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { InboundFrame } from '../../../src/core/venue.js';
import { createBybitPrivateStream } from '../../../src/exchanges/bybit/private-stream.js';
import { createBybitStreamDialect } from '../../../src/exchanges/bybit/stream-dialect.js';
import { NON_OBJECT_JSON, brokenField, withValue } from '../../helpers/frame-edits.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const market = createBybitStreamDialect();
const classify = (frame: unknown): InboundFrame => market.classify(frame, JSON.stringify(frame));
const fromText = (text: string): InboundFrame => market.classify(market.decode(text), text);
const priv = createBybitPrivateStream();
const privText = (text: string) => priv.classify('private', priv.decode(text), text);
const ws = (name: string): unknown => JSON.parse(fixtureText(`bybit/ws/${name}`));

const SEQUENCES = [
  'bybit/ws/orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl',
  'bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl',
  'bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl',
  'bybit/ws/public-trade-BTCUSDT-linear-recorded-sequence.jsonl',
  'bybit/ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl',
  'bybit/ws/tickers-linear-snapshot-then-delta-recorded.jsonl',
];

test('public: every recorded push is data routed by its topic, every recorded subscribe answer an ack', () => {
  let pushes = 0;
  for (const path of SEQUENCES) {
    for (const line of fixtureLines(path)) {
      const frame = JSON.parse(line) as { topic?: string };
      const c = fromText(line);
      if (frame.topic === undefined) assert.equal(c.role, 'ack', `${path}: ${line.slice(0, 80)}`);
      else {
        assert.equal(c.role === 'data' && c.topic, frame.topic, `${path}: ${line.slice(0, 80)}`);
        pushes++;
      }
    }
  }
  assert.ok(pushes > 50, `${pushes} pushes`);
  for (const name of ['kline.json', 'public-trade.json', 'orderbook-delta.json', 'ticker-spot.json', 'ticker-option.json', 'ticker-linear-perpetual-snapshot.json', 'ticker-linear-futures-snapshot.json']) {
    assert.equal(fromText(fixtureText(`bybit/ws/${name}`)).role, 'data', name);
  }
});

test('public: the pong and subscribe answer of every market shape keep their roles', () => {
  for (const name of ['pong-public-spot.json', 'pong-public-linear.json', 'pong-public-option.json', 'pong-public-recorded.json']) assert.deepEqual(fromText(fixtureText(`bybit/ws/${name}`)), { role: 'pong' }, name);
  for (const name of ['subscribe-response-public-spot.json', 'subscribe-response-public-linear.json', 'subscribe-response-public-option.json']) {
    assert.equal(fromText(fixtureText(`bybit/ws/${name}`)).role, 'ack', name);
  }
});

test('public: JSON that is not an object, and {}, are unknown', () => {
  for (const text of [...NON_OBJECT_JSON, '{}']) {
    const c = fromText(text);
    assert.equal(c.role, 'unknown', text);
    assert.ok(c.role === 'unknown' && c.reason.length > 0);
  }
});

test('public: a recorded push whose topic or data is broken is unknown; a changed topic is data for a topic nobody subscribed', () => {
  const real = JSON.parse(fixtureLines(SEQUENCES[4] as string)[1] as string) as { topic: string };
  const broken = [...brokenField(real, ['topic']), ...brokenField(real, ['data']).filter(([w]) => !w.includes('→'))];
  for (const [what, frame] of broken) {
    const c = classify(frame);
    assert.equal(c.role, 'unknown', what);
    assert.match(c.role === 'unknown' ? c.reason : '', /routing is broken/, what);
  }
  const changed = classify(withValue(real, ['topic'], 'PUBLICTRADE.BTCUSDT'));
  assert.deepEqual(changed.role === 'data' ? changed.topic : changed.role, 'PUBLICTRADE.BTCUSDT');
});

test('private: every recorded push and documented answer is placed (events, auth and subscribe answers, pong)', () => {
  for (const name of ['private-order-new-recorded.json', 'private-order.json', 'private-execution-recorded.json', 'private-execution.json', 'private-fast-execution.json', 'private-position-recorded.json', 'private-position.json', 'private-wallet-recorded.json', 'private-wallet.json']) {
    assert.equal(privText(fixtureText(`bybit/ws/${name}`)).role, 'event', name);
  }
  for (const name of ['auth-response-success.json', 'auth-response-success-recorded.json']) assert.deepEqual(privText(fixtureText(`bybit/ws/${name}`)), { role: 'login-ack' }, name);
  for (const name of ['subscribe-response-private.json', 'subscribe-response-private-recorded.json']) assert.deepEqual(privText(fixtureText(`bybit/ws/${name}`)), { role: 'subscribe-ack' }, name);
  assert.deepEqual(privText(fixtureText('bybit/ws/pong-private.json')), { role: 'pong' });
});

test('private: non-object JSON, {}, a push on a channel never subscribed and a push with a broken topic or data are unknown', () => {
  for (const text of [...NON_OBJECT_JSON, '{}']) assert.equal(privText(text).role, 'unknown', text);
  const real = ws('private-order-new-recorded.json');
  // An empty list of rows is a push that carries nothing, not a broken one.
  const broken = [...brokenField(real, ['topic']), ...brokenField(real, ['data']).filter(([w]) => !w.endsWith('→ []'))];
  for (const [what, frame] of broken) assert.equal(priv.classify('private', frame, '').role, 'unknown', what);
  const other = priv.classify('private', withValue(real, ['topic'], 'greeks'), '');
  assert.match(other.role === 'unknown' ? other.reason : '', /"greeks", a channel the session does not subscribe/);
});
