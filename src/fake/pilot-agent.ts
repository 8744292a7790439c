// The fake pilot-agent status server (istio pilot/cmd/pilot-agent/status/server.go): readiness
// derived from Envoy's stats, /quitquitquit and /drain (POST, loopback only), Go's 404 otherwise.
// Its shutdown path is in pilot-agent-shutdown.ts.
import type http from 'node:http';
import type { Logger } from '../log.js';
import { AdminClient } from './admin-client.js';
import { HttpListener, isLoopbackAddress } from './http-listener.js';
import { AgentShutdown, type AgentShutdownOptions } from './pilot-agent-shutdown.js';
import { ReadinessProbe } from './pilot-readiness.js';
import type { FakeEnvoy } from './envoy.js';

export interface PilotAgentOptions extends AgentShutdownOptions {
  address: string;
  port: number;
}

// Go's http.Error: these headers and the message plus a newline.
const GO_ERROR_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };

export class PilotAgent {
  private readonly listener = new HttpListener((req, res) =>
    this.handle(req, res).catch((error: Error) => {
      this.log.error({ error: error.message }, 'pilot-agent handler failed');
      res.destroy();
    }),
  );
  private readonly admin: AdminClient;
  readonly probe: ReadinessProbe;
  readonly lifecycle: AgentShutdown;
  port = 0;

  constructor(private readonly options: PilotAgentOptions, private readonly envoy: FakeEnvoy, private readonly log: Logger) {
    this.admin = new AdminClient(envoy.options.adminAddress, envoy.ports.admin);
    this.probe = new ReadinessProbe(this.admin);
    this.lifecycle = new AgentShutdown(options, envoy, this.admin, log, {
      closeStatusServer: () => this.listener.stop(),
      cancel: (cause) => (this.probe.terminated ??= cause),
    });
  }

  async start(): Promise<number> {
    try {
      this.port = await this.listener.listen(this.options.address, this.options.port);
    } catch (error) {
      // `:15020` is dual-stack; on a host without IPv6 fall back to IPv4.
      if (this.options.address !== '::' || !['EAFNOSUPPORT', 'EADDRNOTAVAIL'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      this.port = await this.listener.listen('0.0.0.0', this.options.port);
    }
    return this.port;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    req.resume();
    let status: number;
    let reason: string | undefined;
    if (path === '/healthz/ready') {
      reason = await this.probe.check();
      status = reason === undefined ? 200 : 503;
      res.writeHead(status, { 'content-length': 0 }).end();
    } else if (path === '/quitquitquit' || path === '/drain') {
      status = this.command(path, method, req.socket.remoteAddress, res);
    } else {
      status = 404;
      this.goError(res, 404, '404 page not found');
    }
    // A not-ready answer repeats while a client polls: log it at info only when the reason changes.
    const repeated = reason !== undefined && reason === this.lastReason;
    this.lastReason = reason;
    this.log[repeated ? 'debug' : 'info']({ component: 'pilot-agent', method, path: req.url, status, ...(reason ? { reason } : {}) }, 'pilot-agent call');
  }

  private lastReason: string | undefined;

  /** Loopback first, then method (handleQuit / handleDrain). */
  private command(path: string, method: string, remote: string | undefined, res: http.ServerResponse): number {
    if (!isLoopbackAddress(remote)) return this.goError(res, 403, 'Only requests from localhost are allowed');
    if (method !== 'POST') return this.goError(res, 405, 'Method Not Allowed');
    if (path === '/drain') {
      // DrainNow() calls Envoy before the handler returns, so the answer follows the drain call.
      void this.lifecycle.drainNow().then(() => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('OK'));
      return 200;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('OK', () => this.lifecycle.quit());
    return 200;
  }

  private goError(res: http.ServerResponse, status: number, message: string): number {
    res.writeHead(status, GO_ERROR_HEADERS).end(`${message}\n`);
    return status;
  }

  /** The process is going away: no more answers at all. */
  destroy(): void {
    this.listener.destroy();
    this.admin.close();
  }
}
