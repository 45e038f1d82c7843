/**
 * Starts the whole simulator on 127.0.0.1: one market core per venue, the venue front ends (Binance spot and
 * USD-M, Bybit, OKX), the fault switches, the bench feed and the HTTP control server. Entry: `startSimulator()`.
 */
import { VenueError } from '../../core/errors.js';
import { BenchFeed } from './bench-feed.js';
import { BinanceFrontEnd, type SegmentEndpoints } from './binance/binance-front-end.js';
import { BybitFrontEnd, type BybitEndpoints, type BybitOptions } from './bybit/bybit-front-end.js';
import { OkxFrontEnd, okxCatalogue, type OkxEndpoints, type OkxOptions } from './okx/okx-front-end.js';
import { ControlServer } from './control-server.js';
import { SimFaults } from './faults.js';
import { SIM_VENUES, type SimFrontEnd, type SimVenue } from './front-end.js';
import { derivativesCatalogue, DEFAULT_INSTRUMENTS, type InstrumentSpec } from './instruments.js';
import { Market } from './market.js';
import { checkSimulatorOptions } from './options-check.js';
import { Rng } from './rng.js';
import { SimTradingEngine, type SimAccountSpec } from './trading/engine.js';
import { TradingFaults } from './trading/trading-faults.js';

export type { SimVenue } from './front-end.js';

export interface SimulatorRateLimits {
  /** REQUEST_WEIGHT per window for spot (default 6000) and USD-M (default 2400). */
  readonly spotWeight?: number;
  readonly usdmWeight?: number;
  /** Weight window (default 60,000 ms). */
  readonly windowMs?: number;
  /** 429s tolerated in one window before a 418 ban (default 2). */
  readonly banAfterRejections?: number;
  /** Ban length (default 120,000 ms). */
  readonly banMs?: number;
}

export interface SimulatorOptions {
  /** PRNG seed (default 1): same seed, same books and trades step by step. Each venue's market derives its own. */
  readonly seed?: number;
  /** Target book depth per side (default 1,000, at most 5,000). */
  readonly depth?: number;
  /** All instruments, the first N of each group (spot, USDT perps; inverse, USDC, futures where listed), or unified symbols. */
  readonly symbols?: number | readonly string[];
  /** Market evolution period (default 50 ms; 0 = only manual `market.step()`). */
  readonly tickMs?: number;
  /** Binance: server ping period for every stream connection (default: spot 20 s, USD-M 3 min). */
  readonly pingIntervalMs?: number;
  /** Binance: close when no pong for this long (default: spot 1 min, USD-M 10 min; 3 × `pingIntervalMs` when that is set). */
  readonly pongTimeoutMs?: number;
  /** Binance: stream connection lifetime (default 24 h). */
  readonly maxConnectionLifetimeMs?: number;
  /** Binance: incoming messages per second per stream connection (default: spot 5, USD-M 10). */
  readonly maxIncomingPerSecond?: { readonly spot?: number; readonly usdm?: number };
  /** Binance REST weights. */
  readonly rateLimits?: SimulatorRateLimits;
  /** Bybit front end settings (rate limits, idle timeout). */
  readonly bybit?: BybitOptions;
  /** OKX front end settings (checksums, no initial snapshot, push and heartbeat periods, limits). */
  readonly okx?: OkxOptions;
  /** OKX `books` carry the real CRC32 checksum instead of 0 (same as `okx.okxChecksums`). */
  readonly okxChecksums?: boolean;
  /**
   * Venues to serve: any non-empty set (default every venue, `['binance', 'bybit', 'okx']`). Without Binance,
   * `sim.market` is the first served venue's market and `endpoints.binance` is absent.
   */
  readonly venues?: readonly SimVenue[];
  /**
   * Fixed ports: control on `portBase`, Binance spot +1, Binance USD-M +2, Bybit +3 (REST and every WS path),
   * OKX +4. Default: any free ports.
   */
  readonly portBase?: number;
  /** USD-M: serve every stream on pre-2026 paths without `/public` or `/market` (default false: only the public tier). */
  readonly legacyUsdmPaths?: boolean;
  /** Evolution steps per symbol before serving (default 40). */
  readonly warmupSteps?: number;
  /** Start time that fixes the dated futures' expiry (default now). */
  readonly startTime?: number;
  /** Trading accounts created on every venue (default one: `SIM_DEMO_ACCOUNT`). */
  readonly accounts?: readonly SimAccountSpec[];
}

