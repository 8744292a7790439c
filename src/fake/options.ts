// The fake's whole configuration, as the CLI hands it over (flat, like the flags), and the
// split into what each part needs. Defaults follow an Istio sidecar unless noted.
import type { EnvoyOptions, Faults } from './envoy-options.js';
import type { LinkerdOptions } from './linkerd.js';
import type { PilotAgentOptions } from './pilot-agent.js';
import type { DrainModel, DrainStrategy } from './state.js';

export const FAKE_MESHES = ['istio', 'envoy', 'linkerd'] as const;
export type FakeMesh = (typeof FAKE_MESHES)[number];

export interface FakeOptions {
  /** istio: Envoy + pilot-agent; envoy: Envoy alone (SIGTERM = /quitquitquit); linkerd: the :4191 proxy. */
  mesh: FakeMesh;
  adminAddress: string;
  /** undefined: the mesh's default (15000; plain Envoy 9901, as `run --mesh envoy` expects). */
  adminPort: number | undefined;
  pilotAgentAddress: string;
  pilotAgentPort: number;
  listenerAddress: string;
  /** undefined: the mesh's default (15006 / 4143). */
  inboundPort: number | undefined;
  /** undefined: the mesh's default (15001 / 4140). */
  outboundPort: number | undefined;
  healthPort: number;
  tcpPort: number | undefined;
  linkerdAdminAddress: string;
  linkerdAdminPort: number;
  appHost: string;
  appPort: number;
  initStartAfterMs: number;
  readyAfterMs: number | undefined;
  rejectConfig: boolean;
  statsFlushIntervalMs: number;
  drainTimeMs: number;
  drainStrategy: DrainStrategy;
  drainModel: DrainModel;
  concurrency: number;
  terminationDrainDurationMs: number;
  exitOnZeroActiveConnections: boolean;
  minimumDrainDurationMs: number;
  agentQuit: 'immediate' | 'legacy';
  linkerdShutdownEndpoint: boolean;
  shutdownGracePeriodMs: number;
  faults: Faults;
  version: string;
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
  return {
    adminAddress: o.adminAddress,
    adminPort: o.adminPort ?? (o.mesh === 'envoy' ? 9901 : 15000),
    listenerAddress: o.listenerAddress,
    inboundPort: o.inboundPort ?? 15006,
    outboundPort: o.outboundPort ?? 15001,
    // Plain Envoy has no pilot-agent, so no 15021 listener forwarding to it.
    healthPort: o.mesh === 'istio' ? o.healthPort : undefined,
    tcpPort: o.tcpPort,
    appHost: o.appHost,
    appPort: o.appPort,
    initStartAfterMs: o.initStartAfterMs,
    readyAfterMs: o.readyAfterMs,
    rejectConfig: o.rejectConfig,
    statsFlushIntervalMs: o.statsFlushIntervalMs,
    drainTimeMs: o.drainTimeMs,
    drainStrategy: o.drainStrategy,
    drainModel: o.drainModel,
    concurrency: o.concurrency,
    faults: o.faults,
    version: o.version,
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
