// Test support for the fake sidecar (shared by test/e2e/fake-envoy*.test.ts and
// run-with-fake-envoy*.test.ts): start the built bundle on free ports and read them from its
// "fake envoy started" log line, a small app to proxy to, and a raw HTTP helper.
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import { startBundle, type BundleProcess, type LogLine } from './bundle.js';

/** Never the fixed defaults: other people's tests share this machine. */
export const FREE_PORTS = ['--admin-port', '0', '--pilot-agent-port', '0', '--inbound-port', '0', '--outbound-port', '0', '--health-port', '0', '--linkerd-admin-port', '0'];

export interface RunningFake {
  proc: BundleProcess;
  ports: Record<string, number>;
  admin: (path: string) => string;
  /** Admin calls in the order the fake logged them: `METHOD /path?query status`. */
  adminCalls(): string[];
  /** Resolves once the admin call has been logged (logs arrive through a pipe, a little late). */
  waitForCall(call: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFake(args: string[] = [], env: Record<string, string> = {}): Promise<RunningFake> {
  const proc = startBundle(['fake-envoy', ...FREE_PORTS, '--listener-address', '127.0.0.1', ...args], { env });
  let started: LogLine;
  try {
    started = await proc.waitForLog('fake envoy started', 15_000);
  } catch (error) {
    proc.kill('SIGKILL');
    throw error;
  }
  const ports = started.ports as Record<string, number>;
  const adminCalls = () => proc.logs().filter((l) => l.msg === 'admin call').map((l) => `${String(l.method)} ${String(l.path)} ${String(l.status)}`);
  return {
    proc,
    ports,
    admin: (path) => `http://127.0.0.1:${ports.admin}${path}`,
    adminCalls,
    waitForCall: (call, timeoutMs = 5000) => eventually(async () => (adminCalls().includes(call) ? true : undefined), timeoutMs, `admin call ${call}`).then(() => undefined),
    stop: async () => {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.kill('SIGKILL');
      await proc.exited;
    },
  };
}

export interface TestApp {
  port: number;
  requests: string[];
  server: http.Server;
  close(): Promise<void>;
}

/** `/` answers `hello`; `/slow?ms=N` answers after N ms. */
export async function startApp(): Promise<TestApp> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.url}`), ms);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    server,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection (no pooling), from an optional local address. */
export function raw(method: string, url: string, opts: { localAddress?: string; timeoutMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false, localAddress: opts.localAddress, timeout: opts.timeoutMs ?? 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the connect error code, or 'connected'. */
export function tryConnect(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

/** A non-loopback IPv4 address of this host, to test loopback-only endpoints; undefined if none. */
export function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/** Polls until `probe` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Value of one stat from the text `/stats` output, or undefined when absent. */
export async function stat(fake: RunningFake, name: string, usedOnly = true): Promise<number | undefined> {
  const escaped = name.replace(/[.[\]]/g, (c) => `\\${c}`);
  const answer = await raw('GET', fake.admin(`/stats?${usedOnly ? 'usedonly&' : ''}filter=^${encodeURIComponent(escaped)}$`));
  const line = answer.body.split('\n').find((l) => l.startsWith(`${name}: `));
  return line === undefined ? undefined : Number(line.slice(name.length + 2));
}
