// Spawns the built bundle the way a container runtime would, and reads its JSON logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE = fileURLToPath(new URL('../../dist/sidecar-lifecycle.mjs', import.meta.url));
/** The Node that runs the bundle: the pinned one by default; CI also sets Node 22 (the floor). */
export const NODE = process.env.SL_TEST_NODE ?? process.execPath;

export interface LogLine {
  level: number;
  msg: string;
  time: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BundleProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  logs(): LogLine[];
  /** Resolves with the first log line whose msg matches. */
  waitForLog(msg: string | RegExp, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when stdout contains the text. */
  waitForStdout(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Environment without any SIDECAR_LIFECYCLE_* from the outer shell, plus `env`. Each process gets
 * its own control socket, so parallel tests never meet at the default path.
 */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIDECAR_LIFECYCLE_')));
  const socket = join(tmpdir(), `sl-test-${process.pid}-${++sockets}`, 'control.sock');
  return { ...base, SIDECAR_LIFECYCLE_CONTROL_SOCKET: socket, ...env };
}
let sockets = 0;

// Every bundle process a test starts, so a failed test cannot leave one running (see test/setup.ts).
const live = new Set<BundleProcess>();

/** Kills what tests left running: each app's process group (it runs in its own), then the bundle. */
export function killLeftovers(): void {
  for (const p of live) {
    const started = p.logs().find((l) => l.msg === 'app started');
    if (typeof started?.pid === 'number') {
      try {
        process.kill(-started.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    p.child.kill('SIGKILL');
  }
  live.clear();
}

export function startBundle(args: string[], opts: { env?: Record<string, string>; cwd?: string; stdin?: 'ignore' | 'pipe' } = {}): BundleProcess {
  const child = spawn(NODE, [BUNDLE, ...args], {
    env: cleanEnv(opts.env),
    cwd: opts.cwd,
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((out += d), notify()));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => ((err += d), notify()));
  // 'close', not 'exit': after 'exit' the last stderr lines can still be in the pipe.
  const exited = once(child, 'close').then(([code, signal]) => ({ code, signal }) as Exit);
  const logs = () =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  const until = <T>(probe: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; stderr so far:\n${err}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const proc: BundleProcess = {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    logs,
    waitForLog: (msg, timeoutMs = 10_000) =>
      until(() => logs().find((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg))), `log "${msg}"`, timeoutMs),
    waitForStdout: (text, timeoutMs = 10_000) => until(() => (out.includes(text) ? true : undefined), `stdout "${text}"`, timeoutMs).then(() => undefined),
    exited,
    kill: (signal) => child.kill(signal),
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** Runs the bundle to completion. */
export async function runBundle(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  const p = startBundle(args, opts);
  const exit = await p.exited;
  return { ...exit, stdout: p.stdout(), stderr: p.stderr(), logs: p.logs() };
}
