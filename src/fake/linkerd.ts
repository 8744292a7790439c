// The Linkerd preset (linkerd2-proxy linkerd/app/admin/src/server.rs): admin on :4191 with
// /ready, /live, /shutdown and /metrics, plus inbound (4143) and outbound (4140) HTTP proxies.
// Shutdown (SIGTERM, SIGINT or /shutdown) stops accepting, closes idle connections, lets
// in-flight requests finish with `Connection: close`, and exits when no connection is left or
// the grace period ends.
import http from 'node:http';
import type net from 'node:net';
import type { Logger } from '../log.js';
import { DrainCloseListener } from './drain-close.js';
import { HttpListener, isLoopbackAddress } from './http-listener.js';
import { forward } from './proxy.js';
import { outboundRoute } from './listeners.js';

export interface LinkerdOptions {
  adminAddress: string;
  adminPort: number;
  listenerAddress: string;
  inboundPort: number;
  outboundPort: number;
  appHost: string;
  appPort: number;
  /** Time until the identity certificate is obtained; undefined = never. */
  readyAfterMs: number | undefined;
  shutdownEndpoint: boolean;
  shutdownGracePeriodMs: number;
}

type Direction = 'inbound' | 'outbound';

export class FakeLinkerd {
  private readonly admin = new HttpListener((req, res) => this.handleAdmin(req, res));
  private readonly proxies: Record<Direction, DrainCloseListener>;
  private readonly open: Record<Direction, number> = { inbound: 0, outbound: 0 };
  private readonly startedAt = Date.now();
  private shuttingDown = false;
  private finished = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private resolveExit!: (code: number) => void;
  readonly exited = new Promise<number>((resolve) => (this.resolveExit = resolve));
  ports = { linkerdAdmin: 0, inbound: 0, outbound: 0 };
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(private readonly options: LinkerdOptions, private readonly log: Logger) {
    const agent = this.agent;
    const make = (direction: Direction, route: (req: http.IncomingMessage) => ReturnType<ReturnType<typeof outboundRoute>>) =>
      new DrainCloseListener(
        (req, res) => {
          const target = route(req);
          if ('status' in target) res.writeHead(target.status).end(target.body);
          else forward(req, res, target, { agent, connectTimeoutMs: 1000 });
        },
        {
          open: () => void this.open[direction]++,
          close: () => {
            this.open[direction]--;
            this.maybeDone();
          },
          drainClose: () => this.shuttingDown,
        },
      );
    this.proxies = {
      inbound: make('inbound', () => ({ host: options.appHost, port: options.appPort })),
      outbound: make('outbound', (req) => outboundRoute({ port: this.ports.outbound })(req)),
    };
  }

  async start(): Promise<void> {
    const o = this.options;
    this.ports.linkerdAdmin = await this.admin.listen(o.adminAddress, o.adminPort);
    this.ports.inbound = await this.proxies.inbound.listener.listen(o.listenerAddress, o.inboundPort);
    this.ports.outbound = await this.proxies.outbound.listener.listen(o.listenerAddress, o.outboundPort);
  }

  /** Readiness latch: released once identity is "certified"; never goes back. */
  ready(): boolean {
    return this.options.readyAfterMs !== undefined && Date.now() - this.startedAt >= this.options.readyAfterMs;
  }

  private handleAdmin(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const reply = this.route(path, method, req.socket);
    res.writeHead(reply.status, reply.body === '' ? {} : { 'content-type': reply.type ?? 'text/plain' }).end(reply.body, () => reply.after?.());
    this.log.info({ component: 'linkerd-admin', method, path: req.url, status: reply.status }, 'linkerd admin call');
  }

  private route(path: string, method: string, socket: net.Socket): { status: number; body: string; type?: string; after?: () => void } {
    switch (path) {
      case '/ready':
        return this.ready() ? { status: 200, body: 'ready\n' } : { status: 503, body: 'not ready\n' };
      case '/live':
        return { status: 200, body: 'live\n' };
      case '/metrics':
        return { status: 200, body: this.metrics(), type: 'text/plain; version=0.0.4' };
      case '/shutdown':
        // Order: method, then loopback, then enabled.
        if (method !== 'POST') return { status: 405, body: '' };
        if (!isLoopbackAddress(socket.remoteAddress)) return { status: 403, body: 'Requests are only permitted from localhost.' };
        if (!this.options.shutdownEndpoint) return { status: 404, body: 'shutdown endpoint is not enabled\n' };
        return { status: 200, body: 'shutdown\n', after: () => this.shutdown('shutdown endpoint') };
      default:
        return { status: 404, body: '' };
    }
  }

  private metrics(): string {
    const o = this.options;
    const line = (d: Direction, port: number) => `tcp_open_connections{direction="${d}",peer="src",target_addr="${o.listenerAddress}:${port}"} ${this.open[d]}\n`;
    return '# HELP tcp_open_connections The number of currently open connections.\n# TYPE tcp_open_connections gauge\n' + line('inbound', this.ports.inbound) + line('outbound', this.ports.outbound);
  }

  /** The graceful drain: no new connections, idle ones closed, busy ones closed after their response. */
  shutdown(cause: string): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log.info({ cause, gracePeriodMs: this.options.shutdownGracePeriodMs }, 'linkerd proxy draining');
    this.admin.stop();
    for (const p of Object.values(this.proxies)) {
      p.listener.stop();
      p.listener.http.closeIdleConnections();
    }
    this.graceTimer = setTimeout(() => {
      this.log.warn('graceful shutdown did not complete in time, terminating now');
      this.finish();
    }, this.options.shutdownGracePeriodMs);
    this.maybeDone();
  }

  private maybeDone(): void {
    if (this.shuttingDown && this.open.inbound + this.open.outbound === 0) this.finish();
  }

  /** Immediate stop of everything (also used when the process must go now). */
  finish(code = 0): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.graceTimer);
    this.admin.destroy();
    for (const p of Object.values(this.proxies)) p.listener.destroy();
    this.agent.destroy();
    this.log.info({ exitCode: code }, 'linkerd proxy exited');
    this.resolveExit(code);
  }
}
