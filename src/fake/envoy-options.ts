// Everything the fake Envoy is told at start: addresses, timings and injected failures.
import type { DrainModel, DrainStrategy } from './state.js';

export interface Faults {
  /** Admin accepts connections and requests but never answers. */
  adminHang: boolean;
  /** Extra time before every `/stats` and `/stats/prometheus` answer. */
  statsDelayMs: number;
  /** Answer `/stats` and `/stats/prometheus` with this status instead (e.g. 503). */
  statsStatus: number | undefined;
  /** Faults apply only this long after start, so readiness can succeed first. */
  afterMs: number;
}

export interface EnvoyOptions {
  adminAddress: string;
  adminPort: number;
  listenerAddress: string;
  inboundPort: number;
  outboundPort: number;
  /** The 15021 health listener; undefined when there is no pilot-agent to forward to. */
  healthPort: number | undefined;
  /** Raw TCP passthrough listener (inbound direction); undefined when off. */
  tcpPort: number | undefined;
  appHost: string;
  appPort: number;
  /** Where the health listener sends `/healthz/ready`; set once pilot-agent listens. */
  pilotAgent?: { host: string; port: number };
  /** Time spent in PRE_INITIALIZING. */
  initStartAfterMs: number;
  /** Time until xDS config arrives; undefined = never. */
  readyAfterMs: number | undefined;
  rejectConfig: boolean;
  statsFlushIntervalMs: number;
  drainTimeMs: number;
  drainStrategy: DrainStrategy;
  drainModel: DrainModel;
  concurrency: number;
  faults: Faults;
  version: string;
}
