// Server-wide stats, declared at start like Envoy's ServerStats and ListenerManagerStats.
// Declared stats stay "unused" (hidden by usedonly) until first written.
import type { StatsStore } from './stats.js';

export function defineServerStats(stats: StatsStore, concurrency: number): void {
  for (const g of ['server.state', 'server.uptime', 'server.total_connections', 'listener_manager.workers_started', 'listener_manager.total_listeners_active']) {
    stats.define(g, 'gauge');
  }
  for (const c of ['listener_manager.listener_stopped', 'listener_manager.lds.update_success', 'listener_manager.lds.update_rejected', 'cluster_manager.cds.update_success', 'cluster_manager.cds.update_rejected']) {
    stats.define(c, 'counter');
  }
  // Written once in InstanceImpl::initialize (which calls failHealthcheck(false)).
  stats.set('server.live', 1);
  stats.set('server.concurrency', concurrency);
  stats.set('server.hot_restart_epoch', 0);
}

export function listenerManagerStats(stats: StatsStore) {
  return {
    workersStarted: () => stats.set('listener_manager.workers_started', 1),
    active: (n: number) => stats.set('listener_manager.total_listeners_active', n),
  };
}
