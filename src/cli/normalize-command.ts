/**
 * `venuekit normalize [FILE]`: raw WebSocket frames (one per line, bare or in a cryptofeed capture) → normalized
 * events as JSON lines on stdout, decimals as exact strings. The venue and the market come from `--exchange`
 * and `--market` or from the frames themselves where the venue's wire proves them; otherwise it stops with a
 * usage error asking for the flag, never assuming one. On stderr, as JSON lines: each bad line (`error`),
 * then per kind every frame that gave no events (`skipped`: acks, user data, mark prices...), then a
 * `summary`. `receivedAt` is the recorder's receive time when the line carries one, else the read time.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { MarketDataAdapter } from '../core/adapter.js';
import { toVenueError, VenueError } from '../core/errors.js';
import { parseJson, stringifyJson } from '../core/json.js';
import type { NormalizedEvent } from '../core/model.js';
import { parseCommandLine, stringOption, UsageError, type CommandLine, type CommandSpec } from './args.js';
import { cliIo, type CliIo } from './io.js';
import { splitRecordedLine } from './recording-lines.js';
import { CLI_VENUES, marketNamed, segmentOf, venueNamed, type CliVenue } from './venues.js';

export const NORMALIZE_SPEC: CommandSpec = {
  name: 'normalize',
  summary: 'Raw WebSocket frames (FILE, or stdin) -> normalized events as JSON lines on stdout.',
  positionals: ['[FILE]'],
  options: {
    exchange: { type: 'string', value: 'VENUE', help: `${CLI_VENUES.map((v) => v.name).join(', ')}; read from the frames when omitted` },
    market: { type: 'string', value: 'MARKET', help: 'the recording\'s market (see below); read from the frames when omitted and they prove it' },
    markets: { type: 'string', value: 'FILE', help: "the venue's instruments response, to map ids whose shape does not say their symbol" },
  },
  notes: [
    `markets: ${CLI_VENUES.map((v) => `${v.name} ${Object.keys(v.markets).join('|')}`).join('; ')} (OKX ids name their market: no --market needed)`,
    'Lines are frames as received, or a cryptofeed raw capture ("<unix seconds>: <frame>", whose time becomes receivedAt).',
    'stderr gets JSON lines: "error" per bad line, "skipped" per kind of frame that gave no events, then a "summary".',
    'Exit status: 0 all lines read, 1 some lines failed, 2 the venue or market cannot be told (pass --exchange / --market).',
  ],
};

export interface NormalizeIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly errors: NodeJS.WritableStream;
}

/** Frames held while the venue or market is not known yet; past this, ask for the flags instead of buffering on. */
const MAX_UNDECIDED = 10_000;

interface Held {
  readonly lineNo: number;
  readonly text: string;
  readonly receivedAt: number;
}

interface Decision {
  readonly venue: CliVenue;
  /** The `Market.segment` frames are normalized with. */
  readonly segment: string;
  readonly adapter: MarketDataAdapter;
  readonly resolve: (id: string) => string;
  readonly exchangeFrom: string;
  readonly marketFrom: string;
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One pass over a recording: decides venue and market, normalizes, counts what it skipped and what failed. */
class NormalizeRun {
  private venue: CliVenue | undefined;
  private exchangeFrom = 'given';
  private segment: string | undefined;
  private marketFrom = 'given';
  private decided: Decision | undefined;
  private held: Held[] = [];
  private readonly skipped = new Map<string, { frames: number; firstLine: number }>();
  lines = 0;
  frames = 0;
  events = 0;
  failed = 0;

  constructor(
    private readonly io: CliIo,
    private readonly marketsFile: string | undefined,
    exchange: string | undefined,
    private readonly market: string | undefined,
  ) {
    if (exchange !== undefined) this.venue = venueNamed(exchange);
    if (this.venue !== undefined && market !== undefined) this.segment = segmentOf(this.venue, market);
    this.tryDecide();
  }

  /** Feeds one line (numbered from 1). */
  line(lineNo: number, raw: string): void {
    this.lines = lineNo;
    if (raw.trim() === '') return;
    const split = splitRecordedLine(raw);
    if (split.kind === 'recorder') return this.skip(split.what, lineNo);
    const held: Held = { lineNo, text: split.text, receivedAt: split.receivedAt ?? Date.now() };
    if (this.decided !== undefined) return this.normalize(this.decided, held);
    this.held.push(held);
    this.learn(held);
    if (this.tryDecide()) return this.flush();
    if (this.held.length >= MAX_UNDECIDED) throw this.undecided(`read ${this.held.length} frames without one that tells`);
  }

