// run, drain and quit against the bundled fake-envoy (not the small test sidecar): the paths where
// what matters is how Envoy, pilot-agent and Linkerd really answer, count and drain connections.
import { Client } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE, runBundle, startBundle } from '../helpers/bundle.js';
import { raw, startApp, startFake, type RunningFake, type TestApp } from '../helpers/fake-envoy.js';

const APP = new URL('../fixtures/app.mjs', import.meta.url).pathname;
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

/** A pod: an upstream app behind the fake's inbound listener, and the flags that point run at the fake. */
async function pod(fakeArgs: string[] = []): Promise<{ app: TestApp; fake: RunningFake; args: string[] }> {
  const app = await startApp();
  cleanup.push(() => app.close());
  const fake = await startFake(['--app-port', String(app.port), '--ready-after', '300ms', '--stats-flush-interval', '200ms', '--termination-drain-duration', '500ms', ...fakeArgs]);
  cleanup.push(() => fake.stop());
  const p = fake.ports;
  const args = fake.ports.pilotAgent
    ? ['--ready-url', `http://127.0.0.1:${p.pilotAgent}/healthz/ready`, '--quit-url', `http://127.0.0.1:${p.pilotAgent}/quitquitquit`, '--admin-url', `http://127.0.0.1:${p.admin}`]
    : [];
  args.push('--inbound-stat-regex', String.raw`^listener\..*_${p.inbound}\.downstream_cx_active$`, '--poll-interval', '50ms');
  return { app, fake, args };
}

async function supervise(args: string[], env: Record<string, string> = {}) {
  const run = startBundle(['run', ...args, '--', NODE, APP], { env });
  cleanup.push(async () => {
    if (run.child.exitCode === null) run.kill('SIGKILL');
    await run.exited;
  });
  await run.waitForStdout('started', 15_000);
  return run;
}

describe('startup against fake-envoy', () => {
  it.each([
    ['xDS config never arrives', ['--ready-after', 'never'], /config not received/],
    ['xDS config is rejected', ['--reject-config'], /rejected/],
  ])('%s: run exits 69 without starting the app', async (_name, fakeArgs, reason) => {
    const { fake, args } = await pod(fakeArgs);
    const r = await runBundle(['run', ...args, '--wait-timeout', '1s', '--', 'sh', '-c', 'echo app-ran']);
    expect(r.code).toBe(69);
    expect(r.stdout).toBe('');
    const refusals = fake.proc.logs().filter((l) => l.msg === 'pilot-agent call' && l.status === 503);
    expect(String(refusals.at(-1)!.reason)).toMatch(reason);
    expect(fake.proc.logs().some((l) => l.msg === 'pilot-agent call' && l.status === 200)).toBe(false);
  });
});

