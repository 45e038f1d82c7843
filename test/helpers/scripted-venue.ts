/**
 * A small hostile venue for behaviour tests: one 127.0.0.1 port serving REST from a route table and WebSockets
 * whose text frames a venue-specific handler answers (acks in the venue's documented shape, replays). The test
 * decides every frame a client receives: recorded ones, or recorded ones it mutated and says so.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/** A REST answer; `undefined` from a route means 404. */
export interface RestAnswer {
  readonly status?: number;
  readonly body: string;
}

/** One client connection as the test sees it. */
export interface HostileSocket {
  /** The path the client connected to (`/stream`, `/v5/public/linear`...). */
  readonly path: string;
  /** Topics the handler marked as subscribed on this socket. */
  readonly topics: Set<string>;
  send(text: string): void;
}

export interface HostileVenueOptions {
  /** Answers a REST request (path and query in `url`). */
  readonly rest: (url: URL) => RestAnswer | undefined;
  /** Handles one text frame a client sent. */
  readonly onText: (socket: HostileSocket, text: string) => void;
}

export class HostileVenue implements AsyncDisposable {
  /** Every REST request, as `path?query`. */
  readonly requests: string[] = [];
  readonly sockets: HostileSocket[] = [];
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly open = new Set<WebSocket>();

  private constructor(opts: HostileVenueOptions) {
    this.http = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push(url.pathname + url.search);
      const answer = opts.rest(url);
      res.writeHead(answer?.status ?? (answer === undefined ? 404 : 200), { 'content-type': 'application/json' });
      res.end(answer?.body ?? '{"error":"no such path on this test venue"}');
    });
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (ws, req) => {
      this.open.add(ws);
      const socket: HostileSocket = {
        path: req.url ?? '/',
        topics: new Set(),
        send: (text) => {
          if (ws.readyState === ws.OPEN) ws.send(text);
        },
      };
      this.sockets.push(socket);
      ws.on('message', (data: Buffer) => opts.onText(socket, data.toString()));
      ws.on('close', () => this.open.delete(ws));
    });
  }

  static async start(opts: HostileVenueOptions): Promise<HostileVenue> {
    const venue = new HostileVenue(opts);
    await new Promise<void>((resolve) => venue.http.listen(0, '127.0.0.1', resolve));
    return venue;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Sends `text` to every socket subscribed to `topic`; returns how many. */
  broadcast(topic: string, text: string): number {
    let n = 0;
    for (const s of this.sockets) {
      if (!s.topics.has(topic)) continue;
      s.send(text);
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    for (const ws of this.open) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
