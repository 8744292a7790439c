// `drain` (preStop) alone, and beside a running `run` that does the work once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE, runBundle, startBundle } from '../helpers/bundle.js';
import { fakeSidecars, type FakeSidecar } from '../helpers/fake-sidecar.js';

const APP = new URL('../fixtures/app.mjs', import.meta.url).pathname;
const fake = fakeSidecars();
const socketPath = () => join(mkdtempSync(join(tmpdir(), 'sl-drain-')), 'ctl', 'control.sock');
const hcFails = (f: FakeSidecar) => f.calls.filter((c) => c.path === '/healthcheck/fail');

describe('drain alone', () => {
  it('fails the health check, waits the delay and for connections, exits 0', async () => {
    const { f, args } = await fake();
    const t0 = Date.now();
    const drainedAt = t0 + 1200;
    f.connections = () => (Date.now() < drainedAt ? 1 : 0);
    const r = await runBundle(['drain', ...args, '--shutdown-delay', '500ms', '--drain-timeout', '5s', '--control-socket', socketPath()]);
    const took = Date.now() - t0;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(took).toBeGreaterThanOrEqual(1200);
    expect(took).toBeLessThan(4000);
    expect(hcFails(f)).toHaveLength(1);
    const firstStats = f.calls.find((c) => c.path.startsWith('/stats'))!;
    expect(firstStats.at - hcFails(f)[0]!.at).toBeGreaterThanOrEqual(400);
    expect(r.logs.find((l) => l.msg === 'no supervisor answered; draining from here')).toMatchObject({ reason: 'ENOENT' });
  });

  it('a stale socket file (supervisor gone) falls back to draining from here', async () => {
    const { f, args } = await fake();
    const path = socketPath();
    // Leave a dead socket file behind, as a SIGKILLed supervisor would.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const holder = spawn(NODE, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(holder.stdout, 'data');
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    expect(statSync(path).isSocket()).toBe(true);
    const r = await runBundle(['drain', ...args, '--shutdown-delay', '0s', '--control-socket', path]);
    expect(r.code).toBe(0);
    expect(hcFails(f)).toHaveLength(1);
  });

  it('SIGTERM to drain stops its waiting at once', async () => {
    const { args } = await fake({ connections: 3 });
    const p = startBundle(['drain', ...args, '--shutdown-delay', '10s', '--control-socket', socketPath()]);
    await p.waitForLog('sidecar drain started');
    const sent = Date.now();
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(1500);
  });
});

