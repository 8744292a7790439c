// Envoy's proxied listeners: inbound (15006 → the app), outbound (15001 → the request's host)
// and the 15021 health listener (→ pilot-agent). Each counts its connections in real time and
// drain-closes them by the server's rule for its traffic direction.
import http from 'node:http';
import type net from 'node:net';
import type { Logger } from '../log.js';
import { ConnectionStats, statAddress, workerNames } from './connection-stats.js';
import { DrainCloseListener } from './drain-close.js';
import { forward, type Upstream } from './proxy.js';
import type { Direction } from './state.js';
import type { StatsStore } from './stats.js';

/** What a listener needs from the server it belongs to. */
export interface ListenerContext {
  stats: StatsStore;
  log: Logger;
  concurrency: number;
  drainClose(direction: Direction): boolean;
}

/** A listener the listener manager can start, stop (LISTEN socket only) and destroy (everything). */
export interface ManagedListener {
  readonly name: string;
  readonly direction: Direction;
  readonly host: string;
  readonly port: number;
  readonly stats: ConnectionStats;
  start(): Promise<void>;
  stop(): void;
  destroy(): void;
}

export interface HttpListenerSpec {
  name: string;
  direction: Direction;
  host: string;
  port: number;
  /** HTTP connection manager stat prefix (`http.<prefix>.*`). */
  httpPrefix: string;
  /** Where a request goes, or a local reply (e.g. 404 when no route matches). */
  route: (req: http.IncomingMessage) => Upstream | { status: number; body: string };
  connectTimeoutMs: number;
}

export function httpProxyListener(ctx: ListenerContext, spec: HttpListenerSpec): ManagedListener {
  const stats = new ConnectionStats(ctx.stats, statAddress(spec.host, spec.port), workerNames(ctx.concurrency), spec.httpPrefix);
  const agent = new http.Agent({ keepAlive: true });
  const handler: http.RequestListener = (req, res) => {
    stats.request();
    ctx.log.debug({ listener: spec.name, method: req.method, url: req.url }, 'proxied request');
    const target = spec.route(req);
    if ('status' in target) {
      res.writeHead(target.status, { 'content-length': Buffer.byteLength(target.body) }).end(target.body);
      return;
    }
    forward(req, res, target, { agent, connectTimeoutMs: spec.connectTimeoutMs });
  };
  const drained = (socket: net.Socket) => {
    stats.drainClosed();
    ctx.log.info({ listener: spec.name, remotePort: socket.remotePort }, 'drain-closing connection (Connection: close)');
  };
  const server = new DrainCloseListener(handler, {
    open: (s) => stats.open(s),
    close: (s) => stats.close(s),
    drainClose: () => ctx.drainClose(spec.direction),
    drained,
  });
  return {
    ...spec,
    stats,
    start: async () => void (await server.listener.listen(spec.host, spec.port)),
    stop: () => server.listener.stop(),
    destroy: () => {
      server.listener.destroy();
      agent.destroy();
    },
  };
}

/** Outbound: an absolute-form target (`GET http://host/…`, as to an HTTP proxy) or the Host header. */
export function outboundRoute(self: { port: number }) {
  return (req: http.IncomingMessage): Upstream | { status: number; body: string } => {
    let url: URL;
    try {
      url = req.url?.startsWith('/') ? new URL(`http://${req.headers.host ?? ''}${req.url}`) : new URL(req.url ?? '');
    } catch {
      return { status: 404, body: '' };
    }
    const port = Number(url.port || 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Without iptables there is no original destination; a request for the listener itself would loop.
    if (port === self.port && /^(127\.|localhost$|0\.0\.0\.0$|::1?$)/.test(host)) return { status: 404, body: '' };
    return { host, port, path: url.pathname + url.search };
  };
}
