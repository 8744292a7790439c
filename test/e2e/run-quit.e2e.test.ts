// --quit-sidecar never|always|on-success on every exit path.
import { describe, expect, it } from 'vitest';
import { NODE, runBundle, startBundle } from '../helpers/bundle.js';
import { closedPort, fakeSidecars, type FakeSidecar } from '../helpers/fake-sidecar.js';

const APP = new URL('../fixtures/app.mjs', import.meta.url).pathname;
const fake = fakeSidecars(['--shutdown-delay', '0s']);
const quits = (f: FakeSidecar) => f.calls.filter((c) => c.path === '/quitquitquit');

type Path = 'exit 0' | 'exit 3' | 'not found' | 'wait timeout' | 'signal before start' | 'signal while running';
async function exitBy(path: Path, policy: string) {
  const { f, args } = await fake({ ready: path !== 'wait timeout' && path !== 'signal before start' });
  const all = [...args, '--quit-sidecar', policy, '--wait-timeout', '300ms'];
  let code: number | null;
  if (path === 'signal before start') {
    const p = startBundle(['run', ...all, '--wait-timeout', '0', '--', 'true']);
    await p.waitForLog('waiting for sidecar');
    p.kill('SIGTERM');
    code = (await p.exited).code;
  } else if (path === 'signal while running') {
    const p = startBundle(['run', ...all, '--', NODE, APP]);
    await p.waitForStdout('started');
    p.kill('SIGTERM');
    code = (await p.exited).code;
  } else {
    const command = { 'exit 0': ['true'], 'exit 3': ['sh', '-c', 'exit 3'], 'not found': ['no-such-binary-q'], 'wait timeout': ['true'] }[path];
    code = (await runBundle(['run', ...all, '--', ...command])).code;
  }
  return { code, quitCalls: quits(f).length, f };
}

describe('--quit-sidecar', () => {
  it.each<[Path, number, { never: number; always: number; 'on-success': number }]>([
    ['exit 0', 0, { never: 0, always: 1, 'on-success': 1 }],
    ['exit 3', 3, { never: 0, always: 1, 'on-success': 0 }],
    ['not found', 127, { never: 0, always: 1, 'on-success': 0 }],
    ['wait timeout', 69, { never: 0, always: 1, 'on-success': 0 }],
    ['signal before start', 143, { never: 0, always: 1, 'on-success': 0 }],
    ['signal while running', 0, { never: 0, always: 1, 'on-success': 1 }],
  ])('%s → exit %d; quit calls per policy %j', async (path, code, expected) => {
    for (const policy of ['never', 'always', 'on-success'] as const) {
      const r = await exitBy(path, policy);
      expect({ policy, code: r.code, quits: r.quitCalls }).toEqual({ policy, code, quits: expected[policy] });
      if (r.quitCalls) expect(r.f.calls.find((c) => c.path === '/quitquitquit')!.method).toBe('POST');
    }
  });

  it('the quit comes after the app has exited', async () => {
    const { f, args } = await fake();
    const r = await runBundle(['run', ...args, '--quit-sidecar', 'always', '--', 'sh', '-c', 'sleep 0.2']);
    const logs = r.logs.map((l) => l.msg);
    expect(logs.indexOf('app exited')).toBeLessThan(logs.indexOf('sidecar quit'));
    expect(quits(f)).toHaveLength(1);
  });

  it.each([
    ['answers 500', { quitMode: 'error' as const }, /HTTP 500/],
    ['hangs', { quitMode: 'hang' as const }, /no answer within 300ms/],
  ])('a quit that %s is logged, not fatal, and bounded', async (_name, init, error) => {
    const { args } = await fake(init);
    const start = Date.now();
    const r = await runBundle(['run', ...args, '--quit-sidecar', 'always', '--request-timeout', '300ms', '--', 'sh', '-c', 'exit 4']);
    expect(r.code).toBe(4);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(r.logs.find((l) => l.msg === 'sidecar quit failed')!.error).toMatch(error);
  });

  it('a quit URL with nothing behind it is logged, not fatal', async () => {
    const { args } = await fake();
    const r = await runBundle(['run', ...args, '--quit-url', `${await closedPort()}/quitquitquit`, '--quit-sidecar', 'always', '--', 'true']);
    expect(r.code).toBe(0);
    expect(r.logs.find((l) => l.msg === 'sidecar quit failed')!.error).toMatch(/ECONNREFUSED/);
  });

  it('--mesh linkerd posts /shutdown', async () => {
    const { f } = await fake();
    const r = await runBundle(['run', '--mesh', 'linkerd', '--ready-url', `${f.url}/ready`, '--quit-url', `${f.url}/shutdown`, '--quit-sidecar', 'always', '--', 'true']);
    expect(r.code).toBe(0);
    expect(f.paths()).toEqual(['/ready', '/shutdown']);
  });
});
