/**
 * The simulator's HTTP control API on 127.0.0.1, for tests and benchmark clients in other processes:
 * `GET /_sim/state`, `POST /_sim/faults`, `GET /_sim/book`, `POST /_sim/market` (`action` pause | resume | step |
 * trend with `symbol` and `levelsPerStep`), `POST /_sim/bench/{prepare,start,stop,release}`,
 * `GET /_sim/bench/result`, `GET /_sim/bench/book?at=<index>|id=<u>`. Trading faults: `ack` (`kind` delay | lose |
 * timeout-after-accept | garble, `ms`, `count`), `private-events` (`kind` duplicate | reorder, `count`), `drop-private`. `venue` (default binance) picks a venue's market
 * (and, for `bench/prepare` and `bench/start`, the venue whose stream format the bench writes).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VenueError } from '../../core/errors.js';
import type { BenchFeed } from './bench-feed.js';
import { formatUnits } from './binance/wire-format.js';
import type { BookSnapshot } from './book-engine.js';
import type { RestFailureStatus, SimFaults } from './faults.js';
import type { FaultRequest, SimFrontEnd, SimVenue } from './front-end.js';
import type { Market } from './market.js';
import type { AckFault, TradingFaults } from './trading/trading-faults.js';

export type { FaultRequest } from './front-end.js';

export interface ControlServerOptions {
  /** One market per served venue. */
  readonly markets: ReadonlyMap<SimVenue, Market>;
  readonly faults: SimFaults;
  readonly bench: BenchFeed;
  readonly frontEnds: readonly SimFrontEnd[];
  readonly tradingFaults?: TradingFaults | undefined;
  readonly port?: number | undefined;
  readonly host?: string | undefined;
}

class HttpError {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

export class ControlServer {
  private readonly server: Server;
  private urlValue = '';

  private constructor(private readonly o: ControlServerOptions) {
    this.server = createServer((req, res) => void this.onRequest(req, res));
  }

