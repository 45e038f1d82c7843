/**
 * The streams the fuzz test drives (trades, ticker, bookTicker, candles here; books in fuzz-books.ts) and what
 * they share: which real recorded frames each serves, what a mutant is made from, which client watches it.
 * Every frame is a real one from `test/fixtures/` (PROVENANCE.md) changed only as a test venue must: retargeted
 * to the one market a stream watches (`s`, `instId`, topic), and stamped with a per-frame mark (a trade id, a
 * timestamp or an update id counting up) so that the test can tell which frame an item came from.
 */
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import type { Exchange } from '../../src/client/exchange.js';
import { okx } from '../../src/client/okx.js';
import type { Watch, WatchOptions } from '../../src/client/watch-topic.js';
import type { BookTicker, Candle, Ticker, Trade } from '../../src/core/model.js';
import type { FixtureVenue, FixtureVenueId } from './fixture-venue.js';
import type { TruthBook } from './fuzz-books.js';
import type { Json, Path, Rng } from './frame-mutator.js';
import { fixtureLines, fixtureText } from './wait.js';

export type StreamKind = 'book' | 'trades' | 'ticker' | 'bookTicker' | 'candles';

/** A frame as sent: its text, the decoded object it was written from, and its mark (non-book streams). */
export interface SentFrame {
  readonly text: string;
  readonly frame: Json;
  readonly mark: number | undefined;
}

/** What a mutant is made from. */
export interface MutantBase {
  readonly frame: Json;
  /** The values a mutation may touch (default: any). */
  readonly paths?: readonly Path[];
  /** With `paths`: only changes of meaning (absurd, negative, zero, unknown), see `MutateOptions.semantic`. */
  readonly semantic?: boolean;
  /** How the base was made, for reports. */
  readonly origin: string;
  /** The mark stamped on the mutant (non-book streams). */
  readonly mark?: number;
  /** A valid frame already taken from the recording, to send right after the mutant. */
  readonly follow?: SentFrame;
}

export interface StreamRound {
  /** The next valid frame (a book's truth advances when it is taken); undefined once a book's recording is spent. */
  nextValid(): SentFrame | undefined;
  /** The valid frame taken last. */
  readonly last: SentFrame | undefined;
  /** Valid frames left (a book's recording is finite). */
  readonly remaining: number;
  mutantBase(rng: Rng): MutantBase;
  /** Books: every state the valid frames implied, and the current one. */
  readonly truth?: TruthBook;
  /** Drops this round's REST routes and subscribe hooks. */
  end(): void;
}

export interface StreamPlan {
  readonly name: string;
  readonly venue: FixtureVenueId;
  readonly kind: StreamKind;
  readonly symbol: string;
  /** The wire topic the client subscribes. */
  readonly topic: string;
  /** Top-level frame keys that route a frame to its topic: mutated, the frame reaches no subscriber. */
  readonly routing: readonly string[];
  connect(venue: FixtureVenue): Exchange;
  watch(ex: Exchange, opts: WatchOptions): Watch<unknown>;
  /** The mark of an item (trades, tickers, book tickers, candles). */
  markOf?(item: unknown): number | undefined;
  /** Books: levels per side compared with the truth. */
  readonly compareDepth?: number;
  startRound(venue: FixtureVenue): StreamRound;
}

export type Obj = { [key: string]: Json };
export const clone = <T extends Json>(v: T): T => structuredClone(v);
export const obj = (v: Json | undefined): Obj => v as Obj;
export const json = (path: string): Json => JSON.parse(fixtureText(path)) as Json;
export const lines = (path: string): Obj[] => fixtureLines(path).map((l) => JSON.parse(l) as Obj);
/** The recorded Binance combined-stream payloads of one stream. */
const binanceStream = (path: string, stream: string, max = Infinity): Obj[] =>
  lines(path)
    .filter((f) => f['stream'] === stream)
    .slice(0, max)
    .map((f) => obj(f['data']));

// ---------------------------------------------------------------- clients

