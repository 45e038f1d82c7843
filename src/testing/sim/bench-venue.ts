/**
 * What the venue-neutral bench core needs from a venue: resolving a symbol to the venue's id, and for a
 * prepared stream the messages the venue sends (their ids, the market update each ends on), the pre-framed
 * bytes for every subscriber, and adopting the state the run left. Binance's raw diff-depth framer lives here.
 */
import type { Duplex } from 'node:stream';
import { VenueError } from '../../core/errors.js';
import { FrameBuffer, levelsOf, type BenchStream, type Framed } from './bench-stream.js';
import type { BinanceFrontEnd } from './binance/binance-front-end.js';
import { levelsJson, type BinanceSegment, type WireSymbol } from './binance/wire-format.js';
import type { SimVenue } from './front-end.js';
import type { Market } from './market.js';

/** One socket and the bytes it gets. */
export interface BenchTarget {
  readonly socket: Duplex;
  readonly framed: Framed;
}

/** The messages a run writes, in order. */
export interface BenchMessages {
  /** The id each message carries, as clients see it on their book (Binance `u`, Bybit `u`, OKX `seqId`). */
  readonly ids: Float64Array;
  /** The market update each message ends on (undefined: message i is market update i). */
  readonly marketIndex: Int32Array | undefined;
  /** The channel's id before the first message. */
  readonly initialId: number;
}

/** One prepared symbol's stream as one venue sends it. */
export interface BenchSession {
  /** The messages if the run started now (Bybit / OKX ids continue the subscribed channel's). */
  messages(): BenchMessages;
  /** The messages and the bytes for every current subscriber; throws `invalid-argument` when there is none. */
  plan(): { messages: BenchMessages; targets: BenchTarget[] };
  /** After each written chunk (keeps the venue's idle and heartbeat clocks from firing mid-run). */
  wrote?(): void;
  /** The run ended with `written` messages out and the truth caught up: the front end takes over from there. */
  finish(written: number, ok: boolean): void;
}

/** A symbol resolved on a venue, before its stream is generated. */
export interface BenchSymbol {
  readonly id: string;
  readonly segment: string;
  /** Sends pending live pushes of the symbol now, before the bench takes over its stream. */
  flush(): void;
  session(stream: BenchStream): BenchSession;
}

export interface BenchVenue {
  readonly venue: SimVenue;
  readonly market: Market;
  resolve(symbol: string): BenchSymbol;
}

/** Binance spot / USD-M: every market update is one `depthUpdate` with its raw changes (the whole book). */
export function binanceBenchVenue(market: Market, frontEnd: (segment: BinanceSegment) => BinanceFrontEnd): BenchVenue {
  return {
    venue: 'binance',
    market,
    resolve(symbol) {
      const segment: BinanceSegment = market.instrument(symbol).kind === 'spot' ? 'spot' : 'usdm';
      const fe = frontEnd(segment);
      const w = [...fe.symbols.values()].find((x) => x.instrument.symbol === symbol);
      if (w === undefined) throw new VenueError('not-found', `${symbol} is not served by binance ${segment}`);
      return { id: w.id, segment, flush: () => fe.streams.flushSymbol(w.lower), session: (s) => binanceSession(market, fe, w, s) };
    },
  };
}

function binanceSession(market: Market, fe: BinanceFrontEnd, w: WireSymbol, s: BenchStream): BenchSession {
  const messages: BenchMessages = { ids: s.lastId, marketIndex: undefined, initialId: s.initial.updateId };
  return {
    messages: () => messages,
    plan() {
      const targets = fe.rawDepthTargets(w.id);
      if (targets.length === 0) throw new VenueError('invalid-argument', `no connection is subscribed to a diff-depth stream of ${w.lower}`);
      fe.streams.flushSymbol(w.lower);
      const variants = new Map<string, Framed>();
      return {
        messages,
        targets: targets.map((t) => {
          const key = t.combined ? t.stream : '';
          let f = variants.get(key);
          if (f === undefined) {
            f = frameBinance(s, w, t.combined ? t.stream : undefined);
            variants.set(key, f);
          }
          return { socket: t.socket, framed: f };
        }),
      };
    },
    finish(_written, ok) {
      // The stream server re-reads the book after the raw writes.
      if (ok) market.replaceBook(s.symbol, market.book(s.symbol).snapshot());
    },
  };
}

const E_PLACEHOLDER = '0000000000000';

/** Pre-frames every update as a `depthUpdate` (raw, or combined under one stream name). */
function frameBinance(s: BenchStream, w: WireSymbol, combinedName: string | undefined): Framed {
  const out = new FrameBuffer(s.n);
  const spot = w.segment === 'spot';
  for (let i = 0; i < s.n; i++) {
    const { bids, asks } = levelsOf(s, i);
    const head = combinedName === undefined ? '' : `{"stream":"${combinedName}","data":`;
    const pre = `${head}{"e":"depthUpdate","E":`;
    const mid = spot ? `,"s":"${w.id}","U":${s.firstId[i]},"u":${s.lastId[i]},` : `,"T":${E_PLACEHOLDER},"s":"${w.id}","U":${s.firstId[i]},"u":${s.lastId[i]},"pu":${s.prevId[i]},`;
    const text = `${pre}${E_PLACEHOLDER}${mid}"b":${levelsJson(w, bids)},"a":${levelsJson(w, asks)}}${combinedName === undefined ? '' : '}'}`;
    out.add(text, pre.length, spot ? -1 : pre.length + E_PLACEHOLDER.length + ',"T":'.length);
  }
  return out.done();
}
