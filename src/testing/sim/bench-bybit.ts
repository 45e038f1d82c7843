/**
 * The bench stream on Bybit: the market updates as `orderbook.1000` window diffs (derivatives 1000, spot 1000),
 * `u` continuing the subscribed topic's (+1 per push), `seq` the market's update id, `ts` / `cts` patched at
 * write time; framed with the Bybit front end's own `orderbookFrame`.
 */
import { VenueError } from '../../core/errors.js';
import { FrameBuffer, STAMP_PLACEHOLDER, levelsOf, stampAt, type BenchStream } from './bench-stream.js';
import type { BenchMessages, BenchSession, BenchVenue } from './bench-venue.js';
import { windowMessages, type WindowMessages } from './bench-window.js';
import type { BybitFrontEnd } from './bybit/bybit-front-end.js';
import { bybitSymbol, orderbookFrame, type BybitSymbol } from './bybit/wire-format.js';

/** The book depth the bench serves on Bybit (the deepest `orderbook.{depth}` topic). */
export const BYBIT_BENCH_DEPTH = 1000;

export function bybitBenchVenue(fe: BybitFrontEnd): BenchVenue {
  return {
    venue: 'bybit',
    market: fe.market,
    resolve(symbol) {
      const s = bybitSymbol(fe.market.instrument(symbol));
      if (fe.symbols.get(s.category)?.get(s.id) === undefined) throw new VenueError('not-found', `${symbol} is not served by bybit`);
      // Bybit pushes every book change at once: nothing is pending.
      return { id: s.id, segment: s.category, flush: () => undefined, session: (stream) => bybitSession(fe, s, stream) };
    },
  };
}

function bybitSession(fe: BybitFrontEnd, s: BybitSymbol, stream: BenchStream): BenchSession {
  const windows = windowMessages(stream, BYBIT_BENCH_DEPTH);
  const topic = fe.streams.benchTopic(s, BYBIT_BENCH_DEPTH);
  let cached: BenchMessages | undefined;
  const messages = (): BenchMessages => {
    const initialId = topic.u;
    if (cached?.initialId !== initialId) {
      const ids = new Float64Array(windows.n);
      for (let j = 0; j < windows.n; j++) ids[j] = initialId + 1 + j;
      cached = { ids, marketIndex: windows.marketIndex, initialId };
    }
    return cached;
  };
  let planned: BenchMessages | undefined;
  return {
    messages,
    plan() {
      const sockets = topic.sockets();
      if (sockets.length === 0) throw new VenueError('invalid-argument', `no connection is subscribed to ${s.category} orderbook.${BYBIT_BENCH_DEPTH}.${s.id}`);
      planned = messages();
      const framed = frameBybit(s, stream, windows, planned);
      return { messages: planned, targets: sockets.map((socket) => ({ socket, framed })) };
    },
    finish(written) {
      if (planned !== undefined && written > 0) topic.adopt(planned.ids[written - 1] as number);
    },
  };
}

function frameBybit(s: BybitSymbol, stream: BenchStream, w: WindowMessages, m: BenchMessages): ReturnType<FrameBuffer['done']> {
  const out = new FrameBuffer(w.n, 600);
  const topic = `orderbook.${BYBIT_BENCH_DEPTH}.${s.id}`;
  for (let j = 0; j < w.n; j++) {
    const { bids, asks } = levelsOf(w, j);
    const seq = stream.lastId[w.marketIndex[j] as number] as number;
    const text = orderbookFrame(s, { topic, type: 'delta', ts: STAMP_PLACEHOLDER, cts: STAMP_PLACEHOLDER, u: m.ids[j] as number, seq, bids, asks });
    out.add(text, stampAt(text, '"ts":'), stampAt(text, '"cts":'));
  }
  return out.done();
}
