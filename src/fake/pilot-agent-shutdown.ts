// pilot-agent's shutdown (istio pkg/envoy/agent.go Agent.terminate, status/server.go handleQuit
// and handleDrain). SIGTERM: close :15020 at once, POST /drain_listeners?inboundonly&graceful,
// wait terminationDrainDuration (or poll active connections, EXIT_ON_ZERO_ACTIVE_CONNECTIONS),
// then SIGKILL Envoy and exit 0. After /quitquitquit or /drain the drain is skipped.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.js';
import type { AdminClient } from './admin-client.js';
import type { FakeEnvoy } from './envoy.js';
import { activeProxyConnections } from './pilot-stats.js';

export interface AgentShutdownOptions {
  terminationDrainDurationMs: number;
  exitOnZeroActiveConnections: boolean;
  minimumDrainDurationMs: number;
  /** immediate: Istio ≥ 1.21 (/quitquitquit kills Envoy at once); legacy: SIGTERM to self, so the normal drain. */
  quitMode: 'immediate' | 'legacy';
}

const CHECK_PERIOD_MS = 1000;
const CHECK_TIMEOUT_MS = 2000;
const MAX_ERRORS = 5;

export class AgentShutdown {
  private skipDrain = false;
  private terminating = false;
  private readonly gone = new AbortController();

  constructor(
    private readonly options: AgentShutdownOptions,
    private readonly envoy: FakeEnvoy,
    private readonly admin: AdminClient,
    private readonly log: Logger,
    private readonly hooks: { closeStatusServer(): void; cancel(cause: string): void },
  ) {
    void envoy.exited.then(() => this.gone.abort());
  }

  /** SIGTERM or SIGINT cancel the agent's context once; later signals change nothing. */
  signal(signal: NodeJS.Signals): void {
    if (this.terminating) {
      this.log.info({ signal }, 'pilot-agent already terminating; signal ignored');
      return;
    }
    void this.terminate(`received signal: ${signal === 'SIGINT' ? 'interrupt' : 'terminated'}`);
  }

  quit(): void {
    if (this.options.quitMode === 'legacy') return this.signal('SIGTERM');
    this.skipDrain = true;
    if (!this.terminating) void this.terminate('quitquitquit');
  }

  /** POST /drain: drain inbound now, keep listeners (skip_exit); a later SIGTERM kills at once. */
  async drainNow(): Promise<void> {
    await this.post('/drain_listeners?inboundonly&graceful&skip_exit');
    this.skipDrain = true;
  }

  private async post(path: string): Promise<void> {
    try {
      const answer = await this.admin.call('POST', path, Math.max(1000, this.options.terminationDrainDurationMs));
      if (answer.status !== 200) this.log.warn({ path, status: answer.status }, 'pilot-agent: drain call failed');
    } catch (error) {
      this.log.warn({ path, error: (error as Error).message }, 'pilot-agent: error invoking drain listeners endpoint');
    }
  }

  private async terminate(cause: string): Promise<void> {
    this.terminating = true;
    this.hooks.cancel(cause);
    this.hooks.closeStatusServer();
    this.log.info({ cause }, 'pilot-agent terminating: status port closed');
    if (!this.skipDrain) {
      this.log.info('pilot-agent draining proxy for termination');
      await this.post('/drain_listeners?inboundonly&graceful');
      if (this.options.exitOnZeroActiveConnections) await this.waitForZeroConnections();
      else await this.wait(this.options.terminationDrainDurationMs, 'graceful termination period');
    } else {
      this.log.info('pilot-agent: agent already drained, exiting immediately');
    }
    if (this.gone.signal.aborted) return;
    this.log.info('pilot-agent: killing envoy (SIGKILL)');
    this.envoy.shutdown(0);
  }

  private async wait(ms: number, what?: string): Promise<boolean> {
    if (what) this.log.info({ ms }, `pilot-agent: ${what} started`);
    try {
      await sleep(ms, undefined, { signal: this.gone.signal });
      return true;
    } catch {
      return false; // Envoy exited by itself
    }
  }

  /** EXIT_ON_ZERO_ACTIVE_CONNECTIONS: minimum drain, then one check a second until 0 or 5 errors. */
  private async waitForZeroConnections(): Promise<void> {
    if (!(await this.wait(this.options.minimumDrainDurationMs, 'minimum drain duration'))) return;
    for (let errors = 0; await this.wait(CHECK_PERIOD_MS); ) {
      let count: number | undefined;
      try {
        const answer = await this.admin.call('GET', '/stats?usedonly&filter=downstream_cx_active$', CHECK_TIMEOUT_MS);
        if (answer.status !== 200) throw new Error(`unexpected status code: ${answer.status}`);
        count = activeProxyConnections(answer.body, this.envoy.ports.health ?? 15021);
      } catch (error) {
        if (++errors >= MAX_ERRORS) return void this.log.warn({ errors }, 'pilot-agent: cannot read downstream_cx_active; giving up');
        this.log.warn({ error: (error as Error).message, attempt: errors }, 'pilot-agent: retrying active connection check');
        continue;
      }
      if (count === undefined) return void this.log.info('pilot-agent: downstream_cx_active not available; skipping active connections check');
      if (count === 0) return void this.log.info('pilot-agent: no more active connections; terminating proxy');
      this.log.info({ connections: count }, 'pilot-agent: there are still active connections');
      errors = 0;
    }
  }
}
