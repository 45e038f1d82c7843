/**
 * A small hostile venue for tests: Binance (spot + USD-M), Bybit v5 and OKX v5, each on its own 127.0.0.1
 * HTTP + WebSocket server (ephemeral port). REST: the recorded market lists and server time from
 * `test/fixtures/` (market lists cut down to the ids a test names), plus any route a test adds (depth
 * snapshots). WebSocket: subscribe, unsubscribe and ping are answered the way each venue answers them
 * (the recorded acks and pongs), and whatever frame text a test hands to `send` goes, as is, to every socket
 * subscribed to that topic — a real frame, a mutated one or garbage. It knows wire envelopes only; what the
 * frames say is up to the test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { BinanceUrls } from '../../src/exchanges/binance/config.js';
import type { BybitUrls } from '../../src/exchanges/bybit/config.js';
import type { OkxUrls } from '../../src/exchanges/okx/config.js';
import { fixtureText } from './wait.js';

export type FixtureVenueId = 'binance' | 'bybit' | 'okx';

/** A REST answer: `body` is sent as JSON unless it is already a string. */
export interface RestAnswer {
  readonly status?: number;
  readonly body: unknown;
}

/** Answers one REST path; `query` is the request's query string; undefined: not served (404, counted). */
export type RestHandler = (query: URLSearchParams) => RestAnswer | undefined;

export interface FixtureVenueOptions {
  /** Venue market ids to keep in the recorded market lists (the rest is cut, so loading stays fast). */
  readonly marketIds: readonly string[];
}

/** Called after a topic's subscribe was acknowledged on a socket: the place to send an in-band snapshot. */
export type SubscribeHook = (key: string, send: (text: string) => void) => void;

interface Client {
  readonly socket: WebSocket;
  readonly venue: FixtureVenueId;
  /** Bybit and OKX connection flavour, from the path (`spot`, `linear`, `public`, `business`...). */
  readonly flavour: string;
  readonly topics: Set<string>;
}

let connIds = 0;

function toggle(topics: Set<string>, key: string, on: boolean): void {
  if (on) topics.add(key);
  else topics.delete(key);
}

export class FixtureVenue implements AsyncDisposable {
  /** Base URLs to hand to `binance({ urls })`, `bybit({ urls })`, `okx({ urls })`. */
  urls!: { readonly binance: BinanceUrls; readonly bybit: BybitUrls; readonly okx: OkxUrls };
  /** REST requests nobody answered (`venue GET /path`): a harness gap when a test sees any. */
  readonly unanswered: string[] = [];
  /** Control frames received that the harness did not understand. */
  readonly unknownControl: string[] = [];
  private readonly servers: Server[] = [];
  private readonly wss: WebSocketServer[] = [];
  private readonly clients = new Set<Client>();
  private readonly routes = new Map<string, RestHandler>();
  private readonly hooks = new Map<string, SubscribeHook>();
  private readonly keep: ReadonlySet<string>;

  private constructor(opts: FixtureVenueOptions) {
    this.keep = new Set(opts.marketIds);
    this.addFixtureRoutes();
  }

  static async start(opts: FixtureVenueOptions): Promise<FixtureVenue> {
    const v = new FixtureVenue(opts);
    const [b, y, o] = await Promise.all([v.listen('binance'), v.listen('bybit'), v.listen('okx')]);
    const http = (port: number): string => `http://127.0.0.1:${port}`;
    const ws = (port: number): string => `ws://127.0.0.1:${port}`;
    v.urls = {
      binance: {
        spot: { rest: http(b), ws: `${ws(b)}/spot`, wsApi: `${ws(b)}/ws-api/v3` },
        usdm: { rest: http(b), ws: `${ws(b)}/usdm`, wsApi: `${ws(b)}/ws-fapi/v1` },
      },
      bybit: {
        rest: http(y),
        ws: { spot: `${ws(y)}/v5/public/spot`, linear: `${ws(y)}/v5/public/linear`, inverse: `${ws(y)}/v5/public/inverse`, private: `${ws(y)}/v5/private` },
      },
      okx: { rest: http(o), public: `${ws(o)}/ws/v5/public`, private: `${ws(o)}/ws/v5/private`, business: `${ws(o)}/ws/v5/business` },
    };
    return v;
  }

  /** Answers `GET path` on `venue` (replaces the fixture answer, if any). */
  route(venue: FixtureVenueId, path: string, handler: RestHandler): void {
    this.routes.set(`${venue} GET ${path}`, handler);
  }

  /** Runs `hook` after every acknowledged subscribe of `key` on `venue` (one hook per topic). */
  onSubscribe(venue: FixtureVenueId, key: string, hook: SubscribeHook | undefined): void {
    if (hook === undefined) this.hooks.delete(`${venue} ${key}`);
    else this.hooks.set(`${venue} ${key}`, hook);
  }