describe('drain beside run', () => {
  it('run does the steps once; the SIGTERM that follows reaches the app at once', async () => {
    const { f, args } = await fake();
    const socket = socketPath();
    const supervisor = startBundle(['run', ...args, '--shutdown-delay', '800ms', '--control-socket', socket, '--', NODE, APP]);
    await supervisor.waitForStdout('started');

    // The socket is owner-only, in an owner-only directory.
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(socket)).mode & 0o777).toBe(0o700);

    const t0 = Date.now();
    const hook = await runBundle(['drain', ...args, '--shutdown-delay', '3s', '--control-socket', socket]);
    const hookTook = Date.now() - t0;
    expect(hook.code).toBe(0);
    expect(hook.logs.find((l) => l.msg === 'drained by the running supervisor')).toMatchObject({ status: 'drained', connectionsLeft: 0 });
    expect(hookTook).toBeGreaterThanOrEqual(780); // the supervisor's own delay (800ms), not the hook's 3s
    expect(hookTook).toBeLessThan(2800);
    expect(supervisor.stdout()).not.toContain('signal SIGTERM'); // the app is still running

    const sent = Date.now();
    supervisor.kill('SIGTERM');
    await supervisor.waitForStdout('signal SIGTERM');
    expect(Date.now() - sent).toBeLessThan(600); // no second delay
    expect((await supervisor.exited).code).toBe(0);
    expect(hcFails(f)).toHaveLength(1);
    expect(supervisor.logs().find((l) => l.msg === 'shutdown started')).toMatchObject({ drainedByPreStop: true });
    expect(supervisor.logs().filter((l) => l.msg === 'drain finished')).toHaveLength(1);
  });

  it('SIGTERM while the preStop drain still runs (hook timed out) cuts the drain short', async () => {
    const { f, args } = await fake({ connections: 2 });
    const socket = socketPath();
    const supervisor = startBundle(['run', ...args, '--shutdown-delay', '500ms', '--drain-timeout', '20s', '--control-socket', socket, '--', NODE, APP]);
    await supervisor.waitForStdout('started');
    const hook = startBundle(['drain', ...args, '--control-socket', socket]);
    await supervisor.waitForLog('drain requested');
    await new Promise((r) => setTimeout(r, 800));
    const sent = Date.now();
    supervisor.kill('SIGTERM');
    await supervisor.waitForStdout('signal SIGTERM');
    expect(Date.now() - sent).toBeLessThan(1000);
    expect((await supervisor.exited).code).toBe(0);
    expect((await hook.exited).code).toBe(0);
    expect(hcFails(f)).toHaveLength(1);
  });

  it('before the app has started, drain returns at once and does nothing', async () => {
    const { f, args } = await fake({ ready: false });
    const socket = socketPath();
    const supervisor = startBundle(['run', ...args, '--control-socket', socket, '--', 'true']);
    await supervisor.waitForLog('waiting for sidecar');
    const hook = await runBundle(['drain', ...args, '--control-socket', socket]);
    expect(hook.code).toBe(0);
    expect(hook.logs.find((l) => l.msg === 'drained by the running supervisor')).toMatchObject({ status: 'not-started' });
    expect(f.paths('POST')).toEqual([]);
    supervisor.kill('SIGTERM');
    expect((await supervisor.exited).code).toBe(143);
  });

  it('refuses a control directory others can reach, and drain then works alone', async () => {
    const { f, args } = await fake();
    const dir = mkdtempSync(join(tmpdir(), 'sl-open-'));
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o777);
    const socket = join(dir, 'control.sock');
    const supervisor = startBundle(['run', ...args, '--shutdown-delay', '0s', '--control-socket', socket, '--', NODE, APP]);
    await supervisor.waitForStdout('started');
    expect(supervisor.logs().find((l) => l.level === 40)!.msg).toMatch(/not owner-only/);
    const hook = await runBundle(['drain', ...args, '--shutdown-delay', '0s', '--control-socket', socket]);
    expect(hook.code).toBe(0);
    expect(hcFails(f)).toHaveLength(1); // drain did it itself
    supervisor.kill('SIGTERM');
    await supervisor.exited;
  });

  it('an unwritable socket location (read-only root filesystem) warns once and drain then works alone', async () => {
    const { f, args } = await fake();
    const file = join(mkdtempSync(join(tmpdir(), 'sl-ro-')), 'not-a-dir');
    writeFileSync(file, '');
    const socket = join(file, 'control.sock'); // its "directory" is a file: mkdir fails like EROFS would
    const supervisor = startBundle(['run', ...args, '--shutdown-delay', '0s', '--control-socket', socket, '--', NODE, APP]);
    await supervisor.waitForStdout('started');
    const warnings = supervisor.logs().filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/drain handshake disabled/);
    const hook = await runBundle(['drain', ...args, '--shutdown-delay', '0s', '--control-socket', socket]);
    expect(hook.code).toBe(0);
    expect(hook.logs.find((l) => l.msg === 'no supervisor answered; draining from here')).toBeDefined();
    supervisor.kill('SIGTERM');
    expect((await supervisor.exited).code).toBe(0);
    expect(hcFails(f)).toHaveLength(2); // once by the hook, once by run: why the README asks for a writable emptyDir
  });

  it('the socket file is removed when run exits', async () => {
    const { args } = await fake();
    const socket = socketPath();
    const r = await runBundle(['run', ...args, '--control-socket', socket, '--', 'true']);
    expect(r.code).toBe(0);
    expect(() => statSync(socket)).toThrow(/ENOENT/);
  });
});
