// `plan` on the bundle: same options as run (flags, env, presets), chart on stdout, --check exit code;
// and run's one startup warning when --grace-period is given.
import { describe, expect, it } from 'vitest';
import { runBundle } from '../helpers/bundle.js';

describe('plan', () => {
  it('prints the chart and the warnings on stdout, nothing on stderr, exit 0 without --check', async () => {
    const r = await runBundle(['plan']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('grace period 30s (Kubernetes default)');
    for (const label of ['drain call', 'shutdown delay', 'drain window', 'app stop', 'istio-proxy', 'kubelet SIGKILL']) expect(r.stdout).toContain(`  ${label}`);
    expect(r.stdout).toMatch(/^WARNING: the Istio proxy exits at 5s/m);
  });

  it.each<[string, string[], Record<string, string>, number]>([
    ['defaults do not fit', ['--check'], {}, 1],
    ['native sidecars fit', ['--check', '--proxy-hold', 'native'], {}, 0],
    ['terminationDrainDuration covering the app fits', ['--check', '--proxy-drain-duration', '25s'], {}, 0],
    ['prestop hold with a short stop timeout fits', ['--check', '--proxy-hold', 'prestop', '--stop-timeout', '5s'], {}, 0],
    ['drain + stop beyond the grace period', ['--check', '--proxy-hold', 'native', '--grace-period', '20s'], {}, 1],
    ['all from env', [], { SIDECAR_LIFECYCLE_CHECK: 'true', SIDECAR_LIFECYCLE_PROXY_HOLD: 'native', SIDECAR_LIFECYCLE_GRACE_PERIOD: '25s' }, 0],
    ['env check, env grace too short', [], { SIDECAR_LIFECYCLE_CHECK: '1', SIDECAR_LIFECYCLE_PROXY_HOLD: 'native', SIDECAR_LIFECYCLE_GRACE_PERIOD: '20s' }, 1],
    ['the flag wins over env', ['--grace-period', '60s'], { SIDECAR_LIFECYCLE_CHECK: 'yes', SIDECAR_LIFECYCLE_PROXY_HOLD: 'native', SIDECAR_LIFECYCLE_GRACE_PERIOD: '20s' }, 0],
    ['SIDECAR_LIFECYCLE_CHECK=false', [], { SIDECAR_LIFECYCLE_CHECK: 'false' }, 0],
    ['bad duration', ['--grace-period', '5x'], {}, 64],
    ['bad hold', ['--proxy-hold', 'sometimes'], {}, 64],
    ['bad check env', [], { SIDECAR_LIFECYCLE_CHECK: 'maybe' }, 64],
    ['unknown flag', ['--bogus'], {}, 64],
  ])('%s → exit %#', async (_, args, env, code) => {
    const r = await runBundle(['plan', ...args], { env });
    expect(r.code).toBe(code);
    if (code === 64) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('uses the mesh preset', async () => {
    const r = await runBundle(['plan', '--mesh', 'linkerd']);
    expect(r.stdout).toContain('GET http://127.0.0.1:4191/ready');
    expect(r.stdout).not.toContain('drain window');
  });
});

describe('run --grace-period', () => {
  const warnings = (logs: { level: number; msg: string }[]) => logs.filter((l) => l.level === 40 && /grace period/.test(l.msg));

  it('logs the timeline warning once at startup', async () => {
    const r = await runBundle(['run', '--disabled', '--grace-period', '10s', '--', 'sh', '-c', 'exit 0']);
    expect(r.code).toBe(0);
    expect(warnings(r.logs)).toHaveLength(1);
    expect(warnings(r.logs)[0]!.msg).toMatch(/15s > grace period 10s/);
  });

  it('says nothing without --grace-period, or when it fits', async () => {
    for (const extra of [[], ['--grace-period', '30s']]) {
      const r = await runBundle(['run', '--disabled', ...extra, '--', 'sh', '-c', 'exit 0']);
      expect(r.code).toBe(0);
      expect(r.logs.filter((l) => l.level === 40)).toEqual([]);
    }
  });
});

describe('README.md (Kubernetes section)', () => {
  it("shows plan's real output for the HTTP example and for the defaults", async () => {
    const { readFileSync } = await import('node:fs');
    const docs = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const env = { SIDECAR_LIFECYCLE_DRAIN_METHOD: 'healthcheck-fail', SIDECAR_LIFECYCLE_SHUTDOWN_DELAY: '10s', SIDECAR_LIFECYCLE_DRAIN_TIMEOUT: '45s', SIDECAR_LIFECYCLE_STOP_TIMEOUT: '20s' };
    const http = await runBundle(['plan', '--grace-period', '75s', '--proxy-hold', 'prestop', '--proxy-drain-duration', '20s'], { env });
    expect(docs).toContain(http.stdout.trimEnd());
    const defaults = await runBundle(['plan']);
    expect(docs).toContain(defaults.stdout.slice(defaults.stdout.indexOf('shutdown (')).trimEnd());
  });
});
