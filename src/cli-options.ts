// Every option once: its flag, help, parser and default text. Each also reads
// SIDECAR_LIFECYCLE_<NAME>; the flag wins. Pure data plus parsers, no I/O.
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULTS, DRAIN_METHODS, MESHES, PROXY_HOLDS, QUIT_POLICIES, WAIT_TIMEOUT_ACTIONS, type ConfigInput } from './config.js';
import { formatDuration, parseDuration } from './duration.js';
import { parseCatchableSignal, parseSignal } from './signal-names.js';

export const ENV_PREFIX = 'SIDECAR_LIFECYCLE_';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface OptionSpec {
  /** Long flag without dashes, e.g. `poll-interval`. */
  name: string;
  /** The Config field it fills (commands with their own options may use other keys). */
  key: keyof ConfigInput | (string & {});
  arg?: string;
  description: string;
  defaultText: string;
  parse?: (value: string) => unknown;
  choices?: readonly string[];
}

export const envName = (name: string) => ENV_PREFIX + name.toUpperCase().replaceAll('-', '_');

const duration = (value: string) => parseDuration(value);
const d = (ms: number) => formatDuration(ms);

const SPECS = {
  mesh: { name: 'mesh', key: 'mesh', arg: 'name', choices: MESHES, description: 'sidecar kind; sets the URL and drain defaults below', defaultText: 'istio' },
  readyUrl: { name: 'ready-url', key: 'readyUrl', arg: 'url', description: 'readiness URL polled until it answers 200', defaultText: 'istio: http://127.0.0.1:15020/healthz/ready; linkerd: http://127.0.0.1:4191/ready; envoy: <admin-url>/ready' },
  adminUrl: { name: 'admin-url', key: 'adminUrl', arg: 'url', description: 'Envoy admin base URL (drain calls and stats)', defaultText: 'istio: http://127.0.0.1:15000; envoy: http://127.0.0.1:9901; linkerd: none' },
  quitUrl: { name: 'quit-url', key: 'quitUrl', arg: 'url', description: 'URL POSTed to stop the sidecar', defaultText: 'istio: http://127.0.0.1:15020/quitquitquit; linkerd: http://127.0.0.1:4191/shutdown; envoy: <admin-url>/quitquitquit' },
  allowRemoteAdmin: { name: 'allow-remote-admin', key: 'allowRemoteAdmin', description: 'allow sidecar URLs that are not loopback', defaultText: 'false' },
  disabled: { name: 'disabled', key: 'disabled', description: 'no sidecar: make no sidecar call, start at once; signals, exit codes and the shutdown delay still apply', defaultText: 'false' },
  pollInterval: { name: 'poll-interval', key: 'pollIntervalMs', arg: 'duration', parse: duration, description: 'time between readiness and connection polls', defaultText: d(DEFAULTS.pollIntervalMs) },
  requestTimeout: { name: 'request-timeout', key: 'requestTimeoutMs', arg: 'duration', parse: duration, description: 'deadline of every single sidecar request', defaultText: d(DEFAULTS.requestTimeoutMs) },
  waitTimeout: { name: 'wait-timeout', key: 'waitTimeoutMs', arg: 'duration', parse: duration, description: 'give up waiting for the sidecar after this long (0 = forever)', defaultText: d(DEFAULTS.waitTimeoutMs) },
  onWaitTimeout: { name: 'on-wait-timeout', key: 'onWaitTimeout', arg: 'action', choices: WAIT_TIMEOUT_ACTIONS, description: 'fail: exit 69 without starting the app; start: warn and start it', defaultText: DEFAULTS.onWaitTimeout },
  drainMethod: { name: 'drain-method', key: 'drainMethod', arg: 'method', choices: DRAIN_METHODS, description: 'how the sidecar is told to drain on shutdown', defaultText: 'healthcheck-fail (linkerd: none)' },
  shutdownDelay: { name: 'shutdown-delay', key: 'shutdownDelayMs', arg: 'duration', parse: duration, description: 'minimum wait after the shutdown signal before the app is signalled', defaultText: d(DEFAULTS.shutdownDelayMs) },
  drainTimeout: { name: 'drain-timeout', key: 'drainTimeoutMs', arg: 'duration', parse: duration, description: 'maximum wait after the shutdown signal (caps the delay; 0 = none)', defaultText: d(DEFAULTS.drainTimeoutMs) },
  inboundStatRegex: { name: 'inbound-stat-regex', key: 'inboundStatRegex', arg: 'regex', description: 'Envoy stats summed as inbound connections', defaultText: String.raw`istio: ^listener\..*_15006\.downstream_cx_active$; envoy: ^listener\..*\.downstream_cx_active$` },
  stopTimeout: { name: 'stop-timeout', key: 'stopTimeoutMs', arg: 'duration', parse: duration, description: 'time the app gets after its signal before SIGKILL', defaultText: d(DEFAULTS.stopTimeoutMs) },
  shutdownSignal: { name: 'shutdown-signal', key: 'shutdownSignal', arg: 'signal', parse: parseCatchableSignal, description: 'signal that starts the graceful shutdown', defaultText: DEFAULTS.shutdownSignal },
  appSignal: { name: 'app-signal', key: 'appSignal', arg: 'signal', parse: parseSignal, description: 'signal sent to the app at the end of the drain', defaultText: DEFAULTS.appSignal },
  signalGroup: { name: 'signal-group', key: 'signalGroup', description: "send signals to the app's whole process group", defaultText: 'false' },
  quitSidecar: { name: 'quit-sidecar', key: 'quitSidecar', arg: 'when', choices: QUIT_POLICIES, description: 'POST the quit URL when the app is done (Jobs)', defaultText: DEFAULTS.quitSidecar },
  gracePeriod: { name: 'grace-period', key: 'gracePeriodMs', arg: 'duration', parse: duration, description: "the pod's terminationGracePeriodSeconds; when given, warn if the timeline does not fit", defaultText: 'none for run (plan: 30s)' },
  proxyDrainDuration: { name: 'proxy-drain-duration', key: 'proxyDrainDurationMs', arg: 'duration', parse: duration, description: "Istio's terminationDrainDuration: the proxy's life after its SIGTERM when not held", defaultText: d(DEFAULTS.proxyDrainDurationMs) },
  proxyHold: { name: 'proxy-hold', key: 'proxyHold', arg: 'how', choices: PROXY_HOLDS, description: 'what keeps the proxy up until the app exits: none, a prestop wait-for-app-exit, or native sidecars', defaultText: DEFAULTS.proxyHold },
  controlSocket: { name: 'control-socket', key: 'controlSocket', arg: 'path', description: "Unix socket where run listens for drain, in an owner-only directory ('none' disables)", defaultText: DEFAULTS.controlSocket },
  logLevel: { name: 'log-level', key: 'logLevel', arg: 'level', choices: LOG_LEVELS, description: 'log level', defaultText: DEFAULTS.logLevel },
} satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof SPECS;
export const OPTION_SPECS: Record<OptionName, OptionSpec> = SPECS;

