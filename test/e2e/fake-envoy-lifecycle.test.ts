// Process-level behaviour of the fake: /quitquitquit, SIGTERM through pilot-agent, pilot-agent's
// /quitquitquit and /drain with their loopback and method checks, plain Envoy, the Linkerd preset,
// the process name, and the CLI's option handling.
import { readFileSync } from 'node:fs';
import { Client } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../helpers/bundle.js';
import { eventually, externalAddress, FREE_PORTS, raw, startApp, startFake, tryConnect, type RunningFake, type TestApp } from '../helpers/fake-envoy.js';

let app: TestApp;
beforeAll(async () => (app = await startApp()));
afterAll(async () => app?.close());

const running: RunningFake[] = [];
afterEach(async () => {
  for (const f of running.splice(0)) await f.stop();
});

async function fake(args: string[], env: Record<string, string> = {}): Promise<RunningFake> {
  const f = await startFake(['--app-port', String(app.port), '--stats-flush-interval', '100ms', ...args], env);
  running.push(f);
  return f;
}

async function ready(f: RunningFake): Promise<void> {
  await eventually(async () => ((await raw('GET', `http://127.0.0.1:${f.ports.pilotAgent}/healthz/ready`)).status === 200 ? true : undefined), 8000, 'pilot-agent ready');
}

const ms = (f: RunningFake, from: string, to: string) => {
  const t = (msg: string) => Date.parse(f.proc.logs().find((l) => l.msg === msg)!.time);
  return t(to) - t(from);
};
const external = externalAddress();

describe('Envoy shutdown', () => {
  it('POST /quitquitquit: 200 OK, then every listener and connection closes at once, exit 0', async () => {
    const f = await fake(['--ready-after', '0s']);
    await ready(f);
    const c = new Client(`http://127.0.0.1:${f.ports.inbound}`, { keepAliveTimeout: 60_000 });
    await (await c.request({ method: 'GET', path: '/' })).body.text();
    const t0 = Date.now();
    expect(await raw('POST', f.admin('/quitquitquit'))).toMatchObject({ status: 200, body: 'OK\n' });
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await tryConnect(f.ports.admin!)).toBe('ECONNREFUSED');
    await c.destroy();
  });

  it('--mesh envoy: no pilot-agent; SIGTERM is an immediate shutdown, exit 0', async () => {
    const f = await fake(['--mesh', 'envoy', '--ready-after', '0s']);
    expect(f.ports.pilotAgent).toBeUndefined();
    expect(f.ports.health).toBeUndefined();
    f.proc.kill('SIGTERM');
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    expect(f.adminCalls()).toEqual([]);
  });
});

