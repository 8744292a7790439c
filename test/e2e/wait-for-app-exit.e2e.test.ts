// wait-for-app-exit and its shell one-liner against real listeners in a private network
// namespace (`unshare -n`, loopback up). Each test gets its own namespace: a `sleep` started by
// unshare holds it, and every process of the test joins it with `nsenter --net`.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLE, cleanEnv, NODE, type LogLine } from '../helpers/bundle.js';

const SCRIPT = new URL('../../examples/wait-for-app-exit.sh', import.meta.url);
/** The one-liner: the only line of the script that is neither a comment nor blank. */
const ONE_LINER = readFileSync(SCRIPT, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .join('\n');

function missingTools(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  for (const [tool, args] of [['unshare', ['-n', 'true']], ['nsenter', ['--version']], ['ip', ['-V']]] as const) {
    const r = spawnSync(tool, args, { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `\`${tool} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`}); needs root, util-linux and iproute2`;
  }
  return undefined;
}
const SKIP = missingTools();
// The other-uid case runs Node as nobody: the Node binary must be reachable by that uid too.
const CAN_SETPRIV = !SKIP && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', NODE, '-e', ''], { stdio: 'ignore' }).status === 0;
if (SKIP) console.warn(`wait-for-app-exit namespace tests skipped: ${SKIP}`);
else if (!CAN_SETPRIV) console.warn(`wait-for-app-exit: other-uid case skipped: \`setpriv --reuid=65534 ${NODE}\` cannot run`);

interface Listen {
  host: string;
  port: number;
  ipv6Only?: boolean;
}

// Binds every address, prints "listening", closes and exits on SIGTERM.
const LISTENER = `
const net = require('node:net');
const specs = JSON.parse(process.argv[1]);
let left = specs.length;
const servers = specs.map((s) => net.createServer().listen({ host: s.host, port: s.port, ipv6Only: !!s.ipv6Only }, () => --left === 0 && console.log('listening')));
process.on('SIGTERM', () => servers.forEach((s) => s.close(() => process.exit(0))));
`;

class NetNs {
  private children: ChildProcess[] = [];
  private constructor(private readonly holder: ChildProcess) {}

  static async create(): Promise<NetNs> {
    const holder = spawn('unshare', ['-n', 'sleep', '120'], { stdio: 'ignore' });
    const ns = new NetNs(holder);
    const self = readlinkSync('/proc/self/ns/net');
    // unshare execs sleep in place; the namespace is ready once the pid's link differs from ours.
    for (let i = 0; i < 200 && readlinkSync(ns.path) === self; i++) await sleep(10);
    execFileSync('nsenter', [`--net=${ns.path}`, '--', 'ip', 'link', 'set', 'lo', 'up']);
    return ns;
  }

  get path(): string {
    return `/proc/${this.holder.pid}/ns/net`;
  }

  spawn(cmd: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn('nsenter', [`--net=${this.path}`, '--', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    return child;
  }

  /** Real listeners inside the namespace, as root or (with setpriv) as another uid. */
  async listen(specs: Listen[], uid?: number): Promise<{ close: () => Promise<void> }> {
    const [cmd, args] =
      uid === undefined ? [NODE, ['-e', LISTENER, JSON.stringify(specs)]] : ['setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', NODE, '-e', LISTENER, JSON.stringify(specs)]];
    const child = this.spawn(cmd, args as string[]);
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()).includes('listening') && resolve());
      child.once('exit', (code) => reject(new Error(`listener exited ${code}: ${err}`)));
    });
    return {
      close: async () => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      },
    };
  }

  dispose(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.holder.kill('SIGKILL');
  }
}

interface Waiter {
  exited: Promise<number | null>;
  running: () => boolean;
  /** Resolves once the waiter has certainly seen the listeners. */
  sawListeners: () => Promise<void>;
  logs: () => LogLine[];
}

function watch(child: ChildProcess, sawListeners: (w: Waiter) => Promise<void>): Waiter {
  let err = '';
  let done = false;
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = once(child, 'exit').then(([code]) => ((done = true), code as number | null));
  const w: Waiter = {
    exited,
    running: () => !done,
    logs: () => err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine),
    sawListeners: () => sawListeners(w),
  };
  return w;
}

