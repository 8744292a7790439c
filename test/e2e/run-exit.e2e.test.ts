// Exit codes, spawn failures, usage errors and stdio passthrough of `run`, on the built bundle.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE, runBundle } from '../helpers/bundle.js';
import { sidecarArgs, startFakeSidecar, type FakeSidecar } from '../helpers/fake-sidecar.js';

const QUICK = ['--disabled', '--shutdown-delay', '0s'];
let fake: FakeSidecar;
let sidecar: string[];

beforeAll(async () => {
  fake = await startFakeSidecar();
  sidecar = sidecarArgs(fake);
});
afterAll(() => fake.close());

describe('exit codes', () => {
  it.each([0, 1, 2, 42, 127, 255])('app exit %d → %d', async (code) => {
    const r = await runBundle(['run', ...sidecar, '--', 'sh', '-c', `exit ${code}`]);
    expect(r.code).toBe(code);
    expect(r.logs.find((l) => l.msg === 'app exited')).toMatchObject({ exitCode: code });
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGKILL', 137],
    ['SIGSEGV', 139],
    ['SIGABRT', 134],
    ['SIGUSR1', 138],
  ])('app killed by %s → %d', async (signal, code) => {
    const r = await runBundle(['run', ...QUICK, '--', 'sh', '-c', `kill -${signal.slice(3)} $$`]);
    expect(r.code).toBe(code);
    expect(r.signal).toBeNull(); // the supervisor exits with the code; it is not itself killed
    expect(r.logs.find((l) => l.msg === 'app exited')).toMatchObject({ exitCode: code, signal });
  });
});

describe('spawn failures', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sl-spawn-'));
    writeFileSync(join(dir, 'not-executable'), '#!/bin/sh\necho hi\n');
    writeFileSync(join(dir, 'bad-interpreter'), '#!/nonexistent/interpreter\necho hi\n');
    chmodSync(join(dir, 'bad-interpreter'), 0o755);
  });

  it('command not found → 127, naming the command', async () => {
    const r = await runBundle(['run', ...QUICK, '--', 'no-such-command-xyz', 'arg']);
    expect(r.code).toBe(127);
    const line = r.logs.find((l) => l.level >= 50)!;
    expect(line.msg).toMatch(/no-such-command-xyz: command not found/);
    expect(line.msg).toMatch(/interpreter/);
    expect(r.stdout).toBe('');
  });

  it('a script whose interpreter is missing → 127', async () => {
    const r = await runBundle(['run', ...QUICK, '--', join(dir, 'bad-interpreter')]);
    expect(r.code).toBe(127);
  });

  it('not executable → 126', async () => {
    const r = await runBundle(['run', ...QUICK, '--', join(dir, 'not-executable')]);
    expect(r.code).toBe(126);
    expect(r.logs.find((l) => l.level >= 50)!.msg).toMatch(/not executable/);
  });

  it('a directory → 126', async () => {
    const r = await runBundle(['run', ...QUICK, '--', dir]);
    expect(r.code).toBe(126);
  });
});

describe('usage errors: one line on stderr, exit 64, nothing started', () => {
  it.each<[string, string[], Record<string, string>, RegExp]>([
    ['unknown flag', ['run', '--nope', '--', 'true'], {}, /unknown option '--nope'/],
    ['bad duration', ['run', '--shutdown-delay', '5 seconds', '--', 'true'], {}, /--shutdown-delay.*invalid duration/],
    ['bad env duration', ['run', '--', 'true'], { SIDECAR_LIFECYCLE_DRAIN_TIMEOUT: 'soon' }, /SIDECAR_LIFECYCLE_DRAIN_TIMEOUT.*invalid/],
    ['bad choice', ['run', '--mesh', 'consul', '--', 'true'], {}, /Allowed choices are istio, linkerd, envoy/],
    ['bad env choice', ['run', '--', 'true'], { SIDECAR_LIFECYCLE_QUIT_SIDECAR: 'sometimes' }, /SIDECAR_LIFECYCLE_QUIT_SIDECAR/],
    ['bad env boolean', ['run', '--', 'true'], { SIDECAR_LIFECYCLE_DISABLED: 'perhaps' }, /SIDECAR_LIFECYCLE_DISABLED.*not a boolean/],
    ['bad signal', ['run', '--app-signal', 'SIGNOPE', '--', 'true'], {}, /unknown signal/],
    ['uncatchable shutdown signal', ['run', '--shutdown-signal', 'KILL', '--', 'true'], {}, /cannot be caught/],
    ['missing command', ['run', '--disabled'], {}, /run needs a command/],
    ['remote admin URL', ['run', '--admin-url', 'http://10.0.0.1:15000', '--', 'true'], {}, /not a loopback address.*--allow-remote-admin/],
    ['remote ready URL from env', ['run', '--', 'true'], { SIDECAR_LIFECYCLE_READY_URL: 'http://example.com/ready' }, /--ready-url.*not a loopback/],
    ['not a URL', ['run', '--quit-url', 'localhost:15020', '--', 'true'], {}, /--quit-url/],
    ['bad regex', ['run', '--inbound-stat-regex', '([', '--', 'true'], {}, /invalid regular expression/],
    ['unknown command', ['launch'], {}, /unknown command 'launch'/],
    ['wait with a bad timeout', ['wait', '--wait-timeout', 'x'], {}, /--wait-timeout/],
  ])('%s', async (_name, args, env, message) => {
    const r = await runBundle(args, { env });
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sidecar-lifecycle: error: /);
    expect(lines[0]).toMatch(message);
  });

  it('no arguments at all: help on stderr, exit 64', async () => {
    const r = await runBundle([]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/Usage: sidecar-lifecycle/);
  });

  it('a remote URL is accepted with --allow-remote-admin', async () => {
    const r = await runBundle(['run', '--allow-remote-admin', '--admin-url', 'http://10.0.0.1:15000', ...QUICK, '--', 'true']);
    expect(r.code).toBe(0);
  });
});