  /** Sockets subscribed to `key` on `venue` now. */
  subscribers(venue: FixtureVenueId, key: string): number {
    let n = 0;
    for (const c of this.clients) if (c.venue === venue && c.topics.has(key)) n++;
    return n;
  }

  /** Sends `text` unchanged to every socket subscribed to `key`; returns how many got it. */
  send(venue: FixtureVenueId, key: string, text: string): number {
    let n = 0;
    for (const c of this.clients) {
      if (c.venue !== venue || !c.topics.has(key) || c.socket.readyState !== c.socket.OPEN) continue;
      c.socket.send(text);
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    for (const w of this.wss) w.close();
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ------------------------------------------------------------------ servers

  private async listen(venue: FixtureVenueId): Promise<number> {
    const server = createServer((req, res) => this.onRequest(venue, req, res));
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(venue, ws, new URL(req.url ?? '/', 'http://x').pathname));
    });
    this.servers.push(server);
    this.wss.push(wss);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  private onRequest(venue: FixtureVenueId, req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = `${venue} ${req.method ?? 'GET'} ${url.pathname}`;
    const answer = this.routes.get(key)?.(url.searchParams);
    if (answer === undefined) {
      this.unanswered.push(`${key}${url.search}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(text);
  }

  private onSocket(venue: FixtureVenueId, socket: WebSocket, path: string): void {
    const client: Client = { socket, venue, flavour: path.split('/').filter((p) => p !== '').pop() ?? '', topics: new Set() };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    socket.on('message', (data: RawData) => this.onControl(client, String(data)));
  }

  // ------------------------------------------------------------------ control frames, as each venue answers them

  private onControl(c: Client, text: string): void {
    if (c.venue === 'okx' && text === 'ping') return void c.socket.send('pong');
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.unknownControl.push(`${c.venue}: ${text.slice(0, 120)}`);
      return;
    }
    if (c.venue === 'binance') return this.binanceControl(c, msg);
    if (c.venue === 'bybit') return this.bybitControl(c, msg);
    return this.okxControl(c, msg);
  }

  /** `{"method":"SUBSCRIBE","params":[...],"id":N}` → `{"result":null,"id":N}` (spot-subscribe-response.json). */
  private binanceControl(c: Client, msg: Record<string, unknown>): void {
    const params = Array.isArray(msg['params']) ? (msg['params'] as unknown[]).map(String) : [];
    if (msg['method'] !== 'SUBSCRIBE' && msg['method'] !== 'UNSUBSCRIBE') return void this.unknownControl.push(`binance: ${JSON.stringify(msg).slice(0, 120)}`);
    const subscribe = msg['method'] === 'SUBSCRIBE';
    for (const p of params) toggle(c.topics, p, subscribe);
    c.socket.send(JSON.stringify({ result: null, id: msg['id'] }));
    if (subscribe) this.runHooks(c, params);
  }

  /**
   * `{"op":"subscribe","args":[...],"req_id":"1"}` → `{"success":true,"ret_msg":...,"conn_id":...,"req_id":"1","op":"subscribe"}`
   * (spot echoes the op in `ret_msg`, derivatives leave it empty: subscribe-response-public-*.json);
   * `{"op":"ping"}` → the pong of pong-public-*.json.
   */
  private bybitControl(c: Client, msg: Record<string, unknown>): void {
    const op = msg['op'];
    const spot = c.flavour === 'spot';
    const connId = `fz${++connIds}`;
    if (op === 'ping') {
      c.socket.send(JSON.stringify(spot ? { success: true, ret_msg: 'pong', conn_id: connId, op: 'ping' } : { success: true, ret_msg: 'pong', conn_id: connId, req_id: '', op: 'ping' }));
      return;
    }
    if (op !== 'subscribe' && op !== 'unsubscribe') return void this.unknownControl.push(`bybit: ${JSON.stringify(msg).slice(0, 120)}`);
    const args = Array.isArray(msg['args']) ? (msg['args'] as unknown[]).map(String) : [];
    for (const a of args) toggle(c.topics, a, op === 'subscribe');
    c.socket.send(JSON.stringify({ success: true, ret_msg: spot ? op : '', conn_id: connId, req_id: msg['req_id'] ?? '', op }));
    if (op === 'subscribe') this.runHooks(c, args);
  }

  /** `{"id":"1","op":"subscribe","args":[{channel,instId}]}` → one `{"id","event","arg","connId"}` per arg (subscribe-response.json). */
  private okxControl(c: Client, msg: Record<string, unknown>): void {
    const op = msg['op'];
    if (op !== 'subscribe' && op !== 'unsubscribe') return void this.unknownControl.push(`okx: ${JSON.stringify(msg).slice(0, 120)}`);
    const keys: string[] = [];
    for (const a of Array.isArray(msg['args']) ? (msg['args'] as Array<Record<string, unknown>>) : []) {
      const key = `${String(a['channel'])}:${String(a['instId'])}`;
      toggle(c.topics, key, op === 'subscribe');
      keys.push(key);
      c.socket.send(JSON.stringify({ ...(msg['id'] === undefined ? {} : { id: msg['id'] }), event: op, arg: { channel: a['channel'], instId: a['instId'] }, connId: `fz${++connIds}` }));
    }
    if (op === 'subscribe') this.runHooks(c, keys);
  }

  private runHooks(c: Client, keys: readonly string[]): void {
    for (const key of keys) {
      const hook = this.hooks.get(`${c.venue} ${key}`);
      if (hook === undefined) continue;
      hook(key, (text) => {
        if (c.topics.has(key) && c.socket.readyState === c.socket.OPEN) c.socket.send(text);
      });
    }
  }

  // ------------------------------------------------------------------ recorded REST answers

  private addFixtureRoutes(): void {
    const keepRows = <T>(rows: readonly T[], id: (row: T) => unknown): T[] => rows.filter((r) => this.keep.has(String(id(r))));
    // Binance: exchangeInfo recorded Oct 2021 (spot) / Jul 2021 (USD-M), symbols cut to the kept ids. The spot
    // recording announces REQUEST_WEIGHT 1200/min; today's limit (6000, protocols.md) is served instead, so that a
    // fuzz run's many snapshot resyncs are not held back by the client's rate governor.
    const spotInfo = JSON.parse(fixtureText('binance/rest/spot-exchange-info-recorded-2021-10.json')) as { symbols: Array<{ symbol: string }>; rateLimits: Array<Record<string, unknown>> };
    const spot = {
      ...spotInfo,
      rateLimits: spotInfo.rateLimits.map((r) => (r['rateLimitType'] === 'REQUEST_WEIGHT' ? { ...r, limit: 6000 } : r)),
      symbols: keepRows(spotInfo.symbols, (s) => s.symbol),
    };
    const usdmInfo = JSON.parse(fixtureText('binance/rest/usdm-exchange-info-recorded-2021-07.json')) as { symbols: Array<{ symbol: string }> };
    const usdm = { ...usdmInfo, symbols: keepRows(usdmInfo.symbols, (s) => s.symbol) };
    this.route('binance', '/api/v3/exchangeInfo', () => ({ body: spot }));
    this.route('binance', '/fapi/v1/exchangeInfo', () => ({ body: usdm }));
    // spot-time.json / usdm-time.json: {"serverTime": ms}, with the time of now.
    this.route('binance', '/api/v3/time', () => ({ body: { serverTime: Date.now() } }));
    this.route('binance', '/fapi/v1/time', () => ({ body: { serverTime: Date.now() } }));

    // Bybit: instruments-info-{spot,linear}.json; server-time.json with the time of now.
    const bybitLists: Record<string, { result: { list: Array<{ symbol: string }> } }> = {
      spot: JSON.parse(fixtureText('bybit/rest/instruments-info-spot.json')),
      linear: JSON.parse(fixtureText('bybit/rest/instruments-info-linear.json')),
    };
    this.route('bybit', '/v5/market/instruments-info', (q) => {
      const body = bybitLists[q.get('category') ?? ''];
      return body === undefined
        ? undefined
        : { body: { ...body, result: { ...body.result, list: keepRows(body.result.list, (s) => s.symbol) } } };
    });
    const bybitTime = JSON.parse(fixtureText('bybit/rest/server-time.json')) as Record<string, unknown>;
    this.route('bybit', '/v5/market/time', () => {
      const now = Date.now();
      return { body: { ...bybitTime, result: { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` }, time: now } };
    });

    // OKX: instruments recorded May 2022 (SPOT, SWAP), cut to the kept ids; time.json with the time of now.
    const okxLists: Record<string, { data: Array<{ instId: string }> }> = {
      SPOT: JSON.parse(fixtureText('okx/rest/instruments-spot-recorded-2022-05.json')),
      SWAP: JSON.parse(fixtureText('okx/rest/instruments-swap-recorded-2022-05.json')),
    };
    this.route('okx', '/api/v5/public/instruments', (q) => {
      const body = okxLists[q.get('instType') ?? ''];
      return body === undefined ? undefined : { body: { ...body, data: keepRows(body.data, (r) => r.instId) } };
    });
    this.route('okx', '/api/v5/public/time', () => ({ body: { code: '0', msg: '', data: [{ ts: String(Date.now()) }] } }));
  }
}