/** The two implementations under test, same cases. `proxyUid` is what the test's rule ignores. */
const RUNNERS = {
  bundle: (ns: NetNs, proxyUid: number, extra: string[] = [], env: Record<string, string> = {}) =>
    watch(ns.spawn(NODE, [BUNDLE, 'wait-for-app-exit', '--proxy-uid', String(proxyUid), '--poll-interval', '100ms', ...extra], cleanEnv(env)), async (w) => {
      for (let i = 0; i < 200 && !w.logs().some((l) => l.msg === 'waiting for the app to stop listening'); i++) await sleep(50);
      expect(w.logs().map((l) => l.msg)).toContain('waiting for the app to stop listening');
    }),
  // The one-liner checks at once, then every second: still running after a while means it saw them.
  shell: (ns: NetNs, proxyUid: number) =>
    watch(ns.spawn('sh', ['-c', ONE_LINER], { ...process.env, PROXY_UID: String(proxyUid) }), async (w) => {
      await sleep(700);
      expect(w.running()).toBe(true);
    }),
};

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms}ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe.skipIf(SKIP !== undefined)('in a private network namespace', () => {
  let ns: NetNs | undefined;
  afterEach(() => {
    ns?.dispose();
    ns = undefined;
  });

  describe.each(Object.keys(RUNNERS) as (keyof typeof RUNNERS)[])('%s', (runner) => {
    const start = (proxyUid: number) => RUNNERS[runner](ns!, proxyUid);

    // The test runs as root: uid 0 is "the app" unless the case makes it the proxy.
    it.each<[string, Listen[]]>([
      ['IPv4 127.0.0.1', [{ host: '127.0.0.1', port: 8080 }]],
      ['IPv6 ::1 only', [{ host: '::1', port: 8081, ipv6Only: true }]],
      ['dual-stack [::] (listed in tcp6 only)', [{ host: '::', port: 8082 }]],
      ['v4-mapped ::ffff:127.0.0.1', [{ host: '::ffff:127.0.0.1', port: 8083 }]],
      ['an app and the proxy ports', [{ host: '0.0.0.0', port: 8084 }, { host: '0.0.0.0', port: 15006 }, { host: '::', port: 15020 }]],
    ])('%s: waits while the app listens, exits 0 shortly after it closes mid-wait', async (_, listens) => {
      ns = await NetNs.create();
      const app = await ns.listen(listens);
      const waiter = start(1337);
      await waiter.sawListeners();
      expect(waiter.running()).toBe(true);
      await app.close();
      await expect(within(waiter.exited, 5000, 'exit after close')).resolves.toBe(0);
    });

    it.each<[string, Listen[], number]>([
      ['no listener at all', [], 1337],
      ['only the sidecar ports (uid not the proxy)', [{ host: '0.0.0.0', port: 15000 }, { host: '0.0.0.0', port: 15001 }, { host: '::', port: 15020 }, { host: '127.0.0.1', port: 15053 }, { host: '0.0.0.0', port: 15090 }], 1337],
      ['listeners owned by the proxy uid (here: ours)', [{ host: '127.0.0.1', port: 8080 }, { host: '::', port: 8081 }], 0],
    ])('%s: exits 0 at once', async (_, listens, proxyUid) => {
      ns = await NetNs.create();
      if (listens.length > 0) await ns.listen(listens);
      await expect(within(start(proxyUid).exited, 10_000, 'immediate exit')).resolves.toBe(0);
    });

    it.skipIf(!CAN_SETPRIV)('a listener of another uid counts; the proxy uid\'s does not', async () => {
      ns = await NetNs.create();
      await ns.listen([{ host: '0.0.0.0', port: 15006 }, { host: '127.0.0.1', port: 9000 }]); // "the proxy": uid 0
      const app = await ns.listen([{ host: '::', port: 8080 }], 65534);
      const waiter = start(0);
      await waiter.sawListeners();
      if (runner === 'bundle') {
        expect(waiter.logs().find((l) => l.msg === 'waiting for the app to stop listening')).toMatchObject({ listening: ['[::]:8080 (uid 65534)'], proxyUid: 0 });
      }
      await app.close();
      await expect(within(waiter.exited, 5000, 'exit after close')).resolves.toBe(0);
    });
  });

  describe('bundle only', () => {
    it('--timeout: exit 69 after logging what still listens', async () => {
      ns = await NetNs.create();
      await ns.listen([{ host: '127.0.0.1', port: 8080 }, { host: '::', port: 8081 }]);
      const waiter = RUNNERS.bundle(ns, 1337, ['--timeout', '600ms']);
      await expect(within(waiter.exited, 10_000, 'timeout')).resolves.toBe(69);
      const last = waiter.logs().at(-1)!;
      expect(last).toMatchObject({ msg: 'timed out; the app still listens' });
      expect([...(last.listening as string[])].sort()).toEqual(['127.0.0.1:8080 (uid 0)', '[::]:8081 (uid 0)']);
      expect(last.ms).toBeGreaterThanOrEqual(600);
    });

    it('--port: only those ports count, whoever owns them; repeatable', async () => {
      ns = await NetNs.create();
      const app = await ns.listen([{ host: '127.0.0.1', port: 8080 }]);
      await ns.listen([{ host: '0.0.0.0', port: 9090 }]);
      await expect(within(RUNNERS.bundle(ns, 1337, ['--port', '7000', '--port', '7001']).exited, 10_000, 'unwatched')).resolves.toBe(0);
      const waiter = RUNNERS.bundle(ns, 0, ['--port', '7000', '--port', '8080']); // uid 0 is "the proxy", ignored by --port
      await waiter.sawListeners();
      await app.close();
      await expect(within(waiter.exited, 5000, 'exit after close')).resolves.toBe(0);
    });

    it('SIDECAR_LIFECYCLE_PORT takes a comma-separated list; the flag wins', async () => {
      ns = await NetNs.create();
      await ns.listen([{ host: '127.0.0.1', port: 8080 }]);
      const fromEnv = RUNNERS.bundle(ns, 1337, ['--timeout', '300ms'], { SIDECAR_LIFECYCLE_PORT: '7000, 8080' });
      await expect(within(fromEnv.exited, 10_000, 'env ports')).resolves.toBe(69);
      const flagWins = RUNNERS.bundle(ns, 1337, ['--port', '7000'], { SIDECAR_LIFECYCLE_PORT: '8080' });
      await expect(within(flagWins.exited, 10_000, 'flag ports')).resolves.toBe(0);
    });
  });
});

