// Startup: the app waits for the sidecar; timeouts both ways; signals before the app starts.
import { describe, expect, it } from 'vitest';
import { NODE, runBundle, startBundle } from '../helpers/bundle.js';
import { closedPort, fakeSidecars } from '../helpers/fake-sidecar.js';

const APP = new URL('../fixtures/app.mjs', import.meta.url).pathname;
const fake = fakeSidecars();

describe('waiting for the sidecar', () => {
  it('starts the app only after the sidecar answers 200', async () => {
    const { f, args } = await fake({ ready: false });
    const p = startBundle(['run', ...args, '--', NODE, APP, 'x']);
    await p.waitForLog('waiting for sidecar');
    await new Promise((r) => setTimeout(r, 600));
    expect(p.stdout()).toBe('');
    const polls = f.paths('GET').filter((x) => x === '/healthz/ready').length;
    expect(polls).toBeGreaterThanOrEqual(4); // every ~50 ms
    const readyAt = Date.now();
    f.ready = true;
    await p.waitForStdout('started');
    const ready = await p.waitForLog('sidecar ready');
    expect(ready.waitedMs).toBeGreaterThanOrEqual(500);
    expect(ready.attempts).toBeGreaterThan(polls - 1);
    expect(Date.parse(p.logs().find((l) => l.msg === 'app started')!.time)).toBeGreaterThanOrEqual(readyAt - 5);
    p.kill('SIGINT');
    p.kill('SIGTERM');
    await p.exited;
  });

  it('treats connection refused, 5xx and hangs as "not yet"', async () => {
    const gone = await closedPort();
    const r1 = await runBundle(['run', '--ready-url', `${gone}/healthz/ready`, '--wait-timeout', '400ms', '--', 'true']);
    expect(r1.code).toBe(69);
    expect(r1.logs.find((l) => l.msg === 'sidecar did not become ready in time')!.lastError).toMatch(/ECONNREFUSED/);

    const { args: errArgs } = await fake({ readyMode: 'error' });
    const r2 = await runBundle(['run', ...errArgs, '--wait-timeout', '400ms', '--', 'true']);
    expect(r2.code).toBe(69);

    const { f, args: hangArgs } = await fake({ readyMode: 'hang' });
    const start = Date.now();
    const r3 = await runBundle(['run', ...hangArgs, '--wait-timeout', '1s', '--request-timeout', '200ms', '--', 'true']);
    expect(r3.code).toBe(69);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(f.calls.length).toBeGreaterThanOrEqual(3); // each hanging attempt was cut off by the request timeout
    expect(r3.logs.find((l) => l.msg === 'sidecar did not become ready in time')!.lastError).toMatch(/no answer within/);
  });

  it('--on-wait-timeout fail (default): exit 69 without starting the app', async () => {
    const { args } = await fake({ ready: false });
    const start = Date.now();
    const r = await runBundle(['run', ...args, '--wait-timeout', '300ms', '--', 'sh', '-c', 'echo app-ran']);
    expect(r.code).toBe(69);
    expect(r.stdout).toBe('');
    expect(Date.now() - start).toBeLessThan(5000);
    expect(r.logs.some((l) => l.msg === 'app started')).toBe(false);
  });

  it('--on-wait-timeout start: warns and starts the app anyway', async () => {
    const { args } = await fake({ ready: false });
    const r = await runBundle(['run', ...args, '--wait-timeout', '300ms', '--on-wait-timeout', 'start', '--', 'sh', '-c', 'echo app-ran; exit 5']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('app-ran\n');
    expect(r.logs.find((l) => l.level === 40)!.msg).toMatch(/without a ready sidecar/);
  });

  it('--wait-timeout 0 waits as long as it takes', async () => {
    const { f, args } = await fake({ ready: false });
    const p = startBundle(['run', ...args, '--wait-timeout', '0', '--', 'sh', '-c', 'echo up']);
    await new Promise((r) => setTimeout(r, 1200));
    expect(p.stdout()).toBe('');
    f.ready = true;
    expect((await p.exited).code).toBe(0);
    expect(p.stdout()).toBe('up\n');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while waiting: exit %d at once, app never started', async (signal, code) => {
    const { args } = await fake({ ready: false });
    const p = startBundle(['run', ...args, '--', 'sh', '-c', 'echo app-ran']);
    await p.waitForLog('waiting for sidecar');
    const sent = Date.now();
    p.kill(signal);
    const exit = await p.exited;
    expect(exit.code).toBe(code);
    expect(Date.now() - sent).toBeLessThan(1500);
    expect(p.stdout()).toBe('');
  });

  it('other signals while waiting are ignored, not fatal', async () => {
    const { f, args } = await fake({ ready: false });
    const p = startBundle(['run', ...args, '--', 'sh', '-c', 'echo app-ran']);
    await p.waitForLog('waiting for sidecar');
    for (const s of ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGURG', 'SIGQUIT'] as const) p.kill(s);
    await new Promise((r) => setTimeout(r, 300));
    f.ready = true;
    expect((await p.exited).code).toBe(0);
    expect(p.stdout()).toBe('app-ran\n');
  });
});