const STREAMS = { backoff: { initialMs: 50, maxMs: 250 } };
export const binanceSpot = (v: FixtureVenue): Exchange => binance({ urls: v.urls.binance, segments: ['spot'], streams: STREAMS });
export const binanceUsdm = (v: FixtureVenue): Exchange => binance({ urls: v.urls.binance, segments: ['usdm'], streams: STREAMS });
export const bybitClient = (v: FixtureVenue): Exchange => bybit({ urls: v.urls.bybit, categories: ['spot', 'linear'], streams: STREAMS });
export const okxClient = (v: FixtureVenue): Exchange => okx({ urls: v.urls.okx, instTypes: ['SPOT'], streams: STREAMS });

/** Venue market ids the fixture venue must list. */
export const MARKET_IDS = ['NKNUSDT', 'SUSHIUSDT', 'BTCUSDT', 'BTC-USDT'];

/**
 * One-time venue setup: Bybit's recorded linear list (instruments-info-linear.json) holds BTCUSDT only, and the
 * recorded linear book and tickers are XRPUSDT's; an XRPUSDT entry is derived from the BTCUSDT one (symbol,
 * base coin, and XRP's tick 0.0001 and step 1).
 */
export function prepareVenue(venue: FixtureVenue): void {
  const spot = json('bybit/rest/instruments-info-spot.json');
  const linear = obj(json('bybit/rest/instruments-info-linear.json'));
  const btc = obj((obj(linear['result'])['list'] as Json[])[0]);
  const xrp = { ...btc, symbol: 'XRPUSDT', baseCoin: 'XRP', priceFilter: { minPrice: '0.0001', maxPrice: '199.9998', tickSize: '0.0001' }, lotSizeFilter: { ...obj(btc['lotSizeFilter']), minOrderQty: '1', qtyStep: '1' } };
  const linearList = { ...linear, result: { ...obj(linear['result']), list: [btc, xrp] } };
  venue.route('bybit', '/v5/market/instruments-info', (q) => {
    const category = q.get('category');
    return category === 'spot' ? { body: spot } : category === 'linear' ? { body: linearList } : undefined;
  });
}

// ---------------------------------------------------------------- non-book streams: real frames, stamped

interface StampedSpec {
  readonly name: string;
  readonly venue: FixtureVenueId;
  readonly kind: Exclude<StreamKind, 'book'>;
  readonly symbol: string;
  readonly topic: string;
  readonly routing: readonly string[];
  readonly connect: (v: FixtureVenue) => Exchange;
  readonly watch: (ex: Exchange, symbol: string, opts: WatchOptions) => Watch<unknown>;
  /** Whole frames (envelope included), retargeted; `lead` frames go first once (a ticker snapshot), then `cycle` repeats. */
  readonly lead?: readonly Json[];
  readonly cycle: readonly Json[];
  readonly stamp: (frame: Obj, k: number) => void;
  readonly markOf: (item: unknown) => number | undefined;
  /** The fields a stream's meaning hinges on (ids, prices, amounts, enums): four mutants in ten aim there. */
  readonly focus: readonly string[];
}

/** `data.0.i` → `['data', 0, 'i']`. */
const at = (text: string): Path => text.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));

function stamped(spec: StampedSpec): StreamPlan {
  const lead = spec.lead ?? [];
  const all = [...lead, ...spec.cycle];
  return {
    name: spec.name,
    venue: spec.venue,
    kind: spec.kind,
    symbol: spec.symbol,
    topic: spec.topic,
    routing: spec.routing,
    connect: spec.connect,
    watch: (ex, opts) => spec.watch(ex, spec.symbol, opts),
    markOf: spec.markOf,
    startRound() {
      let k = 0;
      let n = 0;
      const round: StreamRound & { last: SentFrame | undefined } = {
        last: undefined,
        remaining: Infinity,
        nextValid() {
          const src = n < lead.length ? lead[n] : spec.cycle[(n - lead.length) % spec.cycle.length];
          n++;
          const frame = clone(src as Obj);
          spec.stamp(frame, k);
          round.last = { text: JSON.stringify(frame), frame, mark: k++ };
          return round.last;
        },
        mutantBase(rng) {
          const frame = clone(rng.pick(all) as Obj);
          spec.stamp(frame, k);
          if (rng.chance(0.4)) return { frame, mark: k++, paths: spec.focus.map(at), semantic: true, origin: 'a real frame, stamped (a key field)' };
          return { frame, mark: k++, origin: 'a real frame, stamped' };
        },
        end() {},
      };
      return round;
    },
  };
}