const CONNECTION: OptionName[] = ['mesh', 'readyUrl', 'adminUrl', 'quitUrl', 'allowRemoteAdmin', 'disabled', 'pollInterval', 'requestTimeout', 'logLevel'];
const DRAIN: OptionName[] = ['drainMethod', 'shutdownDelay', 'drainTimeout', 'inboundStatRegex'];
const TIMELINE: OptionName[] = ['gracePeriod', 'proxyDrainDuration', 'proxyHold'];

export const COMMAND_OPTIONS = {
  run: [...CONNECTION, 'waitTimeout', 'onWaitTimeout', ...DRAIN, 'stopTimeout', 'shutdownSignal', 'appSignal', 'signalGroup', 'quitSidecar', ...TIMELINE, 'controlSocket'],
  wait: [...CONNECTION, 'waitTimeout'],
  quit: [...CONNECTION],
  drain: [...CONNECTION, ...DRAIN, 'controlSocket'],
} satisfies Record<string, OptionName[]>;

/** A commander Option for a spec. Booleans read their env var in cli.ts (commander would take "false" as true). */
export function toCommanderOption(spec: OptionSpec): Option {
  const help = `${spec.description} (default: ${spec.defaultText})`;
  if (!spec.arg) return new Option(`--${spec.name}`, `${help} (env: ${envName(spec.name)}=true|false)`);
  const option = new Option(`--${spec.name} <${spec.arg}>`, help);
  option.env(envName(spec.name));
  if (spec.choices) option.choices(spec.choices);
  const parse = spec.parse;
  if (parse) {
    option.argParser((value: string) => {
      try {
        return parse(value);
      } catch (error) {
        throw new InvalidValue((error as Error).message);
      }
    });
  }
  return option;
}

class InvalidValue extends InvalidArgumentError {}

/** `true|1|yes|on` / `false|0|no|off|""`, for boolean options set through env. */
export function parseBool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  throw new Error(`"${value}" is not a boolean (use true or false)`);
}
