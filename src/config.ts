// Resolves what the user gave (flags and env, already parsed by the CLI) into one complete
// configuration: mesh presets fill the gaps, then URLs are checked. Pure: no env, no argv.
export const MESHES = ['istio', 'linkerd', 'envoy'] as const;
export const DRAIN_METHODS = ['healthcheck-fail', 'inbound', 'none'] as const;
export const QUIT_POLICIES = ['never', 'always', 'on-success'] as const;
export const WAIT_TIMEOUT_ACTIONS = ['fail', 'start'] as const;
export const PROXY_HOLDS = ['none', 'prestop', 'native'] as const;

export type Mesh = (typeof MESHES)[number];
export type DrainMethod = (typeof DRAIN_METHODS)[number];
export type QuitPolicy = (typeof QUIT_POLICIES)[number];
export type WaitTimeoutAction = (typeof WAIT_TIMEOUT_ACTIONS)[number];
export type ProxyHold = (typeof PROXY_HOLDS)[number];

export interface Config {
  mesh: Mesh;
  disabled: boolean;
  readyUrl: string;
  /** Envoy admin base URL without trailing slash; undefined when the mesh has none (Linkerd). */
  adminUrl: string | undefined;
  quitUrl: string;
  allowRemoteAdmin: boolean;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  /** 0 means wait forever. */
  waitTimeoutMs: number;
  onWaitTimeout: WaitTimeoutAction;
  drainMethod: DrainMethod;
  shutdownDelayMs: number;
  drainTimeoutMs: number;
  stopTimeoutMs: number;
  /** Stat names (RE2 partial match, also applied locally) whose values are summed as inbound connections. */
  inboundStatRegex: string;
  shutdownSignal: NodeJS.Signals;
  appSignal: NodeJS.Signals;
  signalGroup: boolean;
  quitSidecar: QuitPolicy;
  logLevel: string;
  /** The pod's terminationGracePeriodSeconds; undefined when not given (run then checks nothing). */
  gracePeriodMs: number | undefined;
  /** Istio's terminationDrainDuration: how long the proxy lives after its SIGTERM when not held. */
  proxyDrainDurationMs: number;
  /** What keeps the proxy alive until the app is gone: nothing, a preStop wait, or native sidecars. */
  proxyHold: ProxyHold;
  /** Unix socket through which `drain` (preStop) asks a running `run` to drain. */
  controlSocket: string;
}

/** Every field optional: what the user set, by flag or env. */
export type ConfigInput = Partial<Omit<Config, 'adminUrl'> & { adminUrl: string }>;

export class UsageError extends Error {}

// Istio's virtual inbound listener on any address: `listener.0.0.0.0_15006.downstream_cx_active`,
// `listener.[__]_15006.downstream_cx_active`. Per-worker lines never match (they end in
// `.worker_N.downstream_cx_active`), and stats.ts drops them anyway.
export const ISTIO_INBOUND_STAT_REGEX = String.raw`^listener\..*_15006\.downstream_cx_active$`;
// Plain Envoy has no fixed inbound port: count every listener but admin.
export const ENVOY_INBOUND_STAT_REGEX = String.raw`^listener\..*\.downstream_cx_active$`;

interface Preset {
  readyUrl: (admin: string | undefined) => string;
  adminUrl: string | undefined;
  quitUrl: (admin: string | undefined) => string;
  drainMethod: DrainMethod;
  inboundStatRegex: string;
}

const PRESETS: Record<Mesh, Preset> = {
  istio: {
    readyUrl: () => 'http://127.0.0.1:15020/healthz/ready',
    adminUrl: 'http://127.0.0.1:15000',
    quitUrl: () => 'http://127.0.0.1:15020/quitquitquit',
    drainMethod: 'healthcheck-fail',
    inboundStatRegex: ISTIO_INBOUND_STAT_REGEX,
  },
  linkerd: {
    readyUrl: () => 'http://127.0.0.1:4191/ready',
    adminUrl: undefined,
    quitUrl: () => 'http://127.0.0.1:4191/shutdown',
    drainMethod: 'none',
    inboundStatRegex: ISTIO_INBOUND_STAT_REGEX,
  },
  envoy: {
    readyUrl: (admin) => `${admin}/ready`,
    adminUrl: 'http://127.0.0.1:9901',
    quitUrl: (admin) => `${admin}/quitquitquit`,
    drainMethod: 'healthcheck-fail',
    inboundStatRegex: ENVOY_INBOUND_STAT_REGEX,
  },
};

export const DEFAULTS = {
  pollIntervalMs: 100,
  requestTimeoutMs: 1000,
  waitTimeoutMs: 60_000,
  onWaitTimeout: 'fail',
  shutdownDelayMs: 5000,
  drainTimeoutMs: 15_000,
  stopTimeoutMs: 10_000,
  shutdownSignal: 'SIGTERM',
  appSignal: 'SIGTERM',
  quitSidecar: 'never',
  logLevel: 'info',
  proxyDrainDurationMs: 5000,
  proxyHold: 'none',
  controlSocket: '/tmp/sidecar-lifecycle/control.sock',
} as const satisfies Partial<Config>;

export function resolveConfig(input: ConfigInput): Config {
  const mesh = input.mesh ?? 'istio';
  const preset = PRESETS[mesh];
  const allowRemoteAdmin = input.allowRemoteAdmin ?? false;
  const check = (flag: string, url: string | undefined) =>
    url === undefined ? undefined : checkUrl(flag, url, allowRemoteAdmin);

  const adminUrl = check('--admin-url', input.adminUrl ?? preset.adminUrl)?.replace(/\/+$/, '');
  if (mesh === 'envoy' && adminUrl === undefined) throw new UsageError('--mesh envoy needs an admin URL');
  const drainMethod = input.drainMethod ?? preset.drainMethod;
  if (drainMethod !== 'none' && adminUrl === undefined && !input.disabled) {
    throw new UsageError(`--drain-method ${drainMethod} needs --admin-url (mesh ${mesh} has no Envoy admin)`);
  }
  const inboundStatRegex = input.inboundStatRegex ?? preset.inboundStatRegex;
  try {
    new RegExp(inboundStatRegex);
  } catch {
    throw new UsageError(`--inbound-stat-regex: invalid regular expression "${inboundStatRegex}"`);
  }

  return {
    ...DEFAULTS,
    ...definedOnly(input),
    mesh,
    disabled: input.disabled ?? false,
    allowRemoteAdmin,
    adminUrl,
    readyUrl: check('--ready-url', input.readyUrl ?? preset.readyUrl(adminUrl))!,
    quitUrl: check('--quit-url', input.quitUrl ?? preset.quitUrl(adminUrl))!,
    drainMethod,
    inboundStatRegex,
    signalGroup: input.signalGroup ?? false,
    gracePeriodMs: input.gracePeriodMs,
  };
}

/** Only http(s), and only loopback unless the user explicitly allows remote sidecar URLs. */
export function checkUrl(flag: string, text: string, allowRemote: boolean): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag}: "${text}" must be an http:// or https:// URL`);
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`${flag}: "${text}" is not a loopback address (pass --allow-remote-admin to allow it)`);
  }
  return text;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\./.test(host) || /^::ffff:7f[0-9a-f]{2}:/.test(host)) return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