  /** After the last line: decides what is left undecided (or refuses), then reports on stderr. */
  finish(): void {
    if (this.decided === undefined && this.held.length > 0) {
      if (this.venue === undefined) throw this.undecided(`none of the ${this.held.length} frames tells`);
      // No frame proved the market: fine only if no frame would give events under any market.
      const venue = this.venue;
      const adapter = venue.marketData();
      const carriesData = this.held.some((h) => Object.values(venue.markets).some((segment) => this.eventsUnder(adapter, venue, segment, h.text) > 0));
      if (carriesData) throw this.undecided(`none of the ${this.held.length} frames (${this.heldKinds()}) tells`);
      this.segment = venue.markets[venue.defaultMarket] as string;
      this.marketFrom = 'not needed: no frame carries market data';
      this.tryDecide();
      this.flush();
    }
    if (this.io.outClosed.aborted) return;
    const report = (o: unknown): void => void this.io.err.write(stringifyJson(o) + '\n');
    for (const [kind, s] of [...this.skipped].sort((a, b) => a[1].firstLine - b[1].firstLine)) report({ type: 'skipped', kind, frames: s.frames, firstLine: s.firstLine });
    const d = this.decided;
    const skipped = [...this.skipped.values()].reduce((n, s) => n + s.frames, 0);
    report({
      type: 'summary',
      ...(d === undefined ? {} : { exchange: d.venue.name, exchangeFrom: d.exchangeFrom, market: marketNamed(d.venue, d.segment), marketFrom: d.marketFrom }),
      lines: this.lines,
      frames: this.frames,
      events: this.events,
      skipped,
      failed: this.failed,
    });
  }

  /** Learns the venue, then the market, from one held frame where its shape proves them. */
  private learn(h: Held): void {
    let frame: unknown;
    try {
      frame = parseJson(h.text);
    } catch {
      return;
    }
    if (this.venue === undefined) {
      const claims = CLI_VENUES.filter((v) => v.readRecordedFrame(frame) !== undefined);
      if (claims.length !== 1) return;
      this.venue = claims[0] as CliVenue;
      this.exchangeFrom = `line ${h.lineNo} (${this.venue.readRecordedFrame(frame)?.kind})`;
      if (this.market !== undefined) this.segment = segmentOf(this.venue, this.market);
    }
    if (this.segment !== undefined || this.venue.idsNameMarket) return;
    const seen = this.venue.readRecordedFrame(frame);
    if (seen?.segment === undefined) return;
    this.segment = seen.segment;
    this.marketFrom = `line ${h.lineNo} (${seen.kind})`;
  }

