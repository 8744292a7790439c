// pilot-agent's readiness probe (istio pilot/cmd/pilot-agent/status/ready/probe.go): ask Envoy's
// /stats, never /ready. First: have CDS and LDS both had a successful update? Then: is
// server.state LIVE and have workers started? Each part is cached once it passes, forever; only
// the agent being terminated turns it back to not ready.
import type { AdminClient } from './admin-client.js';
import { parseIstioStats } from './pilot-stats.js';

const CONFIG_FILTER = String.raw`^(cluster_manager\.cds|listener_manager\.lds)\.(update_success|update_rejected)$`;
const READY_FILTER = String.raw`^(server\.state|listener_manager\.workers_started)`;
const READINESS_TIMEOUT_MS = 3000;
const STATE_NAMES = ['LIVE', 'DRAINING', 'PRE_INITIALIZING', 'INITIALIZING'];

export class ReadinessProbe {
  private receivedFirstUpdate = false;
  private atLeastOnceReady = false;
  /** Set when the agent is terminating (SIGTERM or /quitquitquit): its context is cancelled. */
  terminated: string | undefined;

  constructor(private readonly admin: AdminClient) {}

  /** undefined when ready, else the reason pilot-agent logs. */
  async check(): Promise<string | undefined> {
    try {
      return (await this.checkConfig()) ?? (this.terminated ? `server is terminated: ${this.terminated}` : await this.checkEnvoy());
    } catch (error) {
      return (error as Error).message;
    }
  }

  private async get(filter: string, timeoutMs?: number): Promise<string> {
    // Istio sends the regex raw, unencoded.
    const answer = await this.admin.call('GET', `/stats?usedonly&filter=${filter}`, timeoutMs);
    if (answer.status !== 200) throw new Error(`unexpected status code: ${answer.status}`);
    return answer.body;
  }

  private async checkConfig(): Promise<string | undefined> {
    if (this.receivedFirstUpdate) return undefined;
    const names = ['cluster_manager.cds.update_success', 'cluster_manager.cds.update_rejected', 'listener_manager.lds.update_success', 'listener_manager.lds.update_rejected'];
    const { values, error } = parseIstioStats(await this.get(CONFIG_FILTER), names);
    if (error) return error;
    const [cdsOk, cdsRejected, ldsOk, ldsRejected] = names.map((n) => values.get(n)!) as [number, number, number, number];
    const summary = `cds updates: ${cdsOk} successful, ${cdsRejected} rejected; lds updates: ${ldsOk} successful, ${ldsRejected} rejected`;
    if (cdsOk > 0 && ldsOk > 0) {
      this.receivedFirstUpdate = true;
      return undefined;
    }
    if (cdsOk === 0 && ldsOk === 0) return `config not received from XDS server (is Istiod running?): ${summary}`;
    if (cdsRejected > 0 || ldsRejected > 0) return `config received from XDS server, but was rejected: ${summary}`;
    return `config not fully received from XDS server: ${summary}`;
  }

  private async checkEnvoy(): Promise<string | undefined> {
    if (this.atLeastOnceReady) return undefined;
    const body = await this.get(READY_FILTER, READINESS_TIMEOUT_MS);
    if (!body.includes('server.state')) return `server.state is not yet updated: ${body}`;
    if (!body.includes('listener_manager.workers_started')) return `listener_manager.workers_started is not yet updated: ${body}`;
    const { values, error } = parseIstioStats(body, ['server.state', 'listener_manager.workers_started']);
    if (error) return error;
    const state = values.get('server.state')!;
    if (state !== 0) return `server is not live, current state is: ${STATE_NAMES[state] ?? state}`;
    if (values.get('listener_manager.workers_started') !== 1) return 'workers have not yet started';
    this.atLeastOnceReady = true;
    return undefined;
  }
}