/** `(value - base) / step` when it is a whole number ≥ 0. */
function offset(value: unknown, base: number, step = 1): number | undefined {
  const v = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return undefined;
  const k = (v - base) / step;
  return Number.isInteger(k) && k >= 0 ? k : undefined;
}

/** Trade ids `base + 100·k + row`: the mark of a row's frame. */
function idMark(id: string, base: bigint): number | undefined {
  if (!/^\d+$/.test(id)) return undefined;
  const d = BigInt(id) - base;
  // Marks are small counters: an id far beyond them was mutated, and carries no mark.
  return d < 0n || d / 100n > MAX_MARK ? undefined : Number(d / 100n);
}

/** Far more frames than any run stamps. */
const MAX_MARK = 100_000_000n;

const binanceFrame = (stream: string, id: string, payload: Obj): Obj => ({ stream, data: { ...payload, s: id } });
const bybitFrame = (topic: string, id: string, frame: Obj): Obj => {
  const data = frame['data'];
  const retarget = (row: Json): Json => ({ ...obj(row), ...('s' in obj(row) ? { s: id } : {}), ...('symbol' in obj(row) ? { symbol: id } : {}) });
  return { ...frame, topic, data: Array.isArray(data) ? data.map(retarget) : retarget(data as Json) };
};
const okxFrame = (channel: string, instId: string, frame: Obj): Obj => ({
  ...frame,
  arg: { channel, instId },
  data: (frame['data'] as Json[]).map((row) => (Array.isArray(row) ? row : { ...obj(row), ...('instId' in obj(row) ? { instId } : {}) })),
});

const T0 = 1_700_000_000_000;
const ID0 = 5_000_000_000n;

