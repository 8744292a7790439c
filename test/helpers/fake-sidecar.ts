// A small loopback stand-in for Envoy's admin port and pilot-agent, for run/wait/quit tests.
// It records every request with its arrival time, and can be made slow, broken or absent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Call {
  method: string;
  path: string;
  at: number; // Date.now() on arrival
}

export type Mode = 'ok' | 'hang' | 'error';

export interface FakeSidecar {
  url: string;
  calls: Call[];
  /** Readiness: /healthz/ready and /ready answer 200 only when true. */
  ready: boolean;
  /** Inbound connections reported in /stats (a number, or a function of time). */
  connections: number | (() => number);
  readyMode: Mode;
  adminMode: Mode;
  statsMode: Mode;
  quitStatus: number;
  quitMode: Mode;
  paths(method?: string): string[];
  close(): Promise<void>;
}

export async function startFakeSidecar(init: Partial<Pick<FakeSidecar, 'ready' | 'connections' | 'readyMode' | 'adminMode' | 'statsMode' | 'quitStatus' | 'quitMode'>> = {}): Promise<FakeSidecar> {
  const hanging = new Set<ServerResponse>();
  const fake: FakeSidecar = {
    url: '',
    calls: [],
    ready: true,
    connections: 0,
    readyMode: 'ok',
    adminMode: 'ok',
    statsMode: 'ok',
    quitStatus: 200,
    quitMode: 'ok',
    ...init,
    paths: (method) => fake.calls.filter((c) => !method || c.method === method).map((c) => c.path),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const answer = (res: ServerResponse, mode: Mode, status: number, body: string) => {
    if (mode === 'hang') return void hanging.add(res); // accept, never answer
    if (mode === 'error') status = 500;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    fake.calls.push({ method: req.method ?? '', path, at: Date.now() });
    const route = path.split('?')[0];
    const post = req.method === 'POST';
    if (route === '/healthz/ready' || route === '/ready') return answer(res, fake.readyMode, fake.ready ? 200 : 503, '');
    if (post && (route === '/healthcheck/fail' || route === '/drain_listeners')) return answer(res, fake.adminMode, 200, 'OK\n');
    if (route === '/stats') {
      const n = typeof fake.connections === 'function' ? fake.connections() : fake.connections;
      // Decoys that must never be counted: per-worker copies, the admin listener, other listeners.
      const body = [
        `http.inbound_0.0.0.0_8080.downstream_cx_active: ${n}`,
        `listener.0.0.0.0_15006.downstream_cx_active: ${n}`,
        `listener.0.0.0.0_15006.worker_0.downstream_cx_active: ${n}`,
        `listener.0.0.0.0_15021.downstream_cx_active: 3`,
        `listener.admin.downstream_cx_active: 1`,
        `listener.admin.main_thread.downstream_cx_active: 1`,
      ].join('\n');
      return answer(res, fake.statsMode, 200, body + '\n');
    }
    if (post && (route === '/quitquitquit' || route === '/shutdown')) return answer(res, fake.quitMode, fake.quitStatus, 'OK');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** A loopback port with nothing listening on it ("admin gone"). */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Flags that point run/wait/quit/drain at a fake sidecar. */
export function sidecarArgs(fake: FakeSidecar, extra: string[] = []): string[] {
  return ['--ready-url', `${fake.url}/healthz/ready`, '--admin-url', fake.url, '--quit-url', `${fake.url}/quitquitquit`, '--poll-interval', '50ms', ...extra];
}

/** Per-test fake sidecars, closed after each test: `const fake = fakeSidecars(); const { f, args } = await fake()`. */
export function fakeSidecars(extra: string[] = []) {
  const started: FakeSidecar[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((f) => f.close()));
  });
  return async (init: Parameters<typeof startFakeSidecar>[0] = {}) => {
    const f = await startFakeSidecar(init);
    started.push(f);
    return { f, args: sidecarArgs(f, extra) };
  };
}
