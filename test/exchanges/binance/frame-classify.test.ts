/**
 * Binance frame classification on the real fixtures (test/fixtures/PROVENANCE.md): every frame the venue sends on a
 * market or private connection keeps its role — a documented frame is never `unknown` — and what the client cannot
 * place is `unknown`, for the core to count and report: JSON that is not an object, `{}`, and real frames whose routing
 * fields were broken here (deleted, renamed, retyped), as a hostile venue could send them.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { InboundFrame } from '../../../src/core/venue.js';
import { BINANCE_TESTNET } from '../../../src/exchanges/binance/config.js';
import { normalizeBinanceFrame } from '../../../src/exchanges/binance/market-data.js';
import { createBinanceStreamDialect } from '../../../src/exchanges/binance/stream-dialect.js';
import { createBinanceTrading } from '../../../src/exchanges/binance/trading.js';
import { NON_OBJECT_JSON, brokenField, withValue } from '../../helpers/frame-edits.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const market = createBinanceStreamDialect();
const classify = (frame: unknown): InboundFrame => market.classify(frame, JSON.stringify(frame));
const fromText = (text: string): InboundFrame => market.classify(market.decode(text), text);
const priv = createBinanceTrading({ urls: BINANCE_TESTNET }).privateStream;
const ws = (name: string): unknown => priv.decode(fixtureText(`binance/ws/${name}`));

const SESSIONS = [
  'binance/ws/spot-combined-streams-recorded-session.jsonl',
  'binance/ws/usdm-combined-streams-recorded-session.jsonl',
  'binance/ws/spot-depth100ms-NKNUSDT-recorded-sequence.jsonl',
  'binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl',
];

test('market: every recorded combined-stream frame is data routed by its stream name', () => {
  let n = 0;
  for (const path of SESSIONS) {
    for (const line of fixtureLines(path)) {
      const c = fromText(line);
      assert.equal(c.role, 'data', `${path}: ${line.slice(0, 80)}`);
      assert.equal(c.role === 'data' && c.topic, (JSON.parse(line) as { stream: string }).stream);
      n++;
    }
  }
  assert.ok(n > 2000, `${n} frames`);
});

test('market: the documented control frames keep their roles (subscribe answers, server shutdown notices)', () => {
  for (const name of ['spot-subscribe-response.json', 'usdm-subscribe-response.json']) assert.deepEqual(fromText(fixtureText(`binance/ws/${name}`)), { role: 'ack', id: 1 }, name);
  for (const name of ['spot-server-shutdown-combined.json', 'spot-server-shutdown-raw.json', 'wsapi-server-shutdown.json']) {
    assert.deepEqual(fromText(fixtureText(`binance/ws/${name}`)), { role: 'shutdown' }, name);
  }
});

test('market: JSON that is not an object, and {}, are unknown', () => {
  for (const text of [...NON_OBJECT_JSON, '{}']) {
    const c = fromText(text);
    assert.equal(c.role, 'unknown', text);
    assert.ok(c.role === 'unknown' && c.reason.length > 0);
  }
});

test('market: a recorded frame whose stream or data is broken is unknown; a changed stream name is data for a topic nobody subscribed', () => {
  const real = JSON.parse(fixtureLines(SESSIONS[0] as string)[0] as string) as { stream: string; data: unknown };
  for (const [what, frame] of [...brokenField(real, ['stream']), ...brokenField(real, ['data']).filter(([w]) => !w.includes('→'))]) {
    const c = classify(frame);
    assert.equal(c.role, 'unknown', what);
    assert.match(c.role === 'unknown' ? c.reason : '', /routing is broken/, what);
  }
  // The payload alone (a raw event: what a non-combined connection would carry) is no combined frame; the offline
  // normalizer (raw `/ws/` recordings) still reads it.
  assert.equal(classify(real.data).role, 'unknown');
  assert.equal(normalizeBinanceFrame(JSON.parse(fixtureText('binance/ws/spot-trade.json')), 'spot', (id) => id, 1).length, 1);
  const renamed = classify(withValue(real, ['stream'], real.stream.toUpperCase()));
  assert.deepEqual(renamed.role === 'data' ? renamed.topic : renamed.role, 'NKNUSDT@DEPTH@100MS');
});

test('private: every recorded user-data frame and documented answer is placed (events, login answers, expiry, shutdown)', () => {
  const spot: Array<[string, string]> = [
    ['wsapi-user-event-wrapped.json', 'event'],
    ['spot-user-execution-report.json', 'event'],
    ['spot-user-outbound-account-position.json', 'event'],
    ['spot-user-balance-update.json', 'event'],
    ['spot-user-list-status.json', 'event'],
    ['spot-user-external-lock-update.json', 'event'],
    ['spot-user-event-stream-terminated.json', 'expired'],
    ['wsapi-server-shutdown.json', 'shutdown'],
    ['wsapi-response-user-data-stream-subscribe-signature.json', 'login-ack'],
    ['wsapi-response-session-revoked-401.json', 'login-ack'],
  ];
  for (const [name, role] of spot) assert.equal(priv.classify('spot', ws(name), '').role, role, name);
  for (const name of ['usdm-user-order-trade-update-recorded.json', 'usdm-user-account-update-hedge-recorded-2021-04.json', 'usdm-user-trade-lite.json', 'usdm-user-margin-call.json']) {
    assert.equal(priv.classify('usdm', ws(name), '').role, 'event', name);
  }
  for (const path of ['binance/ws/usdm-user-fill-deposit-close-recorded-2022-01.jsonl', 'binance/ws/usdm-user-open-close-recorded-2024-11.jsonl']) {
    for (const line of fixtureLines(path)) assert.equal(priv.classify('usdm', priv.decode(line), line).role, 'event', line.slice(0, 60));
  }
  assert.equal(priv.classify('usdm', ws('usdm-user-listen-key-expired.json'), '').role, 'expired');
});

test('private: non-object JSON, {}, a wrapper without its event and an answer without result or error are unknown', () => {
  for (const connection of ['spot', 'usdm']) {
    for (const text of [...NON_OBJECT_JSON, '{}']) assert.equal(priv.classify(connection, priv.decode(text), text).role, 'unknown', `${connection} ${text}`);
  }
  const wrapped = ws('wsapi-user-event-wrapped.json');
  for (const [what, frame] of brokenField(wrapped, ['event'])) assert.equal(priv.classify('spot', frame, '').role, 'unknown', what);
  assert.equal(priv.classify('spot', withValue(ws('wsapi-response-user-data-stream-subscribe-signature.json'), ['result'], undefined), '').role, 'unknown');
  const raw = ws('usdm-user-order-trade-update-recorded.json');
  for (const [what, frame] of brokenField(raw, ['e'])) assert.equal(priv.classify('usdm', frame, '').role, 'unknown', what);
});
