// Every YAML in examples/ parses, and every pod in it passes `plan --check` with the options it
// actually uses: the app container's SIDECAR_LIFECYCLE_* env and run flags (ENTRYPOINT from
// examples/Dockerfile + args, or its own command), terminationGracePeriodSeconds, the proxy hold
// the pod configures and Istio's terminationDrainDuration from its annotation.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseDuration } from '../../src/duration.js';
import { runBundle } from '../helpers/bundle.js';

const DIR = new URL('../../examples/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DIR), 'utf8');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const ONE_LINER = read('wait-for-app-exit.sh')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .join('\n');

/** The Dockerfile's ENTRYPOINT: what runs when a container sets only `args`. */
const ENTRYPOINT = JSON.parse(/^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(read('Dockerfile'))![1]!) as string[];

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
  restartPolicy?: string;
}
interface PodTemplate {
  metadata?: { annotations?: Record<string, string> };
  spec: { terminationGracePeriodSeconds?: number; containers: Container[]; initContainers?: Container[] };
}

function podTemplate(doc: Record<string, unknown>): PodTemplate | undefined {
  const spec = doc.spec as Record<string, unknown> | undefined;
  if (doc.kind === 'Pod') return doc as unknown as PodTemplate;
  if (doc.kind === 'CronJob') return ((spec?.jobTemplate as Record<string, unknown>)?.spec as Record<string, unknown>)?.template as PodTemplate;
  return spec?.template as PodTemplate | undefined;
}

const usesTool = (c: Container) => (c.env ?? []).some((e) => e.name.startsWith('SIDECAR_LIFECYCLE_')) || [...(c.command ?? []), ...(c.args ?? [])].some((a) => a.includes('sidecar-lifecycle'));

/** run's flags in the container's argv: after `sidecar-lifecycle run`, up to `--`. */
function runFlags(c: Container): string[] {
  const argv = [...(c.command ?? ENTRYPOINT), ...(c.args ?? [])];
  const tool = argv.findIndex((a) => /(^|\/)sidecar-lifecycle(\.mjs)?$/.test(a));
  expect(tool, `${c.name}: sidecar-lifecycle in ${JSON.stringify(argv)}`).toBeGreaterThanOrEqual(0);
  expect(argv[tool + 1], `${c.name}: runs \`sidecar-lifecycle run\``).toBe('run');
  const end = argv.indexOf('--', tool);
  return argv.slice(tool + 2, end < 0 ? undefined : end);
}

/** What the pod does to keep its proxy alive, from the manifest alone. */
function proxyHold(pod: PodTemplate): 'none' | 'prestop' | 'native' {
  const annotations = pod.metadata?.annotations ?? {};
  const nativeInit = (pod.spec.initContainers ?? []).some((c) => c.name === 'istio-proxy' && c.restartPolicy === 'Always');
  if (annotations['sidecar.istio.io/nativeSidecar'] === 'true' || nativeInit) return 'native';
  const proxy = pod.spec.containers.find((c) => c.name === 'istio-proxy');
  return proxy?.lifecycle?.preStop ? 'prestop' : 'none';
}

function terminationDrainDuration(pod: PodTemplate): string | undefined {
  const config = pod.metadata?.annotations?.['proxy.istio.io/config'];
  return config === undefined ? undefined : ((parse(config) as { terminationDrainDuration?: string }).terminationDrainDuration ?? undefined);
}

const docs = (file: string) => {
  const all = parseAllDocuments(read(file));
  return (Array.isArray(all) ? all : [all]).map((d) => {
    expect(d.errors, `${file}: YAML errors`).toEqual([]);
    return d.toJS() as Record<string, unknown>;
  });
};

