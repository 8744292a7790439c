// `sidecar-lifecycle fake-envoy`: a local Envoy + pilot-agent (or Linkerd proxy) that behaves like
// the real one, for trying `run` without a cluster and for our end-to-end tests. This file only
// turns flags and env into FakeOptions; the fake itself is in src/fake/.
import type { Command, OptionValues } from 'commander';
import { LOG_LEVELS, toCommanderOption, type OptionSpec } from '../cli-options.js';
import { execute, optionValue } from '../cli-support.js';
import { formatDuration, parseDuration } from '../duration.js';
import { startFake, type FakeHandle } from '../fake/index.js';
import { FAKE_DEFAULTS, FAKE_MESHES, type FakeOptions } from '../fake/options.js';
import { VERSION } from '../version.js';

type Spec = OptionSpec & { key: string };

// `never`, `off`, `none`: commander turns a parsed null into '', so "unset" needs its own value.
const NONE = Symbol('none');

const port = (value: string) => {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535) throw new Error(`invalid port "${value}" (0-65535; 0 picks a free port)`);
  return Number(value);
};
const portOrOff = (value: string) => (value.trim() === 'off' ? NONE : port(value));
const duration = (value: string) => parseDuration(value);
const positiveDuration = (value: string) => {
  const ms = parseDuration(value);
  if (ms <= 0) throw new Error(`"${value}" must be longer than 0`);
  return ms;
};
const durationOrNever = (value: string) => (value.trim() === 'never' ? NONE : parseDuration(value));
const positive = (value: string) => {
  if (!/^[1-9]\d*$/.test(value.trim())) throw new Error(`"${value}" is not a positive integer`);
  return Number(value);
};
const httpStatus = (value: string) => {
  if (value.trim() === 'none') return NONE;
  if (!/^[1-5]\d\d$/.test(value.trim())) throw new Error(`"${value}" is not an HTTP status (100-599) or none`);
  return Number(value);
};
const d = formatDuration;
const D = FAKE_DEFAULTS;

export const FAKE_ENVOY_OPTIONS: Spec[] = [
  { name: 'mesh', key: 'mesh', arg: 'name', choices: FAKE_MESHES, description: 'istio: Envoy + pilot-agent; envoy: Envoy alone; linkerd: the Linkerd proxy on :4191', defaultText: D.mesh },
  { name: 'admin-address', key: 'adminAddress', arg: 'ip', description: 'Envoy admin bind address', defaultText: D.adminAddress },
  { name: 'admin-port', key: 'adminPort', arg: 'port', parse: port, description: 'Envoy admin port', defaultText: '15000 (envoy: 9901)' },
  { name: 'pilot-agent-address', key: 'pilotAgentAddress', arg: 'ip', description: 'pilot-agent bind address (:: is dual-stack)', defaultText: D.pilotAgentAddress },
  { name: 'pilot-agent-port', key: 'pilotAgentPort', arg: 'port', parse: port, description: 'pilot-agent status port', defaultText: String(D.pilotAgentPort) },
  { name: 'listener-address', key: 'listenerAddress', arg: 'ip', description: 'bind address of the inbound, outbound, health and TCP listeners', defaultText: D.listenerAddress },
  { name: 'inbound-port', key: 'inboundPort', arg: 'port', parse: port, description: 'inbound listener, proxied to the app', defaultText: '15006 (linkerd: 4143)' },
  { name: 'outbound-port', key: 'outboundPort', arg: 'port', parse: port, description: 'outbound listener, proxied to the request host', defaultText: '15001 (linkerd: 4140)' },
  { name: 'health-port', key: 'healthPort', arg: 'port', parse: port, description: 'Envoy health listener forwarding /healthz/ready to pilot-agent (istio only)', defaultText: String(D.healthPort) },
  { name: 'tcp-port', key: 'tcpPort', arg: 'port|off', parse: portOrOff, description: 'raw TCP passthrough listener to the app (never drain-closed)', defaultText: 'off' },
  { name: 'linkerd-admin-address', key: 'linkerdAdminAddress', arg: 'ip', description: 'Linkerd admin bind address', defaultText: D.linkerdAdminAddress },
  { name: 'linkerd-admin-port', key: 'linkerdAdminPort', arg: 'port', parse: port, description: 'Linkerd admin port', defaultText: String(D.linkerdAdminPort) },
  { name: 'app-host', key: 'appHost', arg: 'host', description: 'where the inbound listener sends requests', defaultText: D.appHost },
  { name: 'app-port', key: 'appPort', arg: 'port', parse: port, description: "the app's port", defaultText: String(D.appPort) },
  { name: 'init-start-after', key: 'initStartAfterMs', arg: 'duration', parse: duration, description: 'time in PRE_INITIALIZING before INITIALIZING', defaultText: d(D.initStartAfterMs) },
  { name: 'ready-after', key: 'readyAfterMs', arg: 'duration|never', parse: durationOrNever, description: 'time until xDS config arrives (linkerd: until identity is certified); never: it never does', defaultText: d(D.readyAfterMs!) },
  { name: 'reject-config', key: 'rejectConfig', description: 'reject the xDS config (update_rejected > 0; pilot-agent never ready)', defaultText: 'false' },
  { name: 'stats-flush-interval', key: 'statsFlushIntervalMs', arg: 'duration', parse: positiveDuration, description: 'stats flush period: when server.state and server.total_connections update', defaultText: d(D.statsFlushIntervalMs) },
  { name: 'drain-time', key: 'drainTimeMs', arg: 'duration', parse: duration, description: "Envoy's --drain-time-s (Istio drainDuration)", defaultText: d(D.drainTimeMs) },
  { name: 'drain-strategy', key: 'drainStrategy', arg: 'strategy', choices: ['immediate', 'gradual'], description: "Envoy's --drain-strategy", defaultText: D.drainStrategy },
  { name: 'drain-model', key: 'drainModel', arg: 'model', choices: ['classic', 'directional', 'pr47042'], description: '/drain_listeners semantics: before PR #37873, from #37873 (~1.34), or after #47042', defaultText: D.drainModel },
  { name: 'concurrency', key: 'concurrency', arg: 'n', parse: positive, description: 'worker count (per-worker stats)', defaultText: String(D.concurrency) },
  { name: 'termination-drain-duration', key: 'terminationDrainDurationMs', arg: 'duration', parse: duration, description: "pilot-agent's wait after SIGTERM before killing Envoy", defaultText: d(D.terminationDrainDurationMs) },
  { name: 'exit-on-zero-active-connections', key: 'exitOnZeroActiveConnections', description: 'pilot-agent polls active connections instead of the fixed wait', defaultText: 'false' },
  { name: 'minimum-drain-duration', key: 'minimumDrainDurationMs', arg: 'duration', parse: duration, description: 'first wait of the zero-connections loop', defaultText: d(D.minimumDrainDurationMs) },
  { name: 'agent-quit', key: 'agentQuit', arg: 'mode', choices: ['immediate', 'legacy'], description: 'pilot-agent /quitquitquit: kill Envoy at once (Istio >= 1.21) or drain like SIGTERM (older)', defaultText: D.agentQuit },
  { name: 'linkerd-shutdown-endpoint', key: 'linkerdShutdownEndpoint', description: 'enable Linkerd POST /shutdown (LINKERD2_PROXY_SHUTDOWN_ENDPOINT_ENABLED)', defaultText: 'false' },
  { name: 'shutdown-grace-period', key: 'shutdownGracePeriodMs', arg: 'duration', parse: duration, description: 'Linkerd drain bound after SIGTERM or /shutdown', defaultText: d(D.shutdownGracePeriodMs) },
  { name: 'admin-hang', key: 'faults.adminHang', description: 'failure: admin accepts requests and never answers', defaultText: 'false' },
  { name: 'stats-delay', key: 'faults.statsDelayMs', arg: 'duration', parse: duration, description: 'failure: slow /stats answers', defaultText: '0s' },
  { name: 'stats-status', key: 'faults.statsStatus', arg: 'status|none', parse: httpStatus, description: 'failure: /stats answers with this status (e.g. 503)', defaultText: 'none' },
  { name: 'faults-after', key: 'faults.afterMs', arg: 'duration', parse: duration, description: 'failures start this long after start (so readiness can pass first)', defaultText: '0s' },
  { name: 'process-title', key: 'processTitle', arg: 'name', description: 'process name shown by ps and netstat -p', defaultText: 'envoy (linkerd: linkerd2-proxy)' },
  { name: 'log-level', key: 'logLevel', arg: 'level', choices: LOG_LEVELS, description: 'log level', defaultText: 'info' },
];