  /** Settles the decision once the venue and (where ids need it) the market are known. */
  private tryDecide(): boolean {
    const venue = this.venue;
    if (this.decided !== undefined) return true;
    if (venue === undefined) return false;
    if (this.segment === undefined) {
      if (!venue.idsNameMarket) return false;
      this.segment = venue.markets[venue.defaultMarket] as string;
      this.marketFrom = 'not needed: ids name their market';
    }
    const segment = this.segment;
    const adapter = venue.marketData();
    const known = new Map<string, string>();
    if (this.marketsFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(this.marketsFile, 'utf8');
      } catch (err) {
        throw new UsageError('normalize', `--markets ${this.marketsFile}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      for (const m of adapter.parseMarkets(parseJson(text), segment)) known.set(m.id, m.symbol);
    }
    const resolve = (id: string): string => {
      const s = known.get(id) ?? venue.guessSymbol(id, segment);
      if (s === undefined) throw new VenueError('not-found', `unknown market id ${id} (pass --markets with the venue's instruments response)`, { venue: venue.name });
      return s;
    };
    this.decided = { venue, segment, adapter, resolve, exchangeFrom: this.exchangeFrom, marketFrom: this.marketFrom };
    return true;
  }

  private flush(): void {
    const held = this.held;
    this.held = [];
    for (const h of held) {
      if (this.io.outClosed.aborted) return;
      this.normalize(this.decided as Decision, h);
    }
  }

  private normalize(d: Decision, h: Held): void {
    this.frames++;
    let frame: unknown;
    let events: NormalizedEvent[];
    try {
      frame = d.adapter.stream.decode(h.text);
    } catch (err) {
      return this.fail(h, err);
    }
    const seen = d.venue.readRecordedFrame(frame);
    if (!d.venue.idsNameMarket && seen?.segment !== undefined && seen.segment !== d.segment) {
      const what = `line ${h.lineNo} is a ${marketNamed(d.venue, seen.segment)} frame (${seen.kind})`;
      // A --market the frames contradict is the user's mistake: stop. A recording that mixes markets: report the line.
      if (d.marketFrom === 'given') throw new UsageError('normalize', `${what}, not ${marketNamed(d.venue, d.segment)} as --market says; pass --market ${marketNamed(d.venue, seen.segment)}`);
      return this.fail(h, new VenueError('invalid-argument', `${what} in a ${marketNamed(d.venue, d.segment)} recording (market read from ${d.marketFrom})`));
    }
    try {
      events = d.adapter.normalizeFrame(frame, d.segment, d.resolve, h.receivedAt);
    } catch (err) {
      return this.fail(h, err);
    }
    if (events.length === 0) return this.skip(this.kindOf(d.venue, frame), h.lineNo);
    for (const event of events) {
      if (this.io.outClosed.aborted) return;
      this.io.out.write(stringifyJson(event) + '\n');
      this.events++;
    }
  }

  /** Reports a line that failed, as a JSON `error` line on stderr. */
  private fail(h: Held, err: unknown): void {
    this.failed++;
    const e = toVenueError(err, 'decode');
    this.io.err.write(stringifyJson({ type: 'error', line: h.lineNo, code: e.code, message: e.message }) + '\n');
  }

  /** What a frame that gave no events is: its venue's name for it, or whose frame it looks like. */
  private kindOf(venue: CliVenue, frame: unknown): string {
    const seen = venue.readRecordedFrame(frame);
    if (seen !== undefined) return seen.kind;
    if (!isObject(frame)) return 'non-object JSON';
    const other = CLI_VENUES.find((v) => v !== venue && v.readRecordedFrame(frame) !== undefined);
    return `not a ${venue.name} frame${other === undefined ? '' : ` (looks like ${other.name})`}`;
  }

  private skip(kind: string, lineNo: number): void {
    const s = this.skipped.get(kind);
    if (s === undefined) this.skipped.set(kind, { frames: 1, firstLine: lineNo });
    else s.frames++;
  }

  private eventsUnder(adapter: MarketDataAdapter, venue: CliVenue, segment: string, text: string): number {
    try {
      return adapter.normalizeFrame(adapter.stream.decode(text), segment, (id) => venue.guessSymbol(id, segment) ?? id, 0).length;
    } catch {
      return 0;
    }
  }

  private heldKinds(): string {
    const venue = this.venue as CliVenue;
    const kinds = new Map<string, number>();
    for (const h of this.held) {
      let kind: string;
      try {
        kind = this.kindOf(venue, venue.marketData().stream.decode(h.text));
      } catch {
        kind = 'not JSON';
      }
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    return [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
  }

  private undecided(what: string): UsageError {
    if (this.venue === undefined) return new UsageError('normalize', `${what} its venue; pass --exchange ${CLI_VENUES.map((v) => v.name).join('|')}`);
    return new UsageError('normalize', `${what} its ${this.venue.name} market; pass --market ${Object.keys(this.venue.markets).join('|')}`);
  }
}

/** Runs `normalize` on a parsed command line; resolves to the number of lines that failed. */
export async function runNormalize(line: CommandLine, io: CliIo, input?: NodeJS.ReadableStream): Promise<number> {
  const file = line.positionals[0];
  let source = input;
  if (source === undefined) {
    if (file !== undefined && file !== '-') {
      source = createReadStream(file);
      await new Promise<void>((resolve, reject) => {
        (source as NodeJS.ReadableStream).once('open', () => resolve());
        (source as NodeJS.ReadableStream).once('error', (err: NodeJS.ErrnoException) => reject(new UsageError('normalize', `cannot read ${file} (${err.code ?? err.message})`)));
      });
    } else {
      source = process.stdin;
      if (process.stdin.isTTY === true) io.err.write('venuekit normalize: reading frames from stdin (end with Ctrl-D)\n');
    }
  }
  const run = new NormalizeRun(io, stringOption(line, 'markets'), stringOption(line, 'exchange'), stringOption(line, 'market'));
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      run.line(++lineNo, text);
      if (io.outClosed.aborted) break;
    }
  } finally {
    lines.close();
    if (io.outClosed.aborted || source !== input) (source as { destroy?: () => void }).destroy?.();
  }
  run.finish();
  return run.failed;
}

/** `normalize` as a library function (tests): parses `argv`; reads `io.input`; returns the number of lines that failed. */
export async function normalizeCommand(argv: string[], io: NormalizeIo = { input: process.stdin, output: process.stdout, errors: process.stderr }): Promise<number> {
  return runNormalize(parseCommandLine(NORMALIZE_SPEC, argv), cliIo(io.output, io.errors), io.input);
}
