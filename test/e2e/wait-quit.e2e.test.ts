// The small commands: `wait` and `quit`.
import { describe, expect, it } from 'vitest';
import { runBundle, startBundle } from '../helpers/bundle.js';
import { closedPort, fakeSidecars } from '../helpers/fake-sidecar.js';

const sidecars = fakeSidecars();
const fake = async (init: Parameters<ReturnType<typeof fakeSidecars>>[0] = {}) => (await sidecars(init)).f;

describe('wait', () => {
  it('exits 0 once ready', async () => {
    const f = await fake({ ready: false });
    const p = startBundle(['wait', '--ready-url', `${f.url}/healthz/ready`, '--poll-interval', '50ms']);
    await new Promise((r) => setTimeout(r, 300));
    f.ready = true;
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    expect(p.stdout()).toBe('');
    expect(p.logs().find((l) => l.msg === 'sidecar ready')).toBeDefined();
  });

  it('exits 69 on timeout', async () => {
    const f = await fake({ ready: false });
    const r = await runBundle(['wait', '--ready-url', `${f.url}/healthz/ready`, '--wait-timeout', '300ms']);
    expect(r.code).toBe(69);
  });

  it('exits 143 on SIGTERM', async () => {
    const f = await fake({ ready: false });
    const p = startBundle(['wait', '--ready-url', `${f.url}/healthz/ready`]);
    await p.waitForLog('waiting for sidecar');
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(143);
  });

  it('disabled: exits 0 without a call', async () => {
    const f = await fake({ ready: false });
    const r = await runBundle(['wait', '--disabled', '--ready-url', `${f.url}/healthz/ready`]);
    expect(r.code).toBe(0);
    expect(f.calls).toEqual([]);
  });
});

describe('quit', () => {
  it('exits 0 on 2xx, after a POST', async () => {
    const f = await fake();
    const r = await runBundle(['quit', '--quit-url', `${f.url}/quitquitquit`]);
    expect(r.code).toBe(0);
    expect(f.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /quitquitquit']);
  });

  it.each([
    ['answers 404', { quitStatus: 404 }],
    ['answers 500', { quitMode: 'error' as const }],
    ['hangs', { quitMode: 'hang' as const }],
  ])('exits 69 when it %s', async (_name, init) => {
    const f = await fake(init);
    const r = await runBundle(['quit', '--quit-url', `${f.url}/quitquitquit`, '--request-timeout', '300ms']);
    expect(r.code).toBe(69);
  });

  it('exits 69 when unreachable', async () => {
    const r = await runBundle(['quit', '--quit-url', `${await closedPort()}/quitquitquit`]);
    expect(r.code).toBe(69);
  });
});