describe('wait-for-app-exit options', () => {
  it.skipIf(!existsSync(BUNDLE))('has them in --help, with their env names', () => {
    const r = spawnSync(NODE, [BUNDLE, 'wait-for-app-exit', '--help'], { encoding: 'utf8', env: cleanEnv() });
    expect(r.status).toBe(0);
    for (const env of ['SIDECAR_LIFECYCLE_PROXY_UID', 'SIDECAR_LIFECYCLE_PORT', 'SIDECAR_LIFECYCLE_POLL_INTERVAL', 'SIDECAR_LIFECYCLE_TIMEOUT', 'SIDECAR_LIFECYCLE_LOG_LEVEL']) {
      expect(r.stdout).toContain(env);
    }
  });

  it.each([
    [['--proxy-uid', 'proxy']],
    [['--proxy-uid', '-1']],
    [['--port', '0']],
    [['--port', '8080,x']],
    [['--poll-interval', '0']],
    [['--timeout', '5x']],
    [['--bogus']],
  ])('%j → exit 64 with one line', (args) => {
    const r = spawnSync(NODE, [BUNDLE, 'wait-for-app-exit', ...args], { encoding: 'utf8', env: cleanEnv() });
    expect(r.status).toBe(64);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a bad env value → exit 64', () => {
    const r = spawnSync(NODE, [BUNDLE, 'wait-for-app-exit'], { encoding: 'utf8', env: cleanEnv({ SIDECAR_LIFECYCLE_PORT: '80,99999' }) });
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('99999');
  });
});

describe('the shell one-liner', () => {
  it('is one line, and the sidecar ports in it are the command\'s', async () => {
    const { PROXY_PORTS } = await import('../../src/wait-app-exit-listeners.js');
    expect(ONE_LINER.split('\n')).toHaveLength(1);
    expect(ONE_LINER).toContain(`"${PROXY_PORTS.join(' ')}"`);
    expect(ONE_LINER).not.toMatch(/netstat/);
  });

  it('the README prints it verbatim, in its Kubernetes section', () => {
    const text = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = text.slice(text.search(/^## Kubernetes/m));
    expect(section).toContain(ONE_LINER);
  });
});
