/** The Binance stream dialect: topics, URLs, subscribe batching, frame classification and the recorded combined-stream sessions. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import type { StreamTopic } from '../../../src/core/venue.js';
import { BINANCE_MAINNET, BINANCE_TESTNET } from '../../../src/exchanges/binance/config.js';
import { parseAggTrade, parseBookTicker, parseCandle, parseDepthUpdate } from '../../../src/exchanges/binance/parse.js';
import {
  aggTradeTopic,
  bookTickerTopic,
  classifyBinanceFrame,
  createBinanceStreamDialect,
  depthTopic,
  klineTopic,
  miniTickerTopic,
  tickerTopic,
  TOPICS_PER_FRAME,
  tradeTopic,
} from '../../../src/exchanges/binance/stream-dialect.js';
import { fixtureLines, fixtureText } from '../../helpers/wait.js';

const dialect = createBinanceStreamDialect();
const decode = (text: string): unknown => dialect.decode(text);
const invalidArgument = (e: unknown): boolean => VenueError.is(e, 'invalid-argument');

test('names topics in lowercase the way Binance echoes them in combined frames', () => {
  assert.deepEqual(depthTopic('spot', 'BTCUSDT', '100ms'), { key: 'btcusdt@depth@100ms', connection: 'spot' });
  assert.deepEqual(depthTopic('spot', 'BTCUSDT'), { key: 'btcusdt@depth', connection: 'spot' });
  assert.deepEqual(depthTopic('usdm', 'BTCUSDT', '500ms'), { key: 'btcusdt@depth@500ms', connection: 'usdm-public' });
  assert.deepEqual(depthTopic('usdm', 'BTCUSDT', '250ms'), { key: 'btcusdt@depth', connection: 'usdm-public' });
  assert.deepEqual(bookTickerTopic('usdm', 'XRPUSDT'), { key: 'xrpusdt@bookTicker', connection: 'usdm-public' });
  assert.deepEqual(aggTradeTopic('usdm', 'CTKUSDT'), { key: 'ctkusdt@aggTrade', connection: 'usdm-market' });
  assert.deepEqual(klineTopic('usdm', 'CTKUSDT', '1m'), { key: 'ctkusdt@kline_1m', connection: 'usdm-market' });
  assert.deepEqual(tickerTopic('usdm', 'BTCUSDT'), { key: 'btcusdt@ticker', connection: 'usdm-market' });
  assert.deepEqual(miniTickerTopic('spot', 'BTCUSDT'), { key: 'btcusdt@miniTicker', connection: 'spot' });
  assert.deepEqual(tradeTopic('spot', 'BNBBTC'), { key: 'bnbbtc@trade', connection: 'spot' });
  assert.deepEqual(bookTickerTopic('spot', 'NKNUSDT'), { key: 'nknusdt@bookTicker', connection: 'spot' });
});

test('refuses topics the segment does not publish', () => {
  assert.throws(() => depthTopic('spot', 'BTCUSDT', '250ms'), invalidArgument);
  assert.throws(() => depthTopic('usdm', 'BTCUSDT', '1000ms'), invalidArgument);
  assert.throws(() => tradeTopic('usdm', 'BTCUSDT'), invalidArgument);
  assert.throws(() => klineTopic('spot', 'BTCUSDT', '2m'), invalidArgument);
  assert.throws(() => tickerTopic('spot', ''), invalidArgument);
});

test('points each connection group at its combined-stream endpoint', () => {
  assert.equal(dialect.url('spot'), 'wss://stream.binance.com:9443/stream');
  assert.equal(dialect.url('usdm-public'), 'wss://fstream.binance.com/public/stream');
  assert.equal(dialect.url('usdm-market'), 'wss://fstream.binance.com/market/stream');
  const testnet = createBinanceStreamDialect(BINANCE_TESTNET);
  assert.equal(testnet.url('usdm-market'), 'wss://fstream.binancefuture.com/market/stream');
  assert.equal(createBinanceStreamDialect(BINANCE_MAINNET).url('spot'), dialect.url('spot'));
  assert.throws(() => dialect.url('usdm'), invalidArgument);
});

test('writes SUBSCRIBE frames in the documented shape, batched, each with a fresh id', () => {
  let id = 0;
  const nextId = (): number => ++id;
  const two = [aggTradeTopic('spot', 'BTCUSDT'), depthTopic('spot', 'BTCUSDT')];
  const [frame] = dialect.subscribeFrames(two, nextId);
  assert.deepEqual(JSON.parse(frame ?? ''), JSON.parse(fixtureText('binance/ws/spot-subscribe-request.json')));

  const many: StreamTopic[] = Array.from({ length: TOPICS_PER_FRAME * 2 + 1 }, (_, i) => tickerTopic('spot', `S${i}USDT`));
  const frames = dialect.subscribeFrames(many, nextId).map((f) => JSON.parse(f) as { method: string; params: string[]; id: number });
  assert.deepEqual(frames.map((f) => f.params.length), [TOPICS_PER_FRAME, TOPICS_PER_FRAME, 1]);
  assert.deepEqual(frames.map((f) => f.id), [2, 3, 4]);
  assert.deepEqual(frames.flatMap((f) => f.params), many.map((t) => t.key));
  const [unsub] = dialect.unsubscribeFrames([two[0] as StreamTopic], nextId);
  assert.deepEqual(JSON.parse(unsub ?? ''), { method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 5 });
  assert.deepEqual(dialect.subscribeFrames([], nextId), []);
});

test('classifies acks, nacks, shutdown notices and unknown frames', () => {
  assert.deepEqual(dialect.classify(decode(fixtureText('binance/ws/spot-subscribe-response.json')), ''), { role: 'ack', id: 1 });
  assert.deepEqual(dialect.classify(decode(fixtureText('binance/ws/usdm-subscribe-response.json')), ''), { role: 'ack', id: 1 });
  assert.deepEqual(dialect.classify({ result: ['btcusdt@aggTrade'], id: 3 }, ''), { role: 'ack', id: 3 });
  for (const file of ['spot-server-shutdown-combined.json', 'spot-server-shutdown-raw.json', 'wsapi-server-shutdown.json']) {
    assert.deepEqual(dialect.classify(decode(fixtureText(`binance/ws/${file}`)), ''), { role: 'shutdown' }, file);
  }
  const nack = dialect.classify({ error: { code: 2, msg: 'Invalid request: unknown variant `SUBSCRIB`' }, id: 7 }, '');
  assert.equal(nack.role, 'nack');
  assert.ok(nack.role === 'nack' && nack.id === 7 && VenueError.is(nack.error, 'invalid-argument') && nack.error.venueCode === '2');
  const bare = classifyBinanceFrame({ code: 0, msg: 'Unknown property', id: 8 });
  assert.ok(bare.role === 'nack' && bare.id === 8);
  // A combined stream documents nothing else: a raw event, text or null is a frame the client cannot place.
  for (const frame of [{ e: 'depthUpdate' }, 'pong', null]) assert.equal(classifyBinanceFrame(frame).role, 'unknown');
});

/** Routes a data payload to its parser by the stream name's channel. */
function parseByStream(topic: string, payload: unknown): void {
  const channel = topic.split('@')[1] ?? '';
  if (channel === 'depth') parseDepthUpdate(payload, 'X/Y', 1);
  else if (channel === 'bookTicker') parseBookTicker(payload, 'X/Y', 1);
  else if (channel === 'aggTrade') parseAggTrade(payload, 'X/Y', 1);
  else if (channel.startsWith('kline_')) assert.equal(parseCandle(payload, 'X/Y', 1).interval, channel.slice('kline_'.length));
  else assert.fail(`unexpected stream ${topic}`);
}

