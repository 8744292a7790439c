// Where options come from: flag over env over mesh preset over default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../helpers/bundle.js';
import { startFakeSidecar, type FakeSidecar } from '../helpers/fake-sidecar.js';

let a: FakeSidecar;
let b: FakeSidecar;
beforeAll(async () => {
  [a, b] = await Promise.all([startFakeSidecar(), startFakeSidecar()]);
});
afterAll(async () => Promise.all([a.close(), b.close()]));
const reset = () => {
  a.calls.length = 0;
  b.calls.length = 0;
};

describe('configuration precedence', () => {
  it('env overrides the default', async () => {
    reset();
    const r = await runBundle(['run', '--', 'true'], { env: { SIDECAR_LIFECYCLE_READY_URL: `${a.url}/healthz/ready` } });
    expect(r.code).toBe(0);
    expect(a.paths()).toEqual(['/healthz/ready']);
  });

  it('the flag overrides env', async () => {
    reset();
    const r = await runBundle(['run', '--ready-url', `${b.url}/healthz/ready`, '--', 'true'], { env: { SIDECAR_LIFECYCLE_READY_URL: `${a.url}/healthz/ready` } });
    expect(r.code).toBe(0);
    expect(a.calls).toEqual([]);
    expect(b.paths()).toEqual(['/healthz/ready']);
  });

  it('env sets every kind of value: choices, booleans, levels; each flag beats its env', async () => {
    reset();
    const env = {
      SIDECAR_LIFECYCLE_READY_URL: `${a.url}/healthz/ready`,
      SIDECAR_LIFECYCLE_QUIT_URL: `${a.url}/quitquitquit`,
      SIDECAR_LIFECYCLE_QUIT_SIDECAR: 'always',
      SIDECAR_LIFECYCLE_LOG_LEVEL: 'warn',
      SIDECAR_LIFECYCLE_DISABLED: 'false',
    };
    const r = await runBundle(['run', '--', 'true'], { env });
    expect(a.paths()).toEqual(['/healthz/ready', '/quitquitquit']);
    expect(r.logs).toEqual([]); // warn level: nothing to say
    reset();
    const r2 = await runBundle(['run', '--quit-sidecar', 'never', '--log-level', 'info', '--disabled', '--', 'true'], { env });
    expect(a.calls).toEqual([]);
    expect(r2.logs.map((l) => l.msg)).toContain('app exited');
  });

  it('env sets durations; the flag beats it', async () => {
    a.ready = false;
    try {
      const env = { SIDECAR_LIFECYCLE_READY_URL: `${a.url}/healthz/ready`, SIDECAR_LIFECYCLE_WAIT_TIMEOUT: '300ms' };
      const r = await runBundle(['run', '--', 'true'], { env });
      expect(r.code).toBe(69);
      expect(r.logs.find((l) => l.msg === 'waiting for sidecar')).toMatchObject({ timeoutMs: 300 });
      const r2 = await runBundle(['run', '--wait-timeout', '1s', '--', 'true'], { env });
      expect(r2.logs.find((l) => l.msg === 'waiting for sidecar')).toMatchObject({ timeoutMs: 1000 });
    } finally {
      a.ready = true;
    }
  });

  it('--mesh envoy derives ready and quit URLs from the admin URL', async () => {
    reset();
    const r = await runBundle(['run', '--mesh', 'envoy', '--admin-url', a.url, '--quit-sidecar', 'always', '--', 'true']);
    expect(r.code).toBe(0);
    expect(a.paths()).toEqual(['/ready', '/quitquitquit']);
  });

  it('the mesh can come from env', async () => {
    reset();
    const r = await runBundle(['run', '--admin-url', a.url, '--', 'true'], { env: { SIDECAR_LIFECYCLE_MESH: 'envoy' } });
    expect(r.code).toBe(0);
    expect(a.paths()).toEqual(['/ready']);
  });
});