/** The account every simulator venue knows unless `accounts` says otherwise (its secret is public: a simulator key). */
export const SIM_DEMO_ACCOUNT: SimAccountSpec = {
  apiKey: 'venuekit-sim-key',
  secret: 'venuekit-sim-secret',
  passphrase: 'venuekit-sim-passphrase',
  balances: { USDT: '1000000', USDC: '1000000', FDUSD: '1000000', BTC: '10', ETH: '100', SOL: '1000', BNB: '1000', XRP: '100000' },
};

export interface SimulatorEndpoints {
  /** Binance spot and USD-M. Present when served (typed as always there: most setups serve Binance). */
  readonly binance: { readonly spot: SegmentEndpoints; readonly usdm: SegmentEndpoints };
  /** Bybit: `<rest>/v5/market/...`; complete WS URLs per public category and private. Present when served. */
  readonly bybit?: BybitEndpoints;
  /** OKX: `<rest>/api/v5/...`; WS base `<ws>/{public,business,private}`. Present when served. */
  readonly okx?: OkxEndpoints;
  /** Control API base: `POST <control>/_sim/faults`, `GET <control>/_sim/state`, `/_sim/bench/*`. */
  readonly control: string;
}

export interface SimulatorStats {
  /** Keyed by front end name: `binance:spot`, `binance:usdm`, `bybit`, `okx`. */
  readonly connections: Record<string, { open: number; accepted: number; closedByServer: Record<string, number> }>;
  readonly subscriptions: Record<string, number>;
  readonly rest: Record<string, { total: number; byRoute: Record<string, number>; byStatus: Record<string, number> }>;
  /** Market listener exceptions over every venue's market (a simulator bug when not 0). */
  readonly listenerErrors: number;
}

/** The front end class per venue, for `sim.frontEnd(venue)`. */
export interface SimFrontEndOf {
  binance: BinanceFrontEnd;
  bybit: BybitFrontEnd;
  okx: OkxFrontEnd;
}

/** What a venue's starter gets: its market, the shared faults, its port (0 = any) and the options. */
export interface FrontEndStartContext {
  readonly market: Market;
  readonly faults: SimFaults;
  /** The venue's trading core (accounts, matching, balances, positions) over `market`. */
  readonly trading: SimTradingEngine;
  /** Order-acknowledgement and private-event fault switches (shared by every venue). */
  readonly tradingFaults: TradingFaults;
  /** Port for the venue's `index`-th front end (Binance has two). */
  port(index?: number): number;
  readonly options: SimulatorOptions;
}

interface VenueSetup {
  /** Port offset from `portBase` of the first front end. */
  readonly portOffset: number;
  /** The instruments this venue's market may hold. */
  catalogue(startTime: number): readonly InstrumentSpec[];
  /** Decimals the venue charges fees in (default: exact); its front ends write fees with no more than these. */
  readonly feeDecimals?: number;
  start(ctx: FrontEndStartContext): Promise<SimFrontEnd[]>;
}

/** Each venue's catalogue, port and front ends. A new venue adds one entry (and its `SimulatorEndpoints` field). */
const VENUES: Partial<Record<SimVenue, VenueSetup>> = {
  // Binance writes commissions (and balances) with 8 decimals and charges what it writes.
  binance: { portOffset: 1, catalogue: () => DEFAULT_INSTRUMENTS, feeDecimals: 8, start: startBinance },
  bybit: { portOffset: 3, catalogue: (t) => derivativesCatalogue(t), start: async (ctx) => [await BybitFrontEnd.start({ ...ctx.options.bybit, market: ctx.market, faults: ctx.faults, trading: ctx.trading, tradingFaults: ctx.tradingFaults, port: ctx.port() })] },
  okx: { portOffset: 4, catalogue: (t) => okxCatalogue(t), start: async (ctx) => [await OkxFrontEnd.start({ okxChecksums: ctx.options.okxChecksums, ...ctx.options.okx, market: ctx.market, faults: ctx.faults, trading: ctx.trading, tradingFaults: ctx.tradingFaults, port: ctx.port() })] },
};