  static async start(o: ControlServerOptions): Promise<ControlServer> {
    const c = new ControlServer(o);
    const host = o.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      c.server.once('error', reject);
      c.server.listen(o.port ?? 0, host, () => {
        c.server.off('error', reject);
        resolve();
      });
    });
    c.urlValue = `http://${host}:${(c.server.address() as AddressInfo).port}`;
    return c;
  }

  get url(): string {
    return this.urlValue;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status = 200;
    let body: unknown;
    try {
      const url = new URL(req.url ?? '/', 'http://sim.invalid');
      const input = req.method === 'POST' ? await readJson(req) : {};
      body = this.route(req.method ?? 'GET', url, input);
    } catch (err) {
      if (err instanceof HttpError) status = err.status;
      else if (VenueError.is(err)) status = err.code === 'not-found' ? 404 : 400;
      else status = 500;
      body = { error: err instanceof HttpError ? err.message : err instanceof Error ? err.message : String(err) };
    }
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** The market of `venue` (a query parameter or body field; default binance, or the first served venue without it). */
  private marketOf(venue: unknown): Market {
    const name = typeof venue === 'string' && venue !== '' ? venue : this.o.markets.has('binance') ? 'binance' : ([...this.o.markets.keys()][0] ?? 'binance');
    const m = this.o.markets.get(name as SimVenue);
    if (m === undefined) throw new HttpError(404, `the simulator does not serve ${name}`);
    return m;
  }

  private route(method: string, url: URL, input: Record<string, unknown>): unknown {
    const { faults, bench } = this.o;
    const market = this.marketOf(method === 'GET' ? url.searchParams.get('venue') : input['venue']);
    const key = `${method} ${url.pathname.replace(/\/+$/, '')}`;
    switch (key) {
      case 'GET /_sim/state':
        return this.state();
      case 'POST /_sim/faults':
        return { applied: this.applyFault(input as unknown as FaultRequest), faults: faults.state() };
      case 'GET /_sim/book': {
        const symbol = this.symbolParam(url.searchParams.get('symbol'), market);
        const limit = Number(url.searchParams.get('limit') ?? '5000');
        return bookJson(market, symbol, market.snapshot(symbol, limit), market.book(symbol).updateId);
      }
      case 'POST /_sim/market': {
        // Without `venue`, pause / resume / step act on every venue's market.
        const targets = input['venue'] === undefined ? [...this.o.markets.values()] : [market];
        const action = input['action'];
        for (const m of targets) {
          if (action === 'pause') m.stop();
          else if (action === 'resume') m.start(typeof input['tickMs'] === 'number' ? input['tickMs'] : undefined);
          else if (action === 'step') {
            const symbol = typeof input['symbol'] === 'string' ? this.symbolParam(input['symbol'], m, targets.length > 1) : undefined;
            if (symbol !== null) m.step(typeof input['steps'] === 'number' ? input['steps'] : 1, symbol);
          } else if (action === 'trend') {
            // A steady trend on one symbol: `levelsPerStep` levels swept a step (negative: down; 0 ends it).
            const symbol = this.symbolParam(input['symbol'], m, targets.length > 1);
            if (symbol !== null) m.setTrend(symbol, requireNumber(input['levelsPerStep'], 'levelsPerStep'));
          } else throw new HttpError(400, 'action must be pause, resume, step or trend');
        }
        return { running: market.running };
      }
      case 'POST /_sim/bench/prepare':
        return bench.prepare({ symbol: this.symbolParam(input['symbol'], market), updates: Number(input['updates']), ...venueOf(input), ...(typeof input['levels'] === 'number' ? { levels: input['levels'] } : {}), ...(typeof input['seed'] === 'number' ? { seed: input['seed'] } : {}) });
      case 'POST /_sim/bench/start':
        return bench.start({
          ...venueOf(input),
          ...(input['symbol'] !== undefined ? { symbol: this.symbolParam(input['symbol'], market) } : {}),
          ...(typeof input['updates'] === 'number' ? { updates: input['updates'] } : {}),
          ...(typeof input['seed'] === 'number' ? { seed: input['seed'] } : {}),
          ratePerSec: typeof input['ratePerSec'] === 'number' ? input['ratePerSec'] : 0,
        });
      case 'POST /_sim/bench/stop':
        bench.stop();
        return { stopped: true };
      case 'POST /_sim/bench/release':
        return bench.release();
      case 'GET /_sim/bench/result':
        return bench.result();
      case 'GET /_sim/bench/book': {
        // `at=<index>` (0-based message index, -1 = before the first) or `id=<u>` (the message whose `u` it is).
        const id = url.searchParams.get('id');
        const at = id === null ? Number(url.searchParams.get('at') ?? '-1') : bench.indexOfUpdateId(Number(id));
        const snap = bench.bookAt(at);
        const symbol = bench.result().symbol as string;
        return bookJson(bench.market ?? market, symbol, snap, snap.updateId);
      }
      default:
        throw new HttpError(404, `unknown control route ${key}`);
    }
  }

  /**
   * Accepts a unified symbol (`BTC/USDT`) or a venue id (`BTCUSDT`, spot first) of `market`'s venue. With
   * `optional`, a symbol that market does not hold gives `null` instead of an error.
   */
  private symbolParam(value: unknown, market: Market, optional: boolean): string | null;
  private symbolParam(value: unknown, market: Market): string;
  private symbolParam(value: unknown, market: Market, optional = false): string | null {
    if (typeof value !== 'string' || value === '') throw new HttpError(400, 'symbol is required');
    if (value.includes('/')) {
      if (optional && !market.instruments.has(value)) return null;
      return market.instrument(value).symbol;
    }
    for (const fe of this.o.frontEnds) {
      if (fe.market !== market) continue;
      const listed = fe.listedSymbols().find((l) => l.id === value);
      if (listed !== undefined) return listed.symbol;
    }
    if (optional) return null;
    throw new HttpError(404, `unknown symbol ${value}`);
  }

  private applyFault(f: FaultRequest): unknown {
    const { faults } = this.o;
    const scope = { ...(f.venue !== undefined ? { venue: f.venue } : {}), ...(f.segment !== undefined ? { segment: f.segment } : {}) };
    switch (f.type) {
      case 'drop':
        return { connections: faults.drop(scope) };
      case 'gap':
        faults.gap(this.symbolParam(f.symbol, this.marketOf(f.venue)), scope);
        return { symbol: f.symbol, ...scope };
      case 'stall':
        return { connections: faults.stall(requireNumber(f.ms, 'ms'), scope) };
      case 'delay':
        faults.delayFrames(requireNumber(f.ms, 'ms'));
        return { delayMs: f.ms };
      case 'rest-error':
        faults.failRest({ ...scope, status: requireNumber(f.status, 'status') as RestFailureStatus, ...(f.count !== undefined ? { count: f.count } : {}), ...(f.retryAfterSec !== undefined ? { retryAfterSec: f.retryAfterSec } : {}) });
        return { status: f.status, count: f.count ?? 1 };
      case 'clock-skew':
        faults.skewClock(requireNumber(f.ms, 'ms'));
        return { clockSkewMs: f.ms };
      case 'server-shutdown':
        return { connections: faults.serverShutdown({ ...scope, ...(f.closeAfterMs !== undefined ? { closeAfterMs: f.closeAfterMs } : {}) }) };
      case 'clear':
        faults.clear();
        this.o.tradingFaults?.clear();
        return { cleared: true };
      case 'ack': {
        const venue = requireVenue(f.venue);
        const kind = f['kind'];
        const fault: AckFault = kind === 'lose' || kind === 'garble' ? { kind } : kind === 'delay' || kind === 'timeout-after-accept' ? { kind, ms: requireNumber(f.ms, 'ms') } : badKind(kind, 'delay, lose, timeout-after-accept, garble');
        this.trading().failAck(venue, fault, f.count ?? 1);
        return { venue, ...fault, count: f.count ?? 1 };
      }
      case 'private-events': {
        const venue = requireVenue(f.venue);
        const kind = f['kind'];
        if (kind !== 'duplicate' && kind !== 'reorder') return badKind(kind, 'duplicate, reorder');
        this.trading().shapeEvents(venue, { kind, count: requireNumber(f.count, 'count') });
        return { venue, kind, count: f.count };
      }
      case 'drop-private': {
        let connections = 0;
        for (const fe of this.o.frontEnds) if (f.venue === undefined || fe.venue === f.venue) connections += fe.dropPrivateStreams?.() ?? 0;
        return { connections };
      }
      default: {
        // A venue-specific fault: the first front end (of `venue` when given) that knows the type applies it.
        for (const fe of this.o.frontEnds) {
          if (f.venue !== undefined && fe.venue !== f.venue) continue;
          const done = fe.applyFault?.(f);
          if (done !== undefined) return done;
        }
        throw new HttpError(400, `unknown fault type ${JSON.stringify(f.type)}`);
      }
    }
  }

  private trading(): TradingFaults {
    if (this.o.tradingFaults === undefined) throw new HttpError(400, 'this simulator has no trading fault switches');
    return this.o.tradingFaults;
  }

  private state(): unknown {
    const { markets, faults, frontEnds, bench } = this.o;
    const market = this.marketOf(undefined);
    const segments: Record<string, unknown> = {};
    for (const fe of frontEnds) {
      const c = fe.counters();
      segments[fe.name] = {
        venue: fe.venue,
        connections: c.connections.open,
        accepted: c.connections.accepted,
        closedByServer: c.connections.closedByServer,
        subscriptions: c.subscriptions,
        rest: c.rest,
        symbols: fe.listedSymbols().map((l) => {
          const book = fe.market.book(l.symbol);
          return { id: l.id, symbol: l.symbol, segment: l.segment, updateId: book.updateId, bidLevels: book.bids.length, askLevels: book.asks.length };
        }),
      };
    }
    const venues = Object.fromEntries([...markets].map(([v, m]) => [v, { seed: m.seed, running: m.running, listenerErrors: m.listenerErrors, symbols: m.symbols.length }]));
    const b = bench.result();
    return { seed: market.seed, depth: market.depth, running: market.running, listenerErrors: market.listenerErrors, venues, faults: faults.state(), ...(this.o.tradingFaults === undefined ? {} : { tradingFaults: this.o.tradingFaults.state() }), segments, bench: { state: b.state, symbol: b.symbol, updates: b.updates, written: b.written } };
  }
}

