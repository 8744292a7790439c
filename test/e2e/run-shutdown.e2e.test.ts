// The shutdown timeline on real processes, real signals and a real HTTP sidecar.
import { describe, expect, it } from 'vitest';
import { NODE, startBundle, type BundleProcess } from '../helpers/bundle.js';
import { closedPort, fakeSidecars } from '../helpers/fake-sidecar.js';

const APP = new URL('../fixtures/app.mjs', import.meta.url).pathname;
const fake = fakeSidecars();

/** Milliseconds from the shutdown signal to the app receiving its signal (from the app's own stdout timing). */
async function runUntilStarted(args: string[], env: Record<string, string> = {}) {
  const p = startBundle(['run', ...args, '--', NODE, APP], { env });
  await p.waitForStdout('started');
  return p;
}
async function appSignalledAfter(p: BundleProcess, signalSentAt: number, what = 'signal SIGTERM') {
  await p.waitForStdout(what, 20_000);
  return Date.now() - signalSentAt;
}

describe('graceful shutdown', () => {
  it('healthcheck/fail at once, then the delay, then stats until 0, then the app; in that order', async () => {
    const { f, args } = await fake();
    let drainedAt = Infinity;
    f.connections = () => (Date.now() < drainedAt ? 2 : 0);
    const p = await runUntilStarted([...args, '--shutdown-delay', '600ms', '--drain-timeout', '5s']);
    const t0 = Date.now();
    drainedAt = t0 + 1500;
    p.kill('SIGTERM');
    const signalledAfter = await appSignalledAfter(p, t0);
    const exit = await p.exited;
    expect(exit.code).toBe(0);

    const after = f.calls.filter((c) => c.at >= t0 - 5);
    expect(after[0]).toMatchObject({ method: 'POST', path: '/healthcheck/fail' });
    expect(after[0]!.at - t0).toBeLessThan(400);
    const stats = after.filter((c) => c.path.startsWith('/stats'));
    expect(stats.length).toBeGreaterThanOrEqual(3);
    expect(stats[0]!.at - t0).toBeGreaterThanOrEqual(590); // not before the delay
    expect(stats[0]!.path).toBe(`/stats?usedonly&filter=${encodeURIComponent(String.raw`^listener\..*_15006\.downstream_cx_active$`)}`);
    expect(signalledAfter).toBeGreaterThanOrEqual(1500); // waited for the connections
    expect(signalledAfter).toBeLessThan(4000);
    expect(after.filter((c) => c.path === '/healthcheck/fail')).toHaveLength(1);

    const drained = p.logs().find((l) => l.msg === 'drain finished')!;
    expect(drained).toMatchObject({ connectionsLeft: 0, skipped: false, timedOut: false });
    const order = p.logs().map((l) => l.msg).filter((m) => ['shutdown started', 'sidecar drain started', 'drain finished', 'signalled app', 'app exited'].includes(m));
    expect(order).toEqual(['shutdown started', 'sidecar drain started', 'drain finished', 'signalled app', 'app exited']);
  });

  it('a count that never falls is cut off at the drain timeout', async () => {
    const { args } = await fake({ connections: 4 });
    const p = await runUntilStarted([...args, '--shutdown-delay', '200ms', '--drain-timeout', '1200ms']);
    const t0 = Date.now();
    p.kill('SIGTERM');
    const after = await appSignalledAfter(p, t0);
    expect(after).toBeGreaterThanOrEqual(1150);
    expect(after).toBeLessThan(3500);
    await p.exited;
    expect(p.logs().find((l) => l.msg === 'drain finished')).toMatchObject({ connectionsLeft: 4, timedOut: true });
  });

  it('a hanging admin port costs at most the request timeout per call', async () => {
    const { f, args } = await fake({ adminMode: 'hang', statsMode: 'hang', connections: 1 });
    const p = await runUntilStarted([...args, '--shutdown-delay', '300ms', '--drain-timeout', '10s', '--request-timeout', '400ms']);
    const t0 = Date.now();
    p.kill('SIGTERM');
    const after = await appSignalledAfter(p, t0);
    // drain call (hangs, cut at 400 ms inside the 300 ms delay... the delay ends at 400) + one stats call (400 ms), then "unreadable = drained"
    expect(after).toBeGreaterThanOrEqual(600);
    expect(after).toBeLessThan(3000);
    await p.exited;
    expect(f.paths().filter((x) => x.startsWith('/stats'))).toHaveLength(1);
    expect(p.logs().find((l) => l.msg.startsWith('sidecar drain call failed'))!.error).toMatch(/no answer within 400ms/);
    expect(p.logs().find((l) => l.msg.startsWith('cannot read sidecar stats'))).toBeDefined();
  });

  it('an admin port that is gone: logged, the delay still applies, then the app', async () => {
    const gone = await closedPort();
    const { args } = await fake();
    const p = await runUntilStarted([...args, '--admin-url', gone, '--shutdown-delay', '500ms']);
    const t0 = Date.now();
    p.kill('SIGTERM');
    const after = await appSignalledAfter(p, t0);
    expect(after).toBeGreaterThanOrEqual(480);
    expect(after).toBeLessThan(2500);
    expect((await p.exited).code).toBe(0);
    expect(p.logs().find((l) => l.msg.startsWith('sidecar drain call failed'))!.error).toMatch(/ECONNREFUSED/);
  });

  it('SIGKILL when the app outlives the stop timeout', async () => {
    const { args } = await fake();
    const p = await runUntilStarted([...args, '--shutdown-delay', '0s', '--stop-timeout', '700ms'], { APP_ON_TERM: 'ignore' });
    const t0 = Date.now();
    p.kill('SIGTERM');
    const exit = await p.exited;
    expect(exit.code).toBe(137);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(680);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(p.logs().find((l) => l.msg.includes('sending SIGKILL'))).toBeDefined();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('a %s during the drain skips the rest of the wait', async (second) => {
    const { f, args } = await fake({ connections: 3 });
    const p = await runUntilStarted([...args, '--shutdown-delay', '5s', '--drain-timeout', '15s']);
    const t0 = Date.now();
    p.kill('SIGTERM');
    await p.waitForLog('sidecar drain started');
    p.kill(second);
    const after = await appSignalledAfter(p, t0);
    expect(after).toBeLessThan(2500);
    expect((await p.exited).code).toBe(0);
    expect(p.logs().find((l) => l.msg === 'drain finished')).toMatchObject({ skipped: true });
    expect(f.paths('POST')).toEqual(['/healthcheck/fail']);
    expect(p.stdout()).not.toContain('signal SIGINT'); // consumed as "hurry up", not forwarded
  });

  it('--drain-method inbound uses drain_listeners?inboundonly&graceful&skip_exit', async () => {
    const { f, args } = await fake();
    const p = await runUntilStarted([...args, '--drain-method', 'inbound', '--shutdown-delay', '0s']);
    p.kill('SIGTERM');
    await p.exited;
    expect(f.paths('POST')).toEqual(['/drain_listeners?inboundonly&graceful&skip_exit']);
  });

  it('--drain-method none makes no drain call but still waits for connections', async () => {
    const { f, args } = await fake();
    const p = await runUntilStarted([...args, '--drain-method', 'none', '--shutdown-delay', '0s']);
    p.kill('SIGTERM');
    await p.exited;
    expect(f.paths('POST')).toEqual([]);
    expect(f.paths().some((x) => x.startsWith('/stats'))).toBe(true);
  });

  it('--shutdown-signal and --app-signal', async () => {
    const { f, args } = await fake();
    const p = await runUntilStarted([...args, '--shutdown-signal', 'SIGUSR2', '--app-signal', 'SIGQUIT', '--shutdown-delay', '0s', '--stop-timeout', '600ms']);
    p.kill('SIGTERM'); // now an ordinary signal: forwarded, app exits 0 on SIGTERM... so use HUP first
    await p.exited;
    expect(p.stdout()).toContain('signal SIGTERM');
    expect(f.paths('POST')).toEqual([]); // SIGTERM was forwarded, not a shutdown

    const { f: f2, args: args2 } = await fake();
    const q = await runUntilStarted([...args2, '--shutdown-signal', 'SIGUSR2', '--app-signal', 'SIGQUIT', '--shutdown-delay', '0s', '--stop-timeout', '600ms']);
    q.kill('SIGUSR2');
    const exit = await q.exited;
    expect(q.stdout()).toContain('signal SIGQUIT');
    expect(q.stdout()).not.toContain('signal SIGUSR2');
    expect(exit.code).toBe(137); // the fixture ignores SIGQUIT, so the stop timeout escalates
    expect(f2.paths('POST')).toEqual(['/healthcheck/fail']);
  });

  it('the app exiting during the drain ends the supervisor at once with its code', async () => {
    const { args } = await fake({ connections: 5 });
    const p = await runUntilStarted([...args, '--shutdown-delay', '5s'], { APP_EXIT_ON: 'SIGHUP:9' });
    p.kill('SIGTERM');
    await p.waitForLog('sidecar drain started');
    const sent = Date.now();
    p.kill('SIGHUP');
    const exit = await p.exited;
    expect(exit.code).toBe(9);
    expect(Date.now() - sent).toBeLessThan(1500);
  });

  it('disabled: no sidecar call at all, but the delay still applies', async () => {
    const { f, args } = await fake();
    const p = await runUntilStarted([...args, '--disabled', '--shutdown-delay', '700ms', '--quit-sidecar', 'always']);
    const t0 = Date.now();
    p.kill('SIGTERM');
    const after = await appSignalledAfter(p, t0);
    expect(after).toBeGreaterThanOrEqual(680);
    expect((await p.exited).code).toBe(0);
    expect(f.calls).toEqual([]);
  });

  it('disabled through the environment', async () => {
    const { f, args } = await fake({ ready: false });
    const p = await runUntilStarted([...args, '--shutdown-delay', '0s'], { SIDECAR_LIFECYCLE_DISABLED: '1' });
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(f.calls).toEqual([]);
  });

  it('exits within 100 ms of the app (loosely bounded)', async () => {
    const { args } = await fake();
    const p = startBundle(['run', ...args, '--', 'sh', '-c', 'sleep 0.3']);
    await p.waitForLog('app started');
    await p.exited;
    const logs = p.logs();
    const exited = Date.parse(logs.find((l) => l.msg === 'app exited')!.time);
    const started = Date.parse(logs.find((l) => l.msg === 'app started')!.time);
    expect(exited - started).toBeGreaterThanOrEqual(280);
    expect(exited - started).toBeLessThan(1500);
  });
});