async function startBinance(ctx: FrontEndStartContext): Promise<SimFrontEnd[]> {
  const opts = ctx.options;
  const rl = opts.rateLimits ?? {};
  const out: BinanceFrontEnd[] = [];
  try {
    for (const [i, segment] of (['spot', 'usdm'] as const).entries()) {
      out.push(
        await BinanceFrontEnd.start({
          segment,
          market: ctx.market,
          faults: ctx.faults,
          port: ctx.port(i),
          weightLimit: segment === 'spot' ? rl.spotWeight : rl.usdmWeight,
          weightWindowMs: rl.windowMs,
          banAfterRejections: rl.banAfterRejections,
          banMs: rl.banMs,
          pingIntervalMs: opts.pingIntervalMs,
          pongTimeoutMs: opts.pongTimeoutMs ?? (opts.pingIntervalMs === undefined ? undefined : opts.pingIntervalMs * 3),
          maxConnectionLifetimeMs: opts.maxConnectionLifetimeMs,
          maxIncomingPerSecond: opts.maxIncomingPerSecond?.[segment],
          legacyUsdmPaths: opts.legacyUsdmPaths,
          trading: ctx.trading,
          tradingFaults: ctx.tradingFaults,
        }),
      );
    }
  } catch (err) {
    await Promise.all(out.map((fe) => fe.close()));
    throw err;
  }
  return out;
}


/** Venues the simulator can serve in this build (default `venues`). */
export function registeredVenues(): SimVenue[] {
  return SIM_VENUES.filter((v) => VENUES[v] !== undefined);
}

/** A venue market's seed: Binance uses the simulator seed itself, every other venue one derived from (seed, venue). */
export function venueSeed(seed: number, venue: SimVenue): number {
  return venue === 'binance' ? seed : new Rng(`${seed}:${venue}`).uint32();
}

/** A running simulator. Close it with `await sim.close()` or `await using sim = await startSimulator()`. */
export class Simulator implements AsyncDisposable {
  /** Binance's market (the bench feed's and most tests'), or the first served venue's without Binance; `marketOf(venue)` for any venue. */
  readonly market: Market;
  readonly faults: SimFaults;
  /** Order-acknowledgement and private-event fault switches. */
  readonly tradingFaults: TradingFaults;
  readonly bench: BenchFeed;
  readonly endpoints: SimulatorEndpoints;
  readonly seed: number;
  readonly venues: readonly SimVenue[];
  private readonly markets: ReadonlyMap<SimVenue, Market>;
  private readonly engines: ReadonlyMap<SimVenue, SimTradingEngine>;
  private readonly frontEnds: readonly SimFrontEnd[];
  private readonly control: ControlServer;
  private closing: Promise<void> | undefined;

  /** @internal use `startSimulator()`. */
  constructor(parts: { markets: ReadonlyMap<SimVenue, Market>; engines: ReadonlyMap<SimVenue, SimTradingEngine>; faults: SimFaults; tradingFaults: TradingFaults; bench: BenchFeed; frontEnds: readonly SimFrontEnd[]; control: ControlServer; seed: number }) {
    this.markets = parts.markets;
    this.engines = parts.engines;
    this.tradingFaults = parts.tradingFaults;
    this.market = (parts.markets.get('binance') ?? [...parts.markets.values()][0]) as Market;
    this.venues = [...parts.markets.keys()];
    this.faults = parts.faults;
    this.bench = parts.bench;
    this.frontEnds = parts.frontEnds;
    this.control = parts.control;
    this.seed = parts.seed;
    const binance = (segment: string): SegmentEndpoints => (this.frontEnd('binance', segment) as BinanceFrontEnd).endpoints;
    const endpoints: Record<string, unknown> = parts.markets.has('binance') ? { binance: { spot: binance('spot'), usdm: binance('usdm') } } : {};
    for (const fe of parts.frontEnds) if (fe.venue !== 'binance') endpoints[fe.venue] = fe.endpoints;
    this.endpoints = { ...endpoints, control: parts.control.url } as unknown as SimulatorEndpoints;
  }

  /** The market of a served venue (the same unified symbols hold different books on each venue). */
  marketOf(venue: SimVenue): Market {
    const m = this.markets.get(venue);
    if (m === undefined) throw new VenueError('not-found', `the simulator does not serve ${venue}`);
    return m;
  }

  /** The trading core of a served venue (accounts, orders, fills, balances, positions). */
  tradingOf(venue: SimVenue): SimTradingEngine {
    const e = this.engines.get(venue);
    if (e === undefined) throw new VenueError('not-found', `the simulator does not serve ${venue}`);
    return e;
  }