test('classifies every line of the recorded combined-stream sessions as data whose payload parses', () => {
  for (const [file, lines] of [
    ['spot', 265],
    ['usdm', 1535],
  ] as const) {
    const seen = new Set<string>();
    const all = fixtureLines(`binance/ws/${file}-combined-streams-recorded-session.jsonl`);
    assert.equal(all.length, lines);
    for (const line of all) {
      const frame = dialect.classify(decode(line), line);
      assert.equal(frame.role, 'data', line.slice(0, 80));
      if (frame.role !== 'data') continue;
      parseByStream(frame.topic, frame.payload);
      seen.add(frame.topic.split('@')[1] ?? '');
    }
    assert.deepEqual([...seen].sort(), ['aggTrade', 'bookTicker', 'depth', 'kline_1m'], `${file} covers every channel`);
  }
});

test('routes recorded frames to the same key the topic builders produce', () => {
  const line = fixtureLines('binance/ws/usdm-combined-streams-recorded-session.jsonl')[0] ?? '';
  const frame = dialect.classify(decode(line), line);
  assert.ok(frame.role === 'data');
  assert.equal(frame.topic, bookTickerTopic('usdm', 'SUSHIUSDT').key);
  const depthLine = fixtureLines('binance/ws/spot-combined-streams-recorded-session.jsonl')[0] ?? '';
  const depthFrame = dialect.classify(decode(depthLine), depthLine);
  assert.ok(depthFrame.role === 'data');
  assert.equal(depthFrame.topic, depthTopic('spot', 'NKNUSDT', '100ms').key);
});

test('relies on server pings: no client ping, stale after silence, Binance connection limits', () => {
  assert.deepEqual(dialect.heartbeat('spot'), { staleAfterMs: 60_000 });
  assert.equal(dialect.heartbeat('usdm-public').clientPing, undefined);
  assert.ok(dialect.heartbeat('usdm-market').staleAfterMs > 180_000, 'longer than the 3-minute USD-M ping period');
  assert.deepEqual(dialect.limits('spot'), { maxTopicsPerConnection: 1024, maxTopicsPerFrame: TOPICS_PER_FRAME, maxOutgoingPerSecond: 5, maxFrameBytes: 4 * 1024 * 1024, maxLifetimeMs: 86_400_000 });
  assert.equal(dialect.limits('usdm-public').maxOutgoingPerSecond, 10);
  assert.throws(() => dialect.limits('okx'), invalidArgument);
});

test('decodes frames with 64-bit ids intact', () => {
  const text = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1234567890123456789,"p":"1","q":"1","T":1,"m":false}}';
  const frame = dialect.classify(dialect.decode(text), text);
  assert.ok(frame.role === 'data');
  assert.equal((frame.payload as { t: unknown }).t, '1234567890123456789');
});