/** A truth book as JSON: decimal strings at the instrument's own decimals. */
function bookJson(market: Market, symbol: string, snap: BookSnapshot, lastAppliedId: number): unknown {
  const i = market.instrument(symbol);
  const level = ([p, q]: readonly [number, number]): [string, string] => [formatUnits(p, i.priceScale, i.priceScale), formatUnits(q, i.qtyScale, i.qtyScale)];
  return { symbol, snapshotId: snap.updateId, lastUpdateId: lastAppliedId, bids: snap.bids.map(level), asks: snap.asks.map(level) };
}

/** The bench's `venue` from a request body (the market routes take it the same way; default binance). */
function venueOf(input: Record<string, unknown>): { venue?: SimVenue } {
  return typeof input['venue'] === 'string' && input['venue'] !== '' ? { venue: input['venue'] as SimVenue } : {};
}

function requireVenue(v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new HttpError(400, 'venue is required (binance, bybit, okx)');
  return v;
}

function badKind(kind: unknown, allowed: string): never {
  throw new HttpError(400, `kind ${JSON.stringify(kind)}: use ${allowed}`);
}

function requireNumber(v: unknown, name: string): number {
  if (typeof v !== 'number') throw new HttpError(400, `${name} must be a number`);
  return v;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new HttpError(400, 'body must be a JSON object');
}