describe('examples/', () => {
  it('has the manifests the README promises', () => {
    expect(FILES).toEqual(expect.arrayContaining(['http-deployment.yaml', 'grpc-deployment.yaml', 'job.yaml', 'native-sidecar-deployment.yaml', 'istio-injector-values.yaml']));
    expect(ENTRYPOINT).toEqual(['/usr/bin/tini', '--', 'sidecar-lifecycle', 'run', '--']);
  });

  const pods = FILES.flatMap((file) =>
    docs(file)
      .map((doc) => ({ file, name: `${file} ${String(doc.kind)}/${String((doc.metadata as { name?: string })?.name)}`, pod: podTemplate(doc) }))
      .filter((p): p is { file: string; name: string; pod: PodTemplate } => p.pod !== undefined),
  );

  it('every manifest with a pod uses sidecar-lifecycle', () => {
    const withPods = new Set(pods.map((p) => p.file));
    expect([...withPods].sort()).toEqual(FILES.filter((f) => f !== 'istio-injector-values.yaml'));
  });

  describe.each(pods)('$name', ({ pod }) => {
    const apps = pod.spec.containers.filter(usesTool);

    it('has an app container under sidecar-lifecycle, with a `drain` preStop if any', () => {
      expect(apps.length).toBeGreaterThan(0);
      for (const app of apps) {
        const preStop = app.lifecycle?.preStop?.exec?.command;
        if (preStop) expect(preStop).toEqual(['sidecar-lifecycle', 'drain']);
      }
    });

    it('wires the istio-proxy preStop to the shell one-liner, verbatim', () => {
      const proxy = pod.spec.containers.find((c) => c.name === 'istio-proxy');
      if (!proxy?.lifecycle?.preStop) return;
      expect(proxy.lifecycle.preStop.exec?.command).toEqual(['/bin/sh', '-c', ONE_LINER]);
    });

    it.each(apps.map((a) => [a.name, a] as const))('%s: passes plan --check with its options', async (_, app) => {
      const env: Record<string, string> = {};
      for (const e of app.env ?? []) {
        if (!e.name.startsWith('SIDECAR_LIFECYCLE_')) continue;
        expect(e.valueFrom, `${e.name}: literal values only, so the test sees them`).toBeUndefined();
        env[e.name] = String(e.value);
      }
      // What the pod does, passed as flags (they win over env); env that says otherwise is a bug.
      const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
      const hold = proxyHold(pod);
      const drain = terminationDrainDuration(pod);
      if (env.SIDECAR_LIFECYCLE_GRACE_PERIOD) expect(parseDuration(env.SIDECAR_LIFECYCLE_GRACE_PERIOD)).toBe(grace * 1000);
      if (env.SIDECAR_LIFECYCLE_PROXY_HOLD) expect(env.SIDECAR_LIFECYCLE_PROXY_HOLD).toBe(hold);
      if (env.SIDECAR_LIFECYCLE_PROXY_DRAIN_DURATION) expect(parseDuration(env.SIDECAR_LIFECYCLE_PROXY_DRAIN_DURATION)).toBe(parseDuration(drain ?? '5s'));
      const flags = [...runFlags(app), '--grace-period', `${grace}s`, '--proxy-hold', hold, ...(drain ? ['--proxy-drain-duration', drain] : [])];

      const r = await runBundle(['plan', '--check', ...flags], { env });
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain('fits: no warnings');
    });
  });

  describe('istio-injector-values.yaml', () => {
    const values = docs('istio-injector-values.yaml')[0] as {
      global: { proxy: { lifecycle: { preStop: { exec: { command: string[] } } } } };
      meshConfig: { defaultConfig: { terminationDrainDuration: string } };
    };

    it('wires the one-liner mesh-wide', () => {
      expect(values.global.proxy.lifecycle.preStop.exec.command).toEqual(['/bin/sh', '-c', ONE_LINER]);
    });

    it("run's defaults pass plan --check with it", async () => {
      const r = await runBundle(['plan', '--check', '--proxy-hold', 'prestop', '--proxy-drain-duration', values.meshConfig.defaultConfig.terminationDrainDuration]);
      expect(r.code, r.stdout).toBe(0);
    });
  });
});
