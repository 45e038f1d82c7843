/**
 * The bench stream on OKX: the market updates as `books` (400-level) window diffs, `prevSeqId` / `seqId`
 * continuing the instrument's sequence, the CRC32 `checksum` when the front end computes them (else 0), `ts`
 * patched at write time; framed with the OKX front end's own `booksFrame`.
 */
import { VenueError } from '../../core/errors.js';
import { BookSide } from './book-engine.js';
import { FrameBuffer, STAMP_PLACEHOLDER, levelsOf, stampAt, type BenchStream, type Framed } from './bench-stream.js';
import type { BenchMessages, BenchSession, BenchVenue } from './bench-venue.js';
import { windowMessages, type WindowMessages } from './bench-window.js';
import { BOOKS_DEPTH, nextSeqId } from './okx/books-feed.js';
import type { OkxFrontEnd } from './okx/okx-front-end.js';
import { bookChecksum, booksFrame, okxInstrument, type OkxInstrument } from './okx/wire-format.js';

export function okxBenchVenue(fe: OkxFrontEnd): BenchVenue {
  return {
    venue: 'okx',
    market: fe.market,
    resolve(symbol) {
      const w = okxInstrument(fe.market.instrument(symbol));
      if (!fe.instruments.has(w.instId)) throw new VenueError('not-found', `${symbol} is not served by okx`);
      // Pending `books` changes go out with the periodic push: send them now.
      return { id: w.instId, segment: w.instType, flush: () => fe.streams.flushBooks(), session: (stream) => okxSession(fe, w, stream) };
    },
  };
}

function okxSession(fe: OkxFrontEnd, w: OkxInstrument, stream: BenchStream): BenchSession {
  const windows = windowMessages(stream, BOOKS_DEPTH);
  const books = fe.streams.benchBooks(w);
  let cached: BenchMessages | undefined;
  let cachedSeq = -1;
  const messages = (): BenchMessages => {
    const f = books.feed;
    if (cached === undefined || cached.initialId !== f.windowSeqId || cachedSeq !== f.currentSeq) {
      const ids = new Float64Array(windows.n);
      let seq = f.currentSeq;
      for (let j = 0; j < windows.n; j++) ids[j] = seq = nextSeqId(seq);
      cached = { ids, marketIndex: windows.marketIndex, initialId: f.windowSeqId };
      cachedSeq = f.currentSeq;
    }
    return cached;
  };
  let planned: BenchMessages | undefined;
  return {
    messages,
    plan() {
      fe.streams.flushBooks();
      const sockets = books.sockets();
      if (sockets.length === 0) throw new VenueError('invalid-argument', `no connection is subscribed to books ${w.instId}`);
      planned = messages();
      const framed = frameOkx(w, stream, windows, planned, books.checksums);
      return { messages: planned, targets: sockets.map((socket) => ({ socket, framed })) };
    },
    wrote: () => books.touch(),
    finish(written) {
      if (planned !== undefined && written > 0) books.adopt(planned.ids[written - 1] as number);
    },
  };
}

function frameOkx(w: OkxInstrument, stream: BenchStream, m: WindowMessages, msgs: BenchMessages, checksums: boolean): Framed {
  const out = new FrameBuffer(m.n, 800);
  // The window's top 25 for the checksum, kept by replaying the diffs (only when checksums are on).
  const top = checksums ? { bids: new BookSide('bids'), asks: new BookSide('asks') } : undefined;
  if (top !== undefined) {
    for (const [p, q] of stream.initial.bids.slice(0, BOOKS_DEPTH)) top.bids.set(p, q);
    for (const [p, q] of stream.initial.asks.slice(0, BOOKS_DEPTH)) top.asks.set(p, q);
  }
  let prevSeqId = msgs.initialId;
  for (let j = 0; j < m.n; j++) {
    const { bids, asks } = levelsOf(m, j);
    let checksum = 0;
    if (top !== undefined) {
      for (const [p, q] of bids) top.bids.set(p, q);
      for (const [p, q] of asks) top.asks.set(p, q);
      checksum = bookChecksum(w, top.bids.top(25), top.asks.top(25));
    }
    const seqId = msgs.ids[j] as number;
    const text = booksFrame(w, 'update', { bids, asks, ts: STAMP_PLACEHOLDER, checksum, prevSeqId, seqId });
    prevSeqId = seqId;
    out.add(text, stampAt(text, '"ts":"'), -1);
  }
  return out.done();
}