/** Flag, else env, else default (left to FAKE_DEFAULTS). */
function collect(values: OptionValues, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of FAKE_ENVOY_OPTIONS) {
    const value = optionValue(spec, values, env);
    if (value !== undefined) out[spec.key] = value === NONE ? undefined : value;
  }
  return out;
}

function toFakeOptions(values: Record<string, unknown>): FakeOptions {
  const options: FakeOptions = { ...FAKE_DEFAULTS, faults: { ...FAKE_DEFAULTS.faults }, version: VERSION };
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith('faults.')) (options.faults as unknown as Record<string, unknown>)[key.slice(7)] = value;
    else if (key in options) (options as unknown as Record<string, unknown>)[key] = value;
  }
  return options;
}

export function registerFakeEnvoy(program: Command, env: NodeJS.ProcessEnv): void {
  const cmd = program
    .command('fake-envoy')
    .description('run a local fake Envoy + pilot-agent (or Linkerd proxy) for trying and testing without a cluster');
  for (const spec of FAKE_ENVOY_OPTIONS) cmd.addOption(toCommanderOption(spec));
  cmd.action(async (values: OptionValues) => {
    const collected = collect(values, env);
    const options = toFakeOptions(collected);
    const logLevel = (collected.logLevel as string | undefined) ?? 'info';
    await execute(async (log) => {
      // netstat -p shows argv[0]'s basename: make it the real sidecar's.
      process.title = (collected.processTitle as string | undefined) ?? (options.mesh === 'linkerd' ? 'linkerd2-proxy' : 'envoy');
      // Trap signals before the ports are announced; one that arrives while starting waits its turn.
      let handle: FakeHandle | undefined;
      const early: NodeJS.Signals[] = [];
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => (handle ? handle.signal(signal) : early.push(signal)));
      try {
        handle = await startFake(options, log);
      } catch (error) {
        log.fatal({ error: (error as Error).message }, 'cannot start fake envoy');
        return 1;
      }
      for (const signal of early) handle.signal(signal);
      return handle.exited;
    }, logLevel, 'fake-envoy');
  });
}
