// The fake's whole configuration, as the CLI hands it over (flat, like the flags), and the
// split into what each part needs. Defaults follow an Istio sidecar unless noted.
import type { EnvoyOptions } from './envoy-options.js';
import type { LinkerdOptions } from './linkerd.js';
import type { PilotAgentOptions } from './pilot-agent.js';

export const FAKE_MESHES = ['istio', 'envoy', 'linkerd'] as const;
export type FakeMesh = (typeof FAKE_MESHES)[number];

/** What the CLI hands to the fake Envoy unchanged. */
const ENVOY_AS_IS = [
  'adminAddress', 'listenerAddress', 'tcpPort', 'appHost', 'appPort', 'initStartAfterMs', 'readyAfterMs', 'rejectConfig',
  'statsFlushIntervalMs', 'drainTimeMs', 'drainStrategy', 'drainModel', 'concurrency', 'faults', 'version',
] as const satisfies readonly (keyof EnvoyOptions)[];

export interface FakeOptions extends Pick<EnvoyOptions, (typeof ENVOY_AS_IS)[number]> {
  /** istio: Envoy + pilot-agent; envoy: Envoy alone (SIGTERM = /quitquitquit); linkerd: the :4191 proxy. */
  mesh: FakeMesh;
  /** undefined: the mesh's default (15000; plain Envoy 9901, as `run --mesh envoy` expects). */
  adminPort: number | undefined;
  pilotAgentAddress: string;
  pilotAgentPort: number;
  /** undefined: the mesh's default (15006 / 4143). */
  inboundPort: number | undefined;
  /** undefined: the mesh's default (15001 / 4140). */
  outboundPort: number | undefined;
  healthPort: number;
  linkerdAdminAddress: string;
  linkerdAdminPort: number;
  terminationDrainDurationMs: number;
  exitOnZeroActiveConnections: boolean;
  minimumDrainDurationMs: number;
  agentQuit: 'immediate' | 'legacy';
  linkerdShutdownEndpoint: boolean;
  shutdownGracePeriodMs: number;
}

export const FAKE_DEFAULTS: FakeOptions = {
  mesh: 'istio',
  adminAddress: '127.0.0.1',
  adminPort: undefined,
  pilotAgentAddress: '::',
  pilotAgentPort: 15020,
  listenerAddress: '0.0.0.0',
  inboundPort: undefined,
  outboundPort: undefined,
  healthPort: 15021,
  tcpPort: undefined,
  linkerdAdminAddress: '0.0.0.0',
  linkerdAdminPort: 4191,
  appHost: '127.0.0.1',
  appPort: 8080,
  initStartAfterMs: 100,
  readyAfterMs: 2000,
  rejectConfig: false,
  statsFlushIntervalMs: 5000,
  drainTimeMs: 45_000,
  drainStrategy: 'immediate',
  drainModel: 'directional',
  concurrency: 2,
  terminationDrainDurationMs: 5000,
  exitOnZeroActiveConnections: false,
  minimumDrainDurationMs: 5000,
  agentQuit: 'immediate',
  linkerdShutdownEndpoint: false,
  shutdownGracePeriodMs: 120_000,
  faults: { adminHang: false, statsDelayMs: 0, statsStatus: undefined, afterMs: 0 },
  version: '0.0.0',
};

export function envoyOptions(o: FakeOptions): EnvoyOptions {
  const asIs = Object.fromEntries(ENVOY_AS_IS.map((key) => [key, o[key]])) as Pick<EnvoyOptions, (typeof ENVOY_AS_IS)[number]>;
  return {
    ...asIs,
    adminPort: o.adminPort ?? (o.mesh === 'envoy' ? 9901 : 15000),
    inboundPort: o.inboundPort ?? 15006,
    outboundPort: o.outboundPort ?? 15001,
    // Plain Envoy has no pilot-agent, so no 15021 listener forwarding to it.
    healthPort: o.mesh === 'istio' ? o.healthPort : undefined,
  };
}

export function pilotAgentOptions(o: FakeOptions): PilotAgentOptions {
  return {
    address: o.pilotAgentAddress,
    port: o.pilotAgentPort,
    terminationDrainDurationMs: o.terminationDrainDurationMs,
    exitOnZeroActiveConnections: o.exitOnZeroActiveConnections,
    minimumDrainDurationMs: o.minimumDrainDurationMs,
    quitMode: o.agentQuit,
  };
}

export function linkerdOptions(o: FakeOptions): LinkerdOptions {
  return {
    adminAddress: o.linkerdAdminAddress,
    adminPort: o.linkerdAdminPort,
    listenerAddress: o.listenerAddress,
    inboundPort: o.inboundPort ?? 4143,
    outboundPort: o.outboundPort ?? 4140,
    appHost: o.appHost,
    appPort: o.appPort,
    readyAfterMs: o.readyAfterMs,
    shutdownEndpoint: o.linkerdShutdownEndpoint,
    shutdownGracePeriodMs: o.shutdownGracePeriodMs,
  };
}