describe('passthrough', () => {
  it("stdout is exactly the app's bytes, in order; the supervisor writes none", async () => {
    // 2 MiB of numbered lines interleaved with stderr writes and binary bytes.
    const script = `
      const lines = [];
      for (let i = 0; i < 40000; i++) lines.push('line ' + i + ' ' + 'x'.repeat(40));
      process.stdout.write(Buffer.from([0, 1, 2, 255, 10]));
      for (let i = 0; i < lines.length; i += 1000) {
        process.stdout.write(lines.slice(i, i + 1000).join('\\n') + '\\n');
        process.stderr.write('err ' + i + '\\n');
      }`;
    const r = await runBundle(['run', ...sidecar, '--', NODE, '-e', script]);
    expect(r.code).toBe(0);
    const expected = Buffer.concat([Buffer.from([0, 1, 2, 255, 10]), Buffer.from(Array.from({ length: 40000 }, (_, i) => `line ${i} ${'x'.repeat(40)}\n`).join(''))]);
    expect(Buffer.from(r.stdout, 'latin1').length).toBeGreaterThan(0);
    expect(r.stdout).toBe(expected.toString('utf8'));
    const errLines = r.stderr.split('\n').filter((l) => l.startsWith('err '));
    expect(errLines).toEqual(Array.from({ length: 40 }, (_, i) => `err ${i * 1000}`));
  });

  it('passes arguments verbatim, with no shell', async () => {
    const args = ['a b', '$HOME', '*', '"q"', '', '--flag', '-- x'];
    const r = await runBundle(['run', ...QUICK, '--', NODE, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...args]);
    expect(JSON.parse(r.stdout)).toEqual(args);
  });

  it('passes the environment and working directory through', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sl-cwd-'));
    const r = await runBundle(['run', ...QUICK, '--', NODE, '-e', 'console.log(process.env.MY_VAR + " " + process.cwd())'], { env: { MY_VAR: 'hello world' }, cwd });
    expect(r.stdout.trim()).toBe(`hello world ${cwd}`);
  });

  it('an unwritable stderr (full disk) costs log lines, never the supervisor', async () => {
    const { spawn } = await import('node:child_process');
    const { openSync } = await import('node:fs');
    const { BUNDLE } = await import('../helpers/bundle.js');
    const full = openSync('/dev/full', 'w');
    const child = spawn(NODE, [BUNDLE, 'run', '--disabled', '--shutdown-delay', '200ms', '--', 'sh', '-c', 'trap "exit 9" TERM; echo up; sleep 5 & wait'], {
      stdio: ['ignore', 'pipe', full],
    });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(9); // the shutdown ran to the end and the app's code came through
  });

  it('finds the command on PATH', async () => {
    const r = await runBundle(['run', ...QUICK, '--', 'echo', 'from', 'path']);
    expect(r.stdout).toBe('from path\n');
  });

  it('stdin reaches the app', async () => {
    const { spawn } = await import('node:child_process');
    const { BUNDLE } = await import('../helpers/bundle.js');
    const child = spawn(NODE, [BUNDLE, 'run', ...QUICK, '--', 'cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end('piped input\n');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toBe('piped input\n');
  });
});
