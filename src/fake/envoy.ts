// The fake Envoy server: admin listener from the start, xDS config "arriving" after a delay,
// then workers and listeners; health check fail/ok, /drain_listeners and hard shutdown.
// Stats follow Envoy's update rules (InstanceImpl in source/server/server.cc).
import type { Logger } from '../log.js';
import { adminListener } from './admin.js';
import type { EnvoyOptions } from './envoy-options.js';
import type { ManagedListener } from './listeners.js';
import { defineServerStats, listenerManagerStats } from './server-stats.js';
import { drainClose, initialState, inScope, planDrainListeners, serverState, STATE_NUMBER, type Direction, type DrainFlags, type Scope } from './state.js';
import { StatsStore } from './stats.js';
import { createListeners, reserveListenerPorts, type ListenerPorts } from './topology.js';

export class FakeEnvoy {
  readonly stats = new StatsStore();
  readonly state = initialState();
  readonly startedAt = Date.now();
  listeners: ManagedListener[] = [];
  ports!: ListenerPorts & { admin: number };
  private admin!: ManagedListener;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stoppedListeners = new Set<ManagedListener>();
  private resolveExit!: (code: number) => void;
  /** Resolves with the exit code once the server has shut down. */
  readonly exited = new Promise<number>((resolve) => (this.resolveExit = resolve));

  constructor(readonly options: EnvoyOptions, readonly log: Logger) {}

  get concurrency(): number {
    return this.options.concurrency;
  }

  async start(): Promise<void> {
    defineServerStats(this.stats, this.options.concurrency);
    this.admin = adminListener(this);
    await this.admin.start();
    const reserved = await reserveListenerPorts(this.options);
    this.ports = { admin: this.admin.port, ...reserved };
    // The static 15021 listener exists from bootstrap; the rest come with the first LDS update.
    this.listeners = createListeners(this, reserved, { static: true });
    this.after(this.options.initStartAfterMs, () => this.setInit('INITIALIZING'));
    const ready = this.options.readyAfterMs;
    if (ready !== undefined) this.after(Math.max(ready, this.options.initStartAfterMs), () => void this.configArrived());
    const flush = setInterval(() => this.updateServerStats(), this.options.statsFlushIntervalMs);
    this.timers.add(flush);
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private setInit(init: typeof this.state.init): void {
    if (this.state.shuttingDown || this.state.init === 'INITIALIZED') return;
    this.state.init = init;
    this.log.info({ state: serverState(this.state) }, 'envoy server state');
  }

  /** CDS and LDS answered: accepted (listeners created) or rejected; init completes either way. */
  private async configArrived(): Promise<void> {
    if (this.state.shuttingDown) return;
    const result = this.options.rejectConfig ? 'update_rejected' : 'update_success';
    this.stats.add(`cluster_manager.cds.${result}`, 1);
    this.stats.add(`listener_manager.lds.${result}`, 1);
    // Envoy lets the server start even with a rejected first update (LdsApiImpl::onConfigUpdateFailed).
    if (!this.options.rejectConfig) this.listeners.push(...createListeners(this, this.ports, { static: false }));
    this.log.info({ accepted: !this.options.rejectConfig }, 'xds config received');
    this.setInit('INITIALIZED');
    try {
      // A scope stopped by /drain_listeners before config arrived refuses new listeners.
      for (const l of this.listeners) if (!this.scopeStopped(l)) await l.start();
    } catch (error) {
      this.log.fatal({ error: (error as Error).message }, 'cannot bind a listener');
      this.shutdown(1);
      return;
    }
    const stats = listenerManagerStats(this.stats);
    stats.workersStarted();
    stats.active(this.listeners.length);
    // startWorkers(): "Update server stats as soon as initialization is done."
    this.updateServerStats();
    this.log.info({ listeners: this.listeners.map((l) => `${l.name}:${l.port}`) }, 'envoy workers started, listeners accepting');
  }

  /** InstanceImpl::updateServerStats, run at every stats flush (and once when workers start). */
  updateServerStats(): void {
    this.stats.set('server.state', STATE_NUMBER[serverState(this.state)]);
    this.stats.set('server.live', this.state.healthCheckFailed ? 0 : 1);
    this.stats.set('server.uptime', Math.floor((Date.now() - this.startedAt) / 1000));
    this.stats.set('server.total_connections', this.listeners.reduce((n, l) => n + l.stats.active(), 0));
  }

  /** `/healthcheck/fail` and `/healthcheck/ok`: `server.live` now, `server.state` at the next flush. */
  failHealthcheck(fail: boolean): void {
    this.state.healthCheckFailed = fail;
    this.stats.set('server.live', fail ? 0 : 1);
    this.log.info({ healthCheckFailed: fail }, fail ? 'health check failed: drain-closing all HTTP connections' : 'health check ok');
  }

  drainClose(direction: Direction): boolean {
    const { drainStrategy: strategy, drainTimeMs, drainModel: model } = this.options;
    return drainClose(this.state, direction, { strategy, drainTimeMs, model }, Date.now(), Math.random());
  }

  drainListeners(flags: DrainFlags): void {
    const plan = planDrainListeners(this.state, flags, this.options.drainModel);
    if (plan.start) {
      const now = Date.now();
      const { scope, stopAtDeadline } = plan.start;
      this.state.drain = { scope, stopAtDeadline, startedAt: now, deadline: now + this.options.drainTimeMs };
      this.log.info({ scope, drainTimeMs: this.options.drainTimeMs, stopAtDeadline, strategy: this.options.drainStrategy }, 'drain sequence started');
      if (stopAtDeadline) this.after(this.options.drainTimeMs, () => this.stopListeners(scope));
    } else if (this.state.drain) {
      this.log.info('drain sequence already running; not restarted');
    }
    if (plan.stopNow) this.stopListeners(plan.stopNow);
  }

  /** Closes the LISTEN sockets in scope; their connections stay. */
  stopListeners(scope: Scope): void {
    if (this.state.shuttingDown) return;
    const stopping = this.listeners.filter((l) => inScope(scope, l.direction) && !this.isStopped(l));
    this.state.stopped[scope] = true;
    for (const l of stopping) {
      l.stop();
      this.stoppedListeners.add(l);
      this.stats.add('listener_manager.listener_stopped', 1);
    }
    this.log.info({ scope, listeners: stopping.map((l) => `${l.name}:${l.port}`) }, 'listeners stopped');
  }

  isStopped(l: ManagedListener): boolean {
    return this.stoppedListeners.has(l);
  }

  private scopeStopped(l: ManagedListener): boolean {
    return this.state.stopped.all || (this.state.stopped.inbound && inScope('inbound', l.direction));
  }

  /** `/quitquitquit`, SIGTERM, or pilot-agent's SIGKILL: everything closes at once, no drain. */
  shutdown(code = 0): void {
    if (this.state.shuttingDown) return;
    this.state.shuttingDown = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const l of [...this.listeners, this.admin]) l.destroy();
    this.log.info({ exitCode: code }, 'envoy exited');
    this.resolveExit(code);
  }

  faultsActive(): boolean {
    return Date.now() - this.startedAt >= this.options.faults.afterMs;
  }
}
