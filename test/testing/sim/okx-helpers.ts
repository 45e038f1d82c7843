/** Helpers for the OKX simulator tests: a raw WebSocket probe (text `pong` included) and a tiny reference `books` applier with its own checksum. */
import { crc32 } from 'node:zlib';
import { WebSocket } from 'ws';
import { SimFaults } from '../../../src/testing/sim/faults.js';
import { Market } from '../../../src/testing/sim/market.js';
import { OkxFrontEnd, okxCatalogue, type OkxOptions } from '../../../src/testing/sim/okx/okx-front-end.js';
import { waitFor } from '../../helpers/wait.js';

/** A plain client that records every frame as text and, when it is JSON, parsed. */
export class OkxProbe {
  readonly ws: WebSocket;
  readonly texts: string[] = [];
  readonly frames: Array<Record<string, unknown>> = [];
  closed: { code: number; reason: string } | undefined;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => {
      const text = data.toString();
      this.texts.push(text);
      try {
        this.frames.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // `pong` and other text frames stay in `texts` only
      }
    });
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.ws.on('error', () => {
      // surfaces as 'close'
    });
  }

  async opened(): Promise<this> {
    if (this.ws.readyState !== WebSocket.OPEN) {
      await new Promise<void>((resolve, reject) => {
        this.ws.once('open', () => resolve());
        this.ws.once('error', reject);
      });
    }
    return this;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  subscribe(args: Array<Record<string, string>>, id?: string): void {
    this.send({ ...(id !== undefined ? { id } : {}), op: 'subscribe', args });
  }

  async next(pred: (f: Record<string, unknown>) => boolean, what: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    return waitFor(() => this.frames.find(pred), what, timeoutMs);
  }

  /** Pushes (frames with `data`) of a channel, optionally for one instId. */
  pushes(channel: string, instId?: string): Array<Record<string, unknown>> {
    return this.frames.filter((f) => {
      const arg = f['arg'] as Record<string, unknown> | undefined;
      return f['data'] !== undefined && arg?.['channel'] === channel && (instId === undefined || arg['instId'] === instId);
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

type Level = [string, string, string, string];

/** The first data item of a push. */
export function item(frame: Record<string, unknown>): Record<string, unknown> {
  return (frame['data'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
}

/**
 * A local `books` book kept the documented way: snapshot, then updates whose `prevSeqId` must equal the last
 * `seqId` (a heartbeat repeats it; a lower `seqId` is a sequence reset and accepted). Throws on a break.
 */
export class OkxLocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  seqId = -1;
  applied = 0;

  loadSnapshot(d: Record<string, unknown>): void {
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of d['bids'] as Level[]) this.bids.set(p, q);
    for (const [p, q] of d['asks'] as Level[]) this.asks.set(p, q);
    this.seqId = d['seqId'] as number;
  }

  /** Applies one push (snapshot or update). */
  apply(frame: Record<string, unknown>): void {
    const d = item(frame);
    if (frame['action'] === 'snapshot') {
      this.loadSnapshot(d);
      return;
    }
    if (d['prevSeqId'] !== this.seqId) throw new Error(`prevSeqId ${String(d['prevSeqId'])} != last seqId ${this.seqId}`);
    for (const [p, q] of d['bids'] as Level[]) setLevel(this.bids, p, q);
    for (const [p, q] of d['asks'] as Level[]) setLevel(this.asks, p, q);
    this.seqId = d['seqId'] as number;
    this.applied++;
  }

  sorted(side: 'bids' | 'asks'): Array<[string, string]> {
    const key = (p: string): bigint => {
      const [i = '0', f = ''] = p.split('.');
      return BigInt(i + f.padEnd(12, '0'));
    };
    return [...(side === 'bids' ? this.bids : this.asks).entries()].sort((a, b) => {
      const d = key(a[0]) - key(b[0]);
      const s = d > 0n ? 1 : d < 0n ? -1 : 0;
      return side === 'bids' ? -s : s;
    });
  }

  /** The documented checksum of this book, computed here with node's zlib CRC32. */
  checksum(): number {
    return okxChecksum(this.sorted('bids'), this.sorted('asks'));
  }
}

function setLevel(side: Map<string, string>, p: string, q: string): void {
  if (/^0(\.0*)?$/.test(q)) side.delete(p);
  else side.set(p, q);
}

/** `bid:ask` pairs of the first 25 levels a side, the longer side's rest appended; CRC32 as a signed int. */
export function okxChecksum(bids: Array<[string, string]>, asks: Array<[string, string]>): number {
  const parts: string[] = [];
  for (let i = 0; i < 25; i++) {
    const b = bids[i];
    const a = asks[i];
    if (b !== undefined) parts.push(`${b[0]}:${b[1]}`);
    if (a !== undefined) parts.push(`${a[0]}:${a[1]}`);
  }
  return crc32(parts.join(':')) | 0;
}

/** An OKX front end over its own market (manual steps only; `books` flushed by the test unless a period is given; no connection-rate limit unless given). */
export async function startOkx(options: OkxOptions = {}, symbols: readonly string[] = ['BTC/USDT', 'BTC/USDT:USDT']): Promise<{ market: Market; faults: SimFaults; fe: OkxFrontEnd }> {
  const market = new Market({ seed: 11, depth: 600, symbols, catalogue: okxCatalogue(Date.UTC(2026, 6, 1)), tickMs: 0, warmupSteps: 60 });
  const faults = new SimFaults();
  const fe = await OkxFrontEnd.start({ market, faults, booksIntervalMs: 3_600_000, connectionsPerSecond: 1000, ...options });
  return { market, faults, fe };
}