describe('shutdown against fake-envoy', () => {
  it('an idle keep-alive connection is never drain-closed: the count stays and the drain timeout ends the wait', async () => {
    const { fake, args } = await pod();
    const run = await supervise([...args, '--shutdown-delay', '300ms', '--drain-timeout', '1500ms']);
    const client = new Client(`http://127.0.0.1:${fake.ports.inbound}`, { keepAliveTimeout: 60_000 });
    cleanup.push(() => client.destroy());
    const res = await client.request({ method: 'GET', path: '/' });
    await res.body.text();
    expect(res.headers.connection).not.toBe('close');

    const t0 = Date.now();
    run.kill('SIGTERM');
    await run.waitForStdout('signal SIGTERM', 10_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    await run.exited;
    expect(run.logs().find((l) => l.msg === 'drain finished')).toMatchObject({ connectionsLeft: 1, timedOut: true });
    expect(fake.adminCalls()).toContain('POST /healthcheck/fail 200');
  });

  it('a busy keep-alive connection gets Connection: close on its next response, and the wait ends early', async () => {
    const { fake, args } = await pod();
    const run = await supervise([...args, '--shutdown-delay', '300ms', '--drain-timeout', '8s']);
    const client = new Client(`http://127.0.0.1:${fake.ports.inbound}`, { keepAliveTimeout: 60_000, pipelining: 1 });
    cleanup.push(() => client.destroy());
    await (await client.request({ method: 'GET', path: '/' })).body.text();

    const t0 = Date.now();
    run.kill('SIGTERM');
    await run.waitForLog('sidecar drain started');
    const res = await client.request({ method: 'GET', path: '/' }); // the next response on the same connection
    await res.body.text();
    expect(res.headers.connection).toBe('close');
    await run.waitForStdout('signal SIGTERM', 10_000);
    expect(Date.now() - t0).toBeLessThan(4000);
    await run.exited;
    expect(run.logs().find((l) => l.msg === 'drain finished')).toMatchObject({ connectionsLeft: 0, timedOut: false });
  });

  it('--drain-method inbound: drain_listeners?inboundonly&graceful&skip_exit, and Envoy stays LIVE', async () => {
    const { fake, args } = await pod();
    const run = await supervise([...args, '--drain-method', 'inbound', '--shutdown-delay', '200ms']);
    run.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    expect(fake.adminCalls()).toContain('POST /drain_listeners?inboundonly&graceful&skip_exit 200');
    expect(fake.adminCalls().some((c) => c.startsWith('POST /healthcheck/fail'))).toBe(false);
    const ready = await raw('GET', fake.admin('/ready'));
    expect([ready.status, ready.body]).toEqual([200, 'LIVE\n']);
  });

  it('an admin port that starts hanging costs at most the request timeout per call', async () => {
    const { fake, args } = await pod(['--admin-hang', '--faults-after', '1500ms']);
    const run = await supervise([...args, '--shutdown-delay', '200ms', '--drain-timeout', '10s', '--request-timeout', '300ms']);
    await new Promise((r) => setTimeout(r, Math.max(0, 1700 - (Date.now() - Date.parse(String(fake.proc.logs()[0]!.time))))));
    const t0 = Date.now();
    run.kill('SIGTERM');
    await run.waitForStdout('signal SIGTERM', 10_000);
    expect(Date.now() - t0).toBeLessThan(3000);
    await run.exited;
    expect(run.logs().find((l) => l.msg.startsWith('sidecar drain call failed'))!.error).toMatch(/no answer within 300ms/);
  });

  it('stats that fail count as drained after the delay', async () => {
    const { args } = await pod(['--stats-status', '503', '--faults-after', '1500ms']);
    const run = await supervise([...args, '--shutdown-delay', '300ms', '--drain-timeout', '10s']);
    await new Promise((r) => setTimeout(r, 1600));
    const t0 = Date.now();
    run.kill('SIGTERM');
    await run.waitForStdout('signal SIGTERM', 10_000);
    expect(Date.now() - t0).toBeLessThan(2500);
    await run.exited;
    expect(run.logs().find((l) => l.msg.startsWith('cannot read sidecar stats'))!.error).toMatch(/HTTP 503/);
  });

  it('drain alone (a preStop without a supervisor) fails the health check, waits, and leaves Envoy DRAINING', async () => {
    const { fake, args } = await pod();
    await fake.proc.waitForLog('envoy workers started, listeners accepting');
    const t0 = Date.now();
    const r = await runBundle(['drain', ...args, '--shutdown-delay', '400ms', '--control-socket', 'none']);
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(fake.adminCalls().filter((c) => c === 'POST /healthcheck/fail 200')).toHaveLength(1);
    const ready = await raw('GET', fake.admin('/ready'));
    expect([ready.status, ready.body]).toEqual([503, 'DRAINING\n']);
  });
});

describe('quitting the sidecar (Jobs)', () => {
  it('istio: POST pilot-agent /quitquitquit, and the sidecar exits', async () => {
    const { fake, args } = await pod();
    const r = await runBundle(['run', ...args, '--quit-sidecar', 'always', '--', 'sh', '-c', 'exit 0']);
    expect(r.code).toBe(0);
    expect(r.logs.find((l) => l.msg === 'sidecar quit')).toMatchObject({ status: 200 });
    expect((await fake.proc.exited).code).toBe(0);
  });

  it('linkerd: POST /shutdown, and the proxy exits', async () => {
    const { fake } = await pod(['--mesh', 'linkerd', '--linkerd-shutdown-endpoint']);
    const admin = `http://127.0.0.1:${fake.ports.linkerdAdmin}`;
    const r = await runBundle(['run', '--mesh', 'linkerd', '--ready-url', `${admin}/ready`, '--quit-url', `${admin}/shutdown`, '--quit-sidecar', 'always', '--', 'true']);
    expect(r.code).toBe(0);
    expect(r.logs.find((l) => l.msg === 'sidecar quit')).toMatchObject({ status: 200 });
    expect((await fake.proc.exited).code).toBe(0);
  });

  it('linkerd with the shutdown endpoint disabled: quit answers 404, logged, not fatal', async () => {
    const { fake } = await pod(['--mesh', 'linkerd']);
    const admin = `http://127.0.0.1:${fake.ports.linkerdAdmin}`;
    const r = await runBundle(['quit', '--mesh', 'linkerd', '--quit-url', `${admin}/shutdown`]);
    expect(r.code).toBe(69);
    expect(r.logs.find((l) => l.msg === 'sidecar quit failed')!.error).toMatch(/HTTP 404 shutdown endpoint is not enabled/);
  });

  it('plain envoy: /ready, /healthcheck/fail on SIGTERM, then /quitquitquit ends Envoy', async () => {
    const { fake } = await pod(['--mesh', 'envoy']);
    const run = await supervise(['--mesh', 'envoy', '--admin-url', `http://127.0.0.1:${fake.ports.admin}`, '--shutdown-delay', '200ms', '--quit-sidecar', 'always']);
    run.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    const calls = fake.adminCalls();
    expect(calls.indexOf('POST /healthcheck/fail 200')).toBeGreaterThan(calls.indexOf('GET /ready 200'));
    expect(calls.at(-1)).toBe('POST /quitquitquit 200');
    expect((await fake.proc.exited).code).toBe(0);
  });
});
