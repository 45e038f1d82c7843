/**
 * A small hostile venue for tests: one HTTP + WebSocket server on 127.0.0.1 that speaks just enough of
 * Binance's spot wire (real recorded `exchangeInfo`, SUBSCRIBE acks, real `24hrTicker` frames) for a real
 * client to run, and misbehaves on demand: oversize frames streamed from their header, ping floods, handshakes
 * that never complete, deep-nested JSON, huge or endless HTTP bodies. Every hostile payload starts from a real
 * fixture (a ticker frame or `exchangeInfo`) and says how it was mutated. Also `refusedUrl()`, a port that
 * refuses connections.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { BinanceUrls } from '../../src/exchanges/binance/config.js';
import { fixtureText } from './wait.js';

/** What one HTTP path answers. */
export type HttpBehaviour =
  /** 200 with this body. */
  | { readonly json: string }
  /**
   * 200 with `prefix` then spaces (JSON whitespace: the body stays valid JSON) until `totalBytes` or until the
   * client goes away, written with backpressure. `declareLength` sends a `content-length` of `totalBytes` instead
   * of chunked encoding. How much was written is in `venue.http.written`.
   */
  | { readonly stream: { readonly prefix: string; readonly totalBytes: number; readonly declareLength?: boolean } };

/** What one WebSocket connection gets, chosen by its index (0 = the first upgrade). */
export type UpgradeBehaviour = 'accept' | 'hang';

/** One accepted WebSocket connection, seen from the server. */
export interface HostileSocket {
  readonly index: number;
  readonly ws: WebSocket;
  /** What the client sent, in order: text frames and pongs (with their payload). */
  readonly received: Array<{ readonly kind: 'text' | 'pong'; readonly data: string }>;
  /** Whether the client's socket is gone. */
  readonly closed: boolean;
  /** Sends `count` pings (payload `p<i>`) in one burst. */
  pingFlood(count: number): void;
  /** Keeps pinging (payload `s<i>`) every `ms` until the returned function is called: a sustained flood. */
  pingEvery(ms: number): () => void;
  /** A data frame of a subscribed stream, Binance combined-stream style. */
  sendStream(stream: string, data: unknown): void;
  /**
   * Writes one text frame whose header declares `totalBytes` of payload, then streams `prefix` and spaces with
   * backpressure until all is written or the client drops the socket. Resolves with the bytes written.
   */
  sendOversize(prefix: string, totalBytes: number): Promise<number>;
}

export interface HostileVenueOptions {
  /** Answers per HTTP path (query ignored); defaults serve the recorded spot `exchangeInfo` and `time`. */
  readonly http?: Readonly<Record<string, HttpBehaviour>>;
  /** Per upgrade index (default every one accepted). */
  readonly upgrade?: (index: number) => UpgradeBehaviour;
  /** Data frames sent after a SUBSCRIBE ack for each stream (default: one real ticker for `<sym>@ticker`). */
  readonly streamData?: (stream: string) => unknown[];
  /** Whether SUBSCRIBE requests are acknowledged (default true). */
  readonly ack?: boolean;
}

export interface HostileVenue extends AsyncDisposable {
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** Binance spot and USD-M URLs pointing here. */
  readonly binanceUrls: BinanceUrls;
  /** Accepted WebSocket connections, in order. */
  readonly sockets: readonly HostileSocket[];
  /** Upgrade requests seen (accepted or left hanging). */
  readonly upgrades: number;
  /** Bytes written per streamed HTTP path. */
  readonly http: { readonly written: Map<string, number>; readonly requests: string[] };
  close(): Promise<void>;
}

/** The recorded spot `exchangeInfo` (Oct 2021, 1,695 symbols). */
export const EXCHANGE_INFO = fixtureText('binance/rest/spot-exchange-info-recorded-2021-10.json');

/** The documented spot `24hrTicker` event (`binance/ws/spot-ticker-24hr.json`), re-labelled for `symbol`. */
export function tickerEvent(symbol: string): Record<string, unknown> {
  return { ...(JSON.parse(fixtureText('binance/ws/spot-ticker-24hr.json')) as Record<string, unknown>), s: symbol, E: Date.now() };
}

function defaultStreamData(stream: string): unknown[] {
  const [id, kind] = stream.split('@');
  return kind === 'ticker' && id !== undefined ? [tickerEvent(id.toUpperCase())] : [];
}