  /** A front end by venue and, for Binance, segment (`spot` | `usdm`); Bybit and OKX serve every segment on one. */
  frontEnd<V extends SimVenue>(venue: V, segment?: string): SimFrontEndOf[V] {
    const fe = this.frontEnds.find((f) => f.venue === venue && (segment === undefined || f.segments.includes(segment)));
    if (fe === undefined) throw new VenueError('not-found', `no simulator front end ${venue}${segment === undefined ? '' : `:${segment}`}`);
    return fe as SimFrontEndOf[V];
  }

  get stats(): SimulatorStats {
    const connections: SimulatorStats['connections'] = {};
    const subscriptions: SimulatorStats['subscriptions'] = {};
    const rest: SimulatorStats['rest'] = {};
    for (const fe of this.frontEnds) {
      const c = fe.counters();
      connections[fe.name] = c.connections;
      subscriptions[fe.name] = c.subscriptions;
      rest[fe.name] = c.rest;
    }
    let listenerErrors = 0;
    for (const m of this.markets.values()) listenerErrors += m.listenerErrors;
    return { connections, subscriptions, rest, listenerErrors };
  }

  /** Stops everything: timers, sockets, servers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.bench.stop();
      for (const e of this.engines.values()) e.close();
      for (const m of this.markets.values()) m.close();
      await Promise.all(this.frontEnds.map((fe) => fe.close()));
      await this.control.close();
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The instruments of one venue's market: `symbols` as given, a list narrowed to what the venue lists. */
function venueSymbols(symbols: SimulatorOptions['symbols'], catalogue: readonly InstrumentSpec[]): number | readonly string[] | undefined {
  if (symbols === undefined || typeof symbols === 'number') return symbols;
  return symbols.filter((s) => catalogue.some((c) => c.symbol === s));
}

/** Starts the simulator on 127.0.0.1 and resolves once every server listens. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  checkSimulatorOptions(opts);
  const venues = [...new Set(opts.venues ?? registeredVenues())];
  for (const v of venues) if (VENUES[v] === undefined) throw new VenueError('invalid-argument', `the simulator cannot serve ${JSON.stringify(v)} (serves ${registeredVenues().join(', ')})`);
  if (venues.length === 0) throw new VenueError('invalid-argument', `venues is empty: serve at least one of ${registeredVenues().join(', ')}`);
  const seed = opts.seed ?? 1;
  const startTime = opts.startTime ?? Date.now();
  const catalogues = new Map(venues.map((v) => [v, (VENUES[v] as VenueSetup).catalogue(startTime)]));
  if (Array.isArray(opts.symbols)) {
    for (const s of opts.symbols as readonly string[]) {
      if (![...catalogues.values()].some((c) => c.some((i) => i.symbol === s))) throw new VenueError('invalid-argument', `unknown simulator symbol ${s}`);
    }
  }
  const markets = new Map<SimVenue, Market>();
  const engines = new Map<SimVenue, SimTradingEngine>();
  const faults = new SimFaults();
  const tradingFaults = new TradingFaults();
  const frontEnds: SimFrontEnd[] = [];
  try {
    for (const venue of venues) {
      const catalogue = catalogues.get(venue) as readonly InstrumentSpec[];
      const market = new Market({ seed: venueSeed(seed, venue), depth: opts.depth, symbols: venueSymbols(opts.symbols, catalogue), catalogue, tickMs: opts.tickMs, warmupSteps: opts.warmupSteps });
      markets.set(venue, market);
      const setup = VENUES[venue] as VenueSetup;
      const trading = new SimTradingEngine({ market, now: () => faults.now(), ...(setup.feeDecimals === undefined ? {} : { feeDecimals: setup.feeDecimals }) });
      for (const account of opts.accounts ?? [SIM_DEMO_ACCOUNT]) trading.addAccount(account);
      engines.set(venue, trading);
      const port = (index = 0): number => (opts.portBase === undefined ? 0 : opts.portBase + setup.portOffset + index);
      frontEnds.push(...(await setup.start({ market, faults, trading, tradingFaults, port, options: opts })));
    }
    const bench = new BenchFeed(frontEnds, () => faults.now());
    const control = await ControlServer.start({ markets, faults, tradingFaults, bench, frontEnds, port: opts.portBase });
    return new Simulator({ markets, engines, faults, tradingFaults, bench, frontEnds, control, seed });
  } catch (err) {
    for (const e of engines.values()) e.close();
    for (const m of markets.values()) m.close();
    await Promise.all(frontEnds.map((s) => s.close()));
    throw err;
  }
}