/** The trades, ticker, bookTicker and candles streams of Binance spot and USD-M, Bybit and OKX. */
export function itemPlans(): StreamPlan[] {
  const plans: StreamPlan[] = [];
  const trades = (ex: Exchange, s: string, o: WatchOptions): Watch<unknown> => ex.watchTrades(s, o);
  const ticker = (ex: Exchange, s: string, o: WatchOptions): Watch<unknown> => ex.watchTicker(s, o);
  const bookTicker = (ex: Exchange, s: string, o: WatchOptions): Watch<unknown> => ex.watchBookTicker(s, o);
  const candles = (tf: string) => (ex: Exchange, s: string, o: WatchOptions): Watch<unknown> => ex.watchOHLCV(s, tf, o);
  const tradeMark = (item: unknown): number | undefined => idMark((item as Trade).id, ID0);
  const timeMark = (item: unknown): number | undefined => offset((item as Ticker).exchangeTime, T0);
  const openMark = (step: number) => (item: unknown): number | undefined => offset((item as Candle).openTime, T0, step);
  const updateMark = (item: unknown): number | undefined => offset(String((item as BookTicker).updateId ?? ''), Number(ID0));

  for (const seg of ['spot', 'usdm'] as const) {
    const spot = seg === 'spot';
    const id = spot ? 'NKNUSDT' : 'SUSHIUSDT';
    const lower = id.toLowerCase();
    const symbol = spot ? 'NKN/USDT' : 'SUSHI/USDT:USDT';
    const session = `binance/ws/${seg}-combined-streams-recorded-session.jsonl`;
    const common = { venue: 'binance' as const, symbol, routing: ['stream', 'data'], connect: spot ? binanceSpot : binanceUsdm };
    // Spot: the raw `@trade` stream (docs example spot-trade.json); USD-M: recorded `@aggTrade` frames. Ids count up by one.
    const tradeStream = spot ? `${lower}@trade` : `${lower}@aggTrade`;
    const tradePayloads = spot ? [obj(json('binance/ws/spot-trade.json'))] : binanceStream(session, tradeStream);
    plans.push(
      stamped({
        ...common,
        name: `binance ${seg} trades`,
        kind: 'trades',
        topic: tradeStream,
        watch: trades,
        cycle: tradePayloads.map((p) => binanceFrame(tradeStream, id, p)),
        stamp: (f, k) => Object.assign(obj(f['data']), { [spot ? 't' : 'a']: Number(ID0) + k, E: T0 + k, T: T0 + k }),
        focus: [spot ? 'data.t' : 'data.a', 'data.p', 'data.q', 'data.m', 'data.T'],
        markOf: (item) => offset((item as Trade).id, Number(ID0)),
      }),
      stamped({
        ...common,
        name: `binance ${seg} ticker`,
        kind: 'ticker',
        topic: `${lower}@ticker`,
        watch: ticker,
        cycle: [binanceFrame(`${lower}@ticker`, id, obj(json(`binance/ws/${seg}-ticker-24hr.json`)))],
        stamp: (f, k) => Object.assign(obj(f['data']), { E: T0 + k }),
        focus: ['data.e', 'data.E', 'data.c', 'data.o', 'data.b', 'data.a'],
        markOf: timeMark,
      }),
      stamped({
        ...common,
        name: `binance ${seg} bookTicker`,
        kind: 'bookTicker',
        topic: `${lower}@bookTicker`,
        watch: bookTicker,
        cycle: binanceStream(session, `${lower}@bookTicker`, 60).map((p) => binanceFrame(`${lower}@bookTicker`, id, p)),
        stamp: (f, k) => Object.assign(obj(f['data']), { u: Number(ID0) + k }, spot ? {} : { E: T0 + k, T: T0 + k }),
        focus: ['data.u', 'data.b', 'data.B', 'data.a', 'data.A'],
        markOf: updateMark,
      }),
      stamped({
        ...common,
        name: `binance ${seg} candles`,
        kind: 'candles',
        topic: `${lower}@kline_1m`,
        watch: candles('1m'),
        cycle: binanceStream(session, `${lower}@kline_1m`).map((p) => binanceFrame(`${lower}@kline_1m`, id, { ...p, k: { ...obj(p['k']), s: id } })),
        stamp: (f, k) => {
          const d = obj(f['data']);
          Object.assign(obj(d['k']), { t: T0 + k * 60_000, T: T0 + k * 60_000 + 59_999 });
          d['E'] = T0 + k * 60_000 + 1000;
        },
        markOf: openMark(60_000),
        focus: ['data.k.t', 'data.k.i', 'data.k.o', 'data.k.c', 'data.k.v', 'data.k.x', 'data.E'],
      }),
    );
  }

  // Bybit: spot publicTrade and orderbook.1 (recorded), linear XRPUSDT tickers snapshot then delta (recorded), spot kline (docs).
  const bybitCommon = { venue: 'bybit' as const, routing: ['topic', 'data'], connect: bybitClient };
  plans.push(
    stamped({
      ...bybitCommon,
      name: 'bybit spot trades',
      kind: 'trades',
      symbol: 'BTC/USDT',
      topic: 'publicTrade.BTCUSDT',
      watch: trades,
      cycle: lines('bybit/ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl')
        .filter((f) => 'topic' in f)
        .map((f) => bybitFrame('publicTrade.BTCUSDT', 'BTCUSDT', f)),
      stamp: (f, k) => {
        f['ts'] = T0 + k;
        (f['data'] as Json[]).forEach((row, j) => Object.assign(obj(row), { i: String(ID0 + BigInt(k * 100 + j)), T: T0 + k }));
      },
      focus: ['data.0.i', 'data.0.p', 'data.0.v', 'data.0.S', 'data.0.T'],
      markOf: tradeMark,
    }),
    stamped({
      ...bybitCommon,
      name: 'bybit linear ticker',
      kind: 'ticker',
      symbol: 'XRP/USDT:USDT',
      topic: 'tickers.XRPUSDT',
      watch: ticker,
      lead: lines('bybit/ws/tickers-linear-snapshot-then-delta-recorded.jsonl').filter((f) => f['type'] === 'snapshot'),
      cycle: lines('bybit/ws/tickers-linear-snapshot-then-delta-recorded.jsonl').filter((f) => f['type'] === 'delta'),
      stamp: (f, k) => void (f['ts'] = T0 + k),
      markOf: timeMark,
      focus: ['type', 'ts', 'data.lastPrice', 'data.bid1Price', 'data.volume24h'],
    }),
    stamped({
      ...bybitCommon,
      name: 'bybit spot bookTicker',
      kind: 'bookTicker',
      symbol: 'BTC/USDT',
      topic: 'orderbook.1.BTCUSDT',
      watch: bookTicker,
      cycle: lines('bybit/ws/orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl').filter((f) => 'topic' in f),
      stamp: (f, k) => {
        Object.assign(f, { ts: T0 + k, cts: T0 + k });
        obj(f['data'])['u'] = Number(ID0) + k;
      },
      focus: ['data.u', 'data.b.0.0', 'data.b.0.1', 'data.a.0.0', 'data.a.0.1'],
      markOf: updateMark,
    }),
    stamped({
      ...bybitCommon,
      name: 'bybit spot candles',
      kind: 'candles',
      symbol: 'BTC/USDT',
      topic: 'kline.5.BTCUSDT',
      watch: candles('5m'),
      cycle: [obj(json('bybit/ws/kline.json'))],
      stamp: (f, k) => {
        f['ts'] = T0 + k * 300_000 + 1000;
        Object.assign(obj((f['data'] as Json[])[0]), { start: T0 + k * 300_000, end: T0 + k * 300_000 + 299_999, timestamp: T0 + k * 300_000 + 1000 });
      },
      markOf: openMark(300_000),
      focus: ['data.0.start', 'data.0.interval', 'data.0.open', 'data.0.close', 'data.0.volume', 'data.0.confirm', 'data.0.timestamp'],
    }),
  );

  // OKX: BTC-USDT trades and tickers from the recorded 2022 session; bbo-tbt and candle pushes from the docs, retargeted.
  const session = lines('okx/ws/public-recorded-session-2022-05.jsonl');
  const pushes = (channel: string): Obj[] => session.filter((f) => obj(f['arg'])?.['channel'] === channel && obj(f['arg'])['instId'] === 'BTC-USDT' && 'data' in f);
  const okxCommon = { venue: 'okx' as const, symbol: 'BTC/USDT', routing: ['arg', 'data'], connect: okxClient };
  plans.push(
    stamped({
      ...okxCommon,
      name: 'okx spot trades',
      kind: 'trades',
      topic: 'trades:BTC-USDT',
      watch: trades,
      cycle: pushes('trades'),
      stamp: (f, k) => (f['data'] as Json[]).forEach((row, j) => Object.assign(obj(row), { tradeId: String(ID0 + BigInt(k * 100 + j)), ts: String(T0 + k) })),
      markOf: tradeMark,
      focus: ['data.0.tradeId', 'data.0.px', 'data.0.sz', 'data.0.side', 'data.0.ts'],
    }),
    stamped({
      ...okxCommon,
      name: 'okx spot ticker',
      kind: 'ticker',
      topic: 'tickers:BTC-USDT',
      watch: ticker,
      cycle: pushes('tickers'),
      stamp: (f, k) => void (obj((f['data'] as Json[])[0])['ts'] = String(T0 + k)),
      markOf: timeMark,
      focus: ['data.0.ts', 'data.0.last', 'data.0.instType', 'data.0.open24h', 'data.0.vol24h'],
    }),
    stamped({
      ...okxCommon,
      name: 'okx spot bookTicker',
      kind: 'bookTicker',
      topic: 'bbo-tbt:BTC-USDT',
      watch: bookTicker,
      cycle: [okxFrame('bbo-tbt', 'BTC-USDT', obj(json('okx/ws/bbo-tbt.json')))],
      stamp: (f, k) => void Object.assign(obj((f['data'] as Json[])[0]), { ts: String(T0 + k), seqId: Number(ID0) + k }),
      markOf: timeMark,
      focus: ['data.0.ts', 'data.0.seqId', 'data.0.bids.0.0', 'data.0.bids.0.1', 'data.0.asks.0.0', 'data.0.asks.0.1'],
    }),
    stamped({
      ...okxCommon,
      name: 'okx spot candles',
      kind: 'candles',
      topic: 'candle1m:BTC-USDT',
      watch: candles('1m'),
      cycle: [okxFrame('candle1m', 'BTC-USDT', obj(json('okx/ws/candle-push.json')))],
      stamp: (f, k) => void ((f['data'] as Json[][])[0]![0] = String(T0 + k * 60_000)),
      markOf: openMark(60_000),
      focus: ['data.0.0', 'data.0.1', 'data.0.4', 'data.0.5', 'data.0.8'],
    }),
  );
  return plans;
}
