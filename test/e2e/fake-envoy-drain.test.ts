// Drain-close and listener draining on the running fake, with real keep-alive clients (undici):
// after /healthcheck/fail the next response on a connection carries `Connection: close` and the
// live connection count falls; idle keep-alive connections stay; /drain_listeners per §1.5.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { Client } from 'undici';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { eventually, raw, startApp, startFake, stat, tryConnect, type RunningFake, type TestApp } from '../helpers/fake-envoy.js';

let app: TestApp;
beforeAll(async () => (app = await startApp()));
afterAll(async () => app?.close());

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function fake(args: string[]): Promise<RunningFake> {
  const f = await startFake(['--ready-after', '0s', '--app-port', String(app.port), '--stats-flush-interval', '60s', ...args]);
  cleanups.push(() => f.stop());
  await eventually(async () => ((await raw('GET', f.admin('/ready'))).status === 200 ? true : undefined), 5000, 'LIVE');
  await eventually(async () => ((await tryConnect(f.ports.inbound!)) === 'connected' ? true : undefined), 5000, 'listeners');
  return f;
}

/** A keep-alive client that keeps idle connections far longer than any test. */
function client(port: number): Client {
  const c = new Client(`http://127.0.0.1:${port}`, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
  cleanups.push(() => c.destroy());
  return c;
}

async function get(c: Client, path: string, headers: Record<string, string> = {}) {
  const res = await c.request({ method: 'GET', path, headers });
  return { status: res.statusCode, connection: res.headers.connection, body: await res.body.text() };
}

const active = (f: RunningFake, port: number) => stat(f, `listener.127.0.0.1_${port}.downstream_cx_active`);
const until = (f: RunningFake, port: number, n: number) => eventually(async () => ((await active(f, port)) === n ? true : undefined), 5000, `${n} connections on ${port}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** LISTEN entries (st 0A) for a local port in /proc/net/tcp and tcp6. */
function listening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((file) => {
    try {
      return readFileSync(file, 'utf8').split('\n').some((line) => {
        const fields = line.trim().split(/\s+/);
        return fields[1]?.endsWith(hex) && fields[3] === '0A';
      });
    } catch {
      return false;
    }
  });
}

describe('drain-close after /healthcheck/fail', () => {
  it('the next response carries Connection: close and the count falls; idle keep-alives stay', async () => {
    const f = await fake([]);
    const port = f.ports.inbound!;
    const busy = client(port);
    const idle = client(port);
    expect(await get(busy, '/one')).toMatchObject({ status: 200, body: 'hello /one' });
    expect((await get(idle, '/idle')).connection).not.toBe('close');
    await until(f, port, 2);
    expect(await stat(f, `listener.127.0.0.1_${port}.worker_0.downstream_cx_active`)).toBe(1);
    expect(await stat(f, `http.inbound_0.0.0.0_${app.port}.downstream_cx_active`)).toBe(2);

    expect(await raw('POST', f.admin('/healthcheck/fail'))).toMatchObject({ status: 200, body: 'OK\n' });
    const answer = await get(busy, '/two');
    expect(answer).toMatchObject({ status: 200, body: 'hello /two', connection: 'close' });
    await until(f, port, 1);
    expect(await stat(f, `http.inbound_0.0.0.0_${app.port}.downstream_cx_drain_close`)).toBe(1);

    // The idle connection carried no request, so nothing closed it.
    await sleep(500);
    expect(await active(f, port)).toBe(1);
    // Its next response closes it too; a new connection is accepted and drain-closed in turn.
    expect((await get(idle, '/idle-again')).connection).toBe('close');
    await until(f, port, 0);
    expect((await get(busy, '/three')).connection).toBe('close');
    expect(await stat(f, `http.inbound_0.0.0.0_${app.port}.downstream_cx_drain_close`)).toBe(3);
  });

  it('applies to the outbound listener and to admin responses too; /healthcheck/ok does not undo a draining connection', async () => {
    const f = await fake([]);
    const out = client(f.ports.outbound!);
    const admin = client(f.ports.admin!);
    const upstream = { host: `127.0.0.1:${app.port}` };
    expect((await get(out, '/o1', upstream)).connection).not.toBe('close');
    expect((await get(admin, '/ready')).connection).not.toBe('close');
    await admin.request({ method: 'POST', path: '/healthcheck/fail' }).then((r) => r.body.text());
    expect((await get(admin, '/ready')).connection).toBe('close');
    expect(await get(out, '/o2', upstream)).toMatchObject({ status: 200, body: 'hello /o2', connection: 'close' });
    // A connection that started draining stays draining after /healthcheck/ok ...
    const fresh = client(f.ports.inbound!);
    const keep = client(f.ports.inbound!);
    expect((await get(keep, '/k1')).connection).toBe('close');
    expect((await raw('POST', f.admin('/healthcheck/ok'))).status).toBe(200);
    // ... and new ones are not drained any more.
    expect((await get(fresh, '/f1')).connection).not.toBe('close');
  });
});

describe('/drain_listeners', () => {
  it('?inboundonly&graceful: inbound drain-closes, outbound does not, /ready stays LIVE, inbound stops at the deadline', async () => {
    const f = await fake(['--drain-time', '1s']);
    const inbound = client(f.ports.inbound!);
    const outbound = client(f.ports.outbound!);
    const upstream = { host: `127.0.0.1:${app.port}` };
    await get(inbound, '/i1');
    await get(outbound, '/o1', upstream);
    expect(await raw('POST', f.admin('/drain_listeners?inboundonly&graceful'))).toMatchObject({ status: 200, body: 'OK\n' });
    expect(await raw('POST', f.admin('/drain_listeners?inboundonly&graceful'))).toMatchObject({ status: 200, body: 'OK\n' });
    expect(await raw('GET', f.admin('/ready'))).toMatchObject({ status: 200, body: 'LIVE\n' });
    expect((await get(inbound, '/i2')).connection).toBe('close');
    expect((await get(outbound, '/o2', upstream)).connection).not.toBe('close');
    // Still accepting during the drain period.
    expect(await tryConnect(f.ports.inbound!)).toBe('connected');
    await eventually(async () => ((await tryConnect(f.ports.inbound!)) === 'ECONNREFUSED' ? true : undefined), 5000, 'inbound stopped');
    expect(listening(f.ports.inbound!)).toBe(false);
    expect(listening(f.ports.outbound!)).toBe(true);
    expect(await tryConnect(f.ports.outbound!)).toBe('connected');
    expect(await stat(f, 'listener_manager.listener_stopped')).toBe(1);
    expect(await stat(f, 'server.state')).toBe(0);
  });

  it('plain: every listener stops at once, LISTEN sockets vanish, existing connections are not drain-closed', async () => {
    const f = await fake([]);
    const inbound = client(f.ports.inbound!);
    await get(inbound, '/before');
    expect(listening(f.ports.inbound!)).toBe(true);
    expect(await raw('POST', f.admin('/drain_listeners'))).toMatchObject({ status: 200, body: 'OK\n' });
    for (const port of [f.ports.inbound!, f.ports.outbound!, f.ports.health!]) {
      expect(await tryConnect(port)).toBe('ECONNREFUSED');
      expect(listening(port)).toBe(false);
    }
    expect(await get(inbound, '/after')).toMatchObject({ status: 200, body: 'hello /after' });
    expect((await get(inbound, '/after')).connection).not.toBe('close');
    expect(await stat(f, 'listener_manager.listener_stopped')).toBe(3);
    expect((await raw('GET', f.admin('/ready'))).status).toBe(200);
  });

  it('?graceful&skip_exit: drain-closes every direction, never stops listening', async () => {
    const f = await fake(['--drain-time', '300ms']);
    const outbound = client(f.ports.outbound!);
    expect((await raw('POST', f.admin('/drain_listeners?graceful&skip_exit'))).status).toBe(200);
    expect((await get(outbound, '/o', { host: `127.0.0.1:${app.port}` })).connection).toBe('close');
    await sleep(800);
    expect(await tryConnect(f.ports.inbound!)).toBe('connected');
    expect(await stat(f, 'listener_manager.listener_stopped')).toBeUndefined();
  });

  it('--drain-model pr47042: plain also drains; --drain-model classic: inboundonly&graceful drains outbound too', async () => {
    const modern = await fake(['--drain-model', 'pr47042']);
    const c = client(modern.ports.inbound!);
    await get(c, '/x');
    await raw('POST', modern.admin('/drain_listeners'));
    expect(await tryConnect(modern.ports.inbound!)).toBe('ECONNREFUSED');
    expect((await get(c, '/y')).connection).toBe('close');

    const classic = await fake(['--drain-model', 'classic', '--drain-time', '10s']);
    const out = client(classic.ports.outbound!);
    await raw('POST', classic.admin('/drain_listeners?inboundonly&graceful'));
    expect((await get(out, '/o', { host: `127.0.0.1:${app.port}` })).connection).toBe('close');
  });
});

describe('raw TCP passthrough', () => {
  it('is counted but never drain-closed', async () => {
    const f = await fake(['--tcp-port', '0']);
    const socket = net.connect({ port: f.ports.tcp!, host: '127.0.0.1' });
    cleanups.push(async () => socket.destroy());
    await once(socket, 'connect');
    let received = '';
    socket.setEncoding('utf8').on('data', (d: string) => (received += d));
    const ask = async (path: string) => {
      received = '';
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      await eventually(async () => (received.includes(`hello ${path}`) ? true : undefined), 5000, 'tcp answer');
      return received;
    };
    await ask('/t1');
    await until(f, f.ports.tcp!, 1);
    await raw('POST', f.admin('/healthcheck/fail'));
    expect((await ask('/t2')).toLowerCase()).not.toContain('connection: close');
    await sleep(300);
    expect(socket.destroyed).toBe(false);
    expect(await active(f, f.ports.tcp!)).toBe(1);
  });
});
