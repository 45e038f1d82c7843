/**
 * Starts the whole simulator: the market core, the Binance spot and USD-M front ends, the fault switches,
 * the bench feed and the HTTP control server, all on 127.0.0.1. `startSimulator()` is the entry point.
 */
import { VenueError } from '../../core/errors.js';
import { BenchFeed } from './bench-feed.js';
import { BinanceFrontEnd, type SegmentEndpoints } from './binance/binance-front-end.js';
import type { BinanceSegment } from './binance/wire-format.js';
import { ControlServer } from './control-server.js';
import { SimFaults } from './faults.js';
import { Market } from './market.js';

export type SimVenue = 'binance';

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
  /** PRNG seed (default 1): same seed, same books and trades step by step. */
  readonly seed?: number;
  /** Target book depth per side (default 1,000, at most 5,000). */
  readonly depth?: number;
  /** All default instruments, the first N spot and N perpetuals, or a list of unified symbols. */
  readonly symbols?: number | readonly string[];
  /** Market evolution period (default 50 ms; 0 = only manual `market.step()`). */
  readonly tickMs?: number;
  /** Server ping period for every stream connection (default: spot 20 s, USD-M 3 min). */
  readonly pingIntervalMs?: number;
  /** Close when no pong for this long (default: spot 1 min, USD-M 10 min; 3 × `pingIntervalMs` when that is set). */
  readonly pongTimeoutMs?: number;
  /** Stream connection lifetime (default 24 h). */
  readonly maxConnectionLifetimeMs?: number;
  /** Incoming messages per second per stream connection (default: spot 5, USD-M 10). */
  readonly maxIncomingPerSecond?: { readonly spot?: number; readonly usdm?: number };
  readonly rateLimits?: SimulatorRateLimits;
  /** Venues to serve (only `binance` for now). */
  readonly venues?: readonly SimVenue[];
  /** Fixed ports: control on `portBase`, Binance spot on +1, USD-M on +2. Default: any free ports. */
  readonly portBase?: number;
  /** USD-M: serve every stream on pre-2026 paths without `/public` or `/market` (default false: only the public tier). */
  readonly legacyUsdmPaths?: boolean;
  /** Evolution steps per symbol before serving (default 40). */
  readonly warmupSteps?: number;
}

export interface SimulatorEndpoints {
  readonly binance: { readonly spot: SegmentEndpoints; readonly usdm: SegmentEndpoints };
  /** Control API base: `POST <control>/_sim/faults`, `GET <control>/_sim/state`, `/_sim/bench/*`. */
  readonly control: string;
}

export interface SimulatorStats {
  readonly connections: Record<string, { open: number; accepted: number; closedByServer: Record<string, number> }>;
  readonly subscriptions: Record<string, number>;
  readonly rest: Record<string, { total: number; byRoute: Record<string, number>; byStatus: Record<string, number> }>;
  /** Market listener exceptions (a simulator bug when not 0). */
  readonly listenerErrors: number;
}

/** A running simulator. Close it with `await sim.close()` or `await using sim = await startSimulator()`. */
export class Simulator implements AsyncDisposable {
  readonly market: Market;
  readonly faults: SimFaults;
  readonly bench: BenchFeed;
  readonly endpoints: SimulatorEndpoints;
  readonly seed: number;
  private readonly frontEnds: Map<string, BinanceFrontEnd>;
  private readonly control: ControlServer;
  private closing: Promise<void> | undefined;

  /** @internal use `startSimulator()`. */
  constructor(parts: { market: Market; faults: SimFaults; bench: BenchFeed; frontEnds: Map<string, BinanceFrontEnd>; control: ControlServer; seed: number }) {
    this.market = parts.market;
    this.faults = parts.faults;
    this.bench = parts.bench;
    this.frontEnds = parts.frontEnds;
    this.control = parts.control;
    this.seed = parts.seed;
    const fe = (segment: BinanceSegment): SegmentEndpoints => (this.frontEnds.get(`binance:${segment}`) as BinanceFrontEnd).endpoints;
    this.endpoints = { binance: { spot: fe('spot'), usdm: fe('usdm') }, control: parts.control.url };
  }

  /** A front end by venue and segment (`binance`, `spot` | `usdm`). */
  frontEnd(venue: SimVenue, segment: BinanceSegment): BinanceFrontEnd {
    const fe = this.frontEnds.get(`${venue}:${segment}`);
    if (fe === undefined) throw new VenueError('not-found', `no simulator front end ${venue}:${segment}`);
    return fe;
  }

  get stats(): SimulatorStats {
    const connections: SimulatorStats['connections'] = {};
    const subscriptions: SimulatorStats['subscriptions'] = {};
    const rest: SimulatorStats['rest'] = {};
    for (const [key, fe] of this.frontEnds) {
      connections[key] = { open: fe.streams.connections.size, accepted: fe.streams.counts.accepted, closedByServer: { ...fe.streams.counts.closedByServer } };
      subscriptions[key] = fe.streams.subscriptionCount;
      rest[key] = { total: fe.rest.counts.total, byRoute: { ...fe.rest.counts.byRoute }, byStatus: { ...fe.rest.counts.byStatus } };
    }
    return { connections, subscriptions, rest, listenerErrors: this.market.listenerErrors };
  }

  /** Stops everything: timers, sockets, servers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.bench.stop();
      this.market.close();
      await Promise.all([...this.frontEnds.values()].map((fe) => fe.close()));
      await this.control.close();
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Starts the simulator on 127.0.0.1 and resolves once every server listens. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const venues = opts.venues ?? ['binance'];
  if (venues.length !== 1 || venues[0] !== 'binance') throw new VenueError('invalid-argument', `the simulator serves only ['binance'] for now, got ${JSON.stringify(venues)}`);
  const seed = opts.seed ?? 1;
  const market = new Market({ seed, depth: opts.depth, symbols: opts.symbols, tickMs: opts.tickMs, warmupSteps: opts.warmupSteps });
  const faults = new SimFaults();
  const frontEnds = new Map<string, BinanceFrontEnd>();
  const rl = opts.rateLimits ?? {};
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    for (const [i, segment] of (['spot', 'usdm'] as const).entries()) {
      const fe = await BinanceFrontEnd.start({
        segment,
        market,
        faults,
        port: opts.portBase === undefined ? 0 : opts.portBase + 1 + i,
        weightLimit: segment === 'spot' ? rl.spotWeight : rl.usdmWeight,
        weightWindowMs: rl.windowMs,
        banAfterRejections: rl.banAfterRejections,
        banMs: rl.banMs,
        pingIntervalMs: opts.pingIntervalMs,
        pongTimeoutMs: opts.pongTimeoutMs ?? (opts.pingIntervalMs === undefined ? undefined : opts.pingIntervalMs * 3),
        maxConnectionLifetimeMs: opts.maxConnectionLifetimeMs,
        maxIncomingPerSecond: opts.maxIncomingPerSecond?.[segment],
        legacyUsdmPaths: opts.legacyUsdmPaths,
      });
      started.push(fe);
      frontEnds.set(`binance:${segment}`, fe);
    }
    const bench = new BenchFeed(market, (segment) => frontEnds.get(`binance:${segment}`) as BinanceFrontEnd, () => faults.now());
    const control = await ControlServer.start({ market, faults, bench, frontEnds, port: opts.portBase });
    return new Simulator({ market, faults, bench, frontEnds, control, seed });
  } catch (err) {
    market.close();
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
}