describe('pilot-agent', () => {
  it('SIGTERM: :15020 closes at once, inbound drain, terminationDrainDuration, then Envoy is killed; exit 0', async () => {
    const f = await fake(['--ready-after', '0s', '--termination-drain-duration', '1s']);
    await ready(f);
    const inbound = new Client(`http://127.0.0.1:${f.ports.inbound}`, { keepAliveTimeout: 60_000 });
    await (await inbound.request({ method: 'GET', path: '/' })).body.text();
    f.proc.kill('SIGTERM');
    await f.proc.waitForLog('pilot-agent terminating: status port closed');
    expect(await tryConnect(f.ports.pilotAgent!)).toBe('ECONNREFUSED');
    // 15021 forwards to 15020, which now refuses: Envoy's local 503.
    const health = await raw('GET', `http://127.0.0.1:${f.ports.health}/healthz/ready`);
    expect(health.status).toBe(503);
    expect(health.body).toMatch(/^upstream connect error/);
    // Envoy itself still serves, and drain-closes inbound.
    const answer = await inbound.request({ method: 'GET', path: '/during' });
    expect(answer.headers.connection).toBe('close');
    await answer.body.text();
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    await f.waitForCall('POST /drain_listeners?inboundonly&graceful 200');
    await f.proc.waitForLog('pilot-agent: killing envoy (SIGKILL)');
    const waited = ms(f, 'pilot-agent terminating: status port closed', 'pilot-agent: killing envoy (SIGKILL)');
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(4000);
    await inbound.destroy();
  });

  it('--exit-on-zero-active-connections: waits for the last connection to close', async () => {
    const f = await fake(['--ready-after', '0s', '--exit-on-zero-active-connections', '--minimum-drain-duration', '200ms']);
    await ready(f);
    const inbound = new Client(`http://127.0.0.1:${f.ports.inbound}`, { keepAliveTimeout: 60_000 });
    await (await inbound.request({ method: 'GET', path: '/' })).body.text();
    f.proc.kill('SIGTERM');
    await f.proc.waitForLog('pilot-agent: there are still active connections', 8000);
    const closedAt = Date.now();
    await inbound.close();
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - closedAt).toBeLessThan(5000);
    await f.proc.waitForLog('pilot-agent: no more active connections; terminating proxy');
  });

  it('/quitquitquit: POST from loopback → OK and Envoy is killed without a drain', async () => {
    const f = await fake(['--ready-after', '0s', '--termination-drain-duration', '10s']);
    const url = `http://127.0.0.1:${f.ports.pilotAgent}/quitquitquit`;
    expect(await raw('GET', url)).toMatchObject({ status: 405, body: 'Method Not Allowed\n' });
    expect((await raw('GET', url)).headers['content-type']).toBe('text/plain; charset=utf-8');
    const answer = await raw('POST', url);
    expect([answer.status, answer.body]).toEqual([200, 'OK']);
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    expect(f.adminCalls().some((c) => c.includes('/drain_listeners'))).toBe(false);
  });

  it('/quitquitquit with --agent-quit legacy drains like SIGTERM', async () => {
    const f = await fake(['--ready-after', '0s', '--agent-quit', 'legacy', '--termination-drain-duration', '500ms']);
    expect((await raw('POST', `http://127.0.0.1:${f.ports.pilotAgent}/quitquitquit`)).status).toBe(200);
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    await f.waitForCall('POST /drain_listeners?inboundonly&graceful 200');
  });

  it('/drain: inbound drain with skip_exit, then SIGTERM kills at once', async () => {
    const f = await fake(['--ready-after', '0s', '--termination-drain-duration', '10s']);
    await ready(f);
    const url = `http://127.0.0.1:${f.ports.pilotAgent}/drain`;
    expect(await raw('PUT', url)).toMatchObject({ status: 405, body: 'Method Not Allowed\n' });
    expect(await raw('POST', url)).toMatchObject({ status: 200, body: 'OK' });
    await f.waitForCall('POST /drain_listeners?inboundonly&graceful&skip_exit 200');
    expect((await raw('GET', f.admin('/ready'))).status).toBe(200);
    const t0 = Date.now();
    f.proc.kill('SIGTERM');
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('404 is Go’s', async () => {
    const f = await fake([]);
    expect(await raw('GET', `http://127.0.0.1:${f.ports.pilotAgent}/nope`)).toMatchObject({ status: 404, body: '404 page not found\n' });
  });

  it.skipIf(!external)('/quitquitquit and /drain refuse non-loopback callers (403 before the method check)', async () => {
    const f = await fake(['--pilot-agent-address', '0.0.0.0']);
    for (const path of ['/quitquitquit', '/drain']) {
      for (const method of ['GET', 'POST']) {
        const answer = await raw(method, `http://${external}:${f.ports.pilotAgent}${path}`, { localAddress: external });
        expect([answer.status, answer.body]).toEqual([403, 'Only requests from localhost are allowed\n']);
      }
    }
    expect(f.proc.child.exitCode).toBeNull();
  });
});

describe('Linkerd preset', () => {
  it('/ready after the identity delay, /live, /metrics with tcp_open_connections', async () => {
    const f = await fake(['--mesh', 'linkerd', '--ready-after', '500ms']);
    const admin = (p: string) => `http://127.0.0.1:${f.ports.linkerdAdmin}${p}`;
    expect(await raw('GET', admin('/ready'))).toMatchObject({ status: 503, body: 'not ready\n' });
    expect(await raw('GET', admin('/live'))).toMatchObject({ status: 200, body: 'live\n' });
    await eventually(async () => ((await raw('GET', admin('/ready'))).body === 'ready\n' ? true : undefined), 5000, 'ready');
    const c = new Client(`http://127.0.0.1:${f.ports.inbound}`, { keepAliveTimeout: 60_000 });
    expect(await (await c.request({ method: 'GET', path: '/l' })).body.text()).toBe('hello /l');
    const metrics = (await raw('GET', admin('/metrics'))).body;
    expect(metrics).toMatch(/^tcp_open_connections\{direction="inbound"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^tcp_open_connections\{direction="outbound"[^}]*\} 0$/m);
    expect(await raw('GET', admin('/nope'))).toMatchObject({ status: 404, body: '' });
    await c.destroy();
  });

  it('/shutdown: 405 empty for GET, 404 when not enabled', async () => {
    const f = await fake(['--mesh', 'linkerd']);
    const url = `http://127.0.0.1:${f.ports.linkerdAdmin}/shutdown`;
    expect(await raw('GET', url)).toMatchObject({ status: 405, body: '' });
    expect(await raw('POST', url)).toMatchObject({ status: 404, body: 'shutdown endpoint is not enabled\n' });
  });

  it('/shutdown when enabled: 200, then a graceful drain: busy connections finish with Connection: close, exit 0', async () => {
    const f = await fake(['--mesh', 'linkerd', '--linkerd-shutdown-endpoint', '--ready-after', '0s']);
    const c = new Client(`http://127.0.0.1:${f.ports.inbound}`, { keepAliveTimeout: 60_000 });
    await (await c.request({ method: 'GET', path: '/warm' })).body.text();
    const slow = c.request({ method: 'GET', path: '/slow?ms=600' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await raw('POST', `http://127.0.0.1:${f.ports.linkerdAdmin}/shutdown`)).toMatchObject({ status: 200, body: 'shutdown\n' });
    const answer = await slow;
    expect(answer.headers.connection).toBe('close');
    expect(await answer.body.text()).toBe('hello /slow?ms=600');
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    await c.destroy();
  });

  it('enabled by env too; SIGTERM drains the same way', async () => {
    const f = await fake(['--mesh', 'linkerd', '--shutdown-grace-period', '1s'], { SIDECAR_LIFECYCLE_LINKERD_SHUTDOWN_ENDPOINT: 'true' });
    const idle = new Client(`http://127.0.0.1:${f.ports.inbound}`, { keepAliveTimeout: 60_000 });
    await (await idle.request({ method: 'GET', path: '/' })).body.text();
    f.proc.kill('SIGTERM');
    expect(await f.proc.exited).toEqual({ code: 0, signal: null });
    await idle.destroy();
  });

  it.skipIf(!external)('/shutdown refuses non-loopback callers after the method check', async () => {
    const f = await fake(['--mesh', 'linkerd', '--linkerd-shutdown-endpoint']);
    const url = `http://${external}:${f.ports.linkerdAdmin}/shutdown`;
    expect(await raw('GET', url, { localAddress: external })).toMatchObject({ status: 405, body: '' });
    expect(await raw('POST', url, { localAddress: external })).toMatchObject({ status: 403, body: 'Requests are only permitted from localhost.' });
  });
});

describe('process and CLI', () => {
  it('names the process envoy, like the real sidecar (netstat -p)', async () => {
    const f = await fake([]);
    expect(readFileSync(`/proc/${f.proc.pid}/cmdline`, 'utf8').split('\0')[0]).toBe('envoy');
  });

  it('reads options from env; the flag wins', async () => {
    const f = await fake(['--drain-time', '7s'], { SIDECAR_LIFECYCLE_DRAIN_TIME: '3s', SIDECAR_LIFECYCLE_CONCURRENCY: '3' });
    const info = JSON.parse((await raw('GET', f.admin('/server_info'))).body) as { command_line_options: Record<string, unknown> };
    expect(info.command_line_options).toMatchObject({ drain_time: '7s', concurrency: 3 });
  });

  it.each([
    [['--admin-port', 'abc'], /--admin-port/],
    [['--ready-after', 'soon'], /--ready-after/],
    [['--drain-strategy', 'fast'], /--drain-strategy/],
    [['--stats-status', '42'], /--stats-status/],
    [['--concurrency', '0'], /--concurrency/],
    [['--stats-flush-interval', '0s'], /--stats-flush-interval/],
    [['--mesh', 'consul'], /--mesh/],
  ])('%j → exit 64 with one line', async (args, pattern) => {
    const result = await runBundle(['fake-envoy', ...FREE_PORTS, ...args]);
    expect(result.code).toBe(64);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });

  it('a bad boolean env value → exit 64', async () => {
    const result = await runBundle(['fake-envoy', ...FREE_PORTS], { env: { SIDECAR_LIFECYCLE_REJECT_CONFIG: 'maybe' } });
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('SIDECAR_LIFECYCLE_REJECT_CONFIG');
  });

  it('a port already in use → exit 1 with a fatal log line', async () => {
    const first = await fake([]);
    const result = await runBundle(['fake-envoy', ...FREE_PORTS.slice(2), '--admin-port', String(first.ports.admin)]);
    expect(result.code).toBe(1);
    expect(result.logs.find((l) => l.msg === 'cannot start fake envoy')?.error).toMatch(/EADDRINUSE/);
  });
});
