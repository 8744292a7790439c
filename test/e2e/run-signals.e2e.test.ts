// Signal forwarding: what reaches the app, what never does, process groups.
import { describe, expect, it } from 'vitest';
import { NODE, startBundle } from '../helpers/bundle.js';

const APP = new URL('../fixtures/app.mjs', import.meta.url).pathname;
const QUICK = ['--disabled', '--shutdown-delay', '0s', '--stop-timeout', '2s'];

// Every forwarded signal except SIGTERM (the shutdown signal) and SIGCONT/SIGTSTP (job control,
// tested apart because the app's reaction is the kernel's, not a handler's).
const FORWARDED = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGALRM', 'SIGIO', 'SIGPWR', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF'] as const;

async function started(args: string[] = [], env: Record<string, string> = {}) {
  const p = startBundle(['run', ...QUICK, ...args, '--', NODE, APP], { env });
  await p.waitForStdout('started');
  return p;
}

describe('forwarding', () => {
  it('forwards every catchable signal to the app, unchanged, one at a time', async () => {
    const p = await started();
    for (const signal of FORWARDED) {
      p.kill(signal);
      await p.waitForStdout(`signal ${signal}\n`);
    }
    p.kill('SIGTERM');
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    // Each signal arrived exactly once, in the order sent.
    const received = p.stdout().split('\n').filter((l) => l.startsWith('signal ')).map((l) => l.slice(7));
    expect(received).toEqual([...FORWARDED, 'SIGTERM']);
    // Node reserves SIGUSR1 for its inspector; our listener must take it over, not open a debugger.
    expect(p.stderr()).not.toMatch(/Debugger listening/);
  });

  it('SIGTSTP and SIGCONT reach the app and do not stop the supervisor', async () => {
    const p = await started();
    p.kill('SIGTSTP');
    await p.waitForStdout('signal SIGTSTP');
    p.kill('SIGCONT');
    await p.waitForStdout('signal SIGCONT');
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it.each(['SIGURG', 'SIGCHLD', 'SIGPIPE', 'SIGTTIN', 'SIGTTOU'] as const)('never forwards %s, and survives it', async (signal) => {
    const p = await started();
    p.kill(signal);
    p.kill('SIGUSR2'); // a marker: once it arrives, the earlier signal has been dealt with
    await p.waitForStdout('signal SIGUSR2');
    expect(p.stdout()).not.toContain(`signal ${signal}`);
    p.kill('SIGTERM');
    const exit = await p.exited;
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('an app that exits on a forwarded signal gives its exit code', async () => {
    const p = await started([], { APP_EXIT_ON: 'SIGQUIT:7' });
    p.kill('SIGQUIT');
    expect((await p.exited).code).toBe(7);
    expect(p.stdout()).toContain('signal SIGQUIT');
  });

  it('--signal-group reaches the whole process group; without it only the app', async () => {
    // sh starts a child that reports SIGHUP; sh itself waits. With the group, both get it.
    const script = `trap 'echo parent-hup' HUP; ${NODE} -e "process.on('SIGHUP',()=>{console.log('child-hup');process.exit(0)}); console.log('child-up ' + process.pid); setInterval(()=>{},1e6)" & wait; wait`;
    const grouped = startBundle(['run', ...QUICK, '--signal-group', '--', 'sh', '-c', script]);
    await grouped.waitForStdout('child-up');
    grouped.kill('SIGHUP');
    await grouped.waitForStdout('child-hup');
    await grouped.waitForStdout('parent-hup');
    grouped.kill('SIGTERM');
    await grouped.exited;

    const single = startBundle(['run', ...QUICK, '--', 'sh', '-c', script]);
    await single.waitForStdout('child-up');
    single.kill('SIGHUP');
    await single.waitForStdout('parent-hup');
    await new Promise((r) => setTimeout(r, 300));
    expect(single.stdout()).not.toContain('child-hup');
    // The grandchild never got the signal, so it is still running: end it and the supervisor.
    process.kill(Number(/child-up (\d+)/.exec(single.stdout())![1]), 'SIGKILL');
    single.kill('SIGTERM');
    expect((await single.exited).code).not.toBeNull();
  });
});