/** Starts the venue on an ephemeral port of 127.0.0.1. */
export async function startHostileVenue(options: HostileVenueOptions = {}): Promise<HostileVenue> {
  const routes: Record<string, HttpBehaviour> = {
    '/api/v3/exchangeInfo': { json: EXCHANGE_INFO },
    '/api/v3/time': { json: fixtureText('binance/rest/spot-time.json') },
    ...options.http,
  };
  const written = new Map<string, number>();
  const requests: string[] = [];
  const sockets: HostileSocket[] = [];
  const hanging = new Set<net.Socket>();
  let upgrades = 0;

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    requests.push(path);
    const b = routes[path];
    if (b === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":-1,"msg":"not served by the hostile venue"}');
      return;
    }
    if ('json' in b) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(b.json);
      return;
    }
    const { prefix, totalBytes, declareLength } = b.stream;
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength === true ? { 'content-length': String(totalBytes) } : {}) });
    void pump(res, prefix, totalBytes, (n) => written.set(path, n)).then(() => res.end());
  });
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  server.on('upgrade', (req, socket: net.Socket, head) => {
    const index = upgrades++;
    if ((options.upgrade?.(index) ?? 'accept') === 'hang') {
      hanging.add(socket); // TCP accepted, the HTTP upgrade never answered
      socket.on('close', () => hanging.delete(socket));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => sockets.push(hostileSocket(index, ws, socket, options)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const httpUrl = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}`;
  const segment = { rest: httpUrl, ws: wsUrl, wsApi: `${wsUrl}/ws-api/v3` };
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const s of sockets) s.ws.terminate();
    for (const s of hanging) s.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return {
    httpUrl,
    wsUrl,
    binanceUrls: { spot: segment, usdm: segment },
    sockets,
    get upgrades() {
      return upgrades;
    },
    http: { written, requests },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A `ws://` URL on which every connection is refused (a port that was bound, then released). */
export async function refusedUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `ws://127.0.0.1:${port}`;
}

/** Arrays nested `depth` deep (`[[[...]]]`): what a hostile venue sends to blow a recursive walk's stack. */
export function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function hostileSocket(index: number, ws: WebSocket, raw: net.Socket, options: HostileVenueOptions): HostileSocket {
  const received: Array<{ kind: 'text' | 'pong'; data: string }> = [];
  let closed = false;
  ws.on('close', () => (closed = true));
  ws.on('error', () => undefined);
  ws.on('pong', (d: Buffer) => received.push({ kind: 'pong', data: d.toString() }));
  const sendStream = (stream: string, data: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ stream, data }));
  };
  ws.on('message', (d: Buffer) => {
    const text = d.toString();
    received.push({ kind: 'text', data: text });
    let msg: { method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.method !== 'SUBSCRIBE' || options.ack === false) return;
    ws.send(JSON.stringify({ result: null, id: msg.id }));
    for (const stream of Array.isArray(msg.params) ? (msg.params as string[]) : []) {
      for (const data of (options.streamData ?? defaultStreamData)(stream)) sendStream(stream, data);
    }
  });
  return {
    index,
    ws,
    received,
    get closed() {
      return closed;
    },
    pingFlood(count: number): void {
      for (let i = 0; i < count; i++) ws.ping(`p${i}`);
    },
    pingEvery(ms: number): () => void {
      let i = 0;
      const timer = setInterval(() => {
        if (ws.readyState === ws.OPEN) ws.ping(`s${i++}`);
      }, ms);
      return () => clearInterval(timer);
    },
    sendStream,
    async sendOversize(prefix: string, totalBytes: number): Promise<number> {
      // An unmasked text frame, FIN set, with a 64-bit payload length (RFC 6455 §5.2).
      const header = Buffer.alloc(10);
      header[0] = 0x81;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(totalBytes), 2);
      raw.write(header);
      return pump(raw, prefix, totalBytes, () => undefined);
    },
  };
}

/** Writes `prefix` then spaces up to `total` bytes with backpressure; stops early when the peer goes away. */
async function pump(out: NodeJS.WritableStream & { destroyed?: boolean }, prefix: string, total: number, progress: (written: number) => void): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  let gone = false;
  const onGone = (): void => {
    gone = true;
  };
  out.on('close', onGone);
  out.on('error', onGone);
  const write = (buf: Buffer): Promise<void> =>
    new Promise<void>((resolve) => {
      if (gone || out.destroyed === true) {
        gone = true;
        return resolve();
      }
      written += buf.length;
      progress(written);
      if (out.write(buf)) return resolve();
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  const head = Buffer.from(prefix);
  await write(head.subarray(0, Math.min(head.length, total)));
  while (!gone && written < total) await write(total - written >= chunk.length ? chunk : chunk.subarray(0, total - written));
  return written;
}
