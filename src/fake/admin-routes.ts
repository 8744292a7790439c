// What each admin endpoint answers (server_info_handler.cc, server_cmd_handler.cc,
// listeners_handler.cc, stats_handler.cc). Method rules are applied before these run.
import { setTimeout as sleep } from 'node:timers/promises';
import { helpText } from './admin-table.js';
import type { FakeEnvoy } from './envoy.js';
import type { Query } from './query.js';
import { parseStatsParams, type StatsFormat } from './stats-params.js';
import { renderJson, renderPrometheus, renderText, selectStats } from './stats-render.js';
import { serverInfo } from './server-info.js';
import { serverState } from './state.js';

export interface Reply {
  status: number;
  body: string;
  contentType?: string;
  /** Runs once the response has been written (e.g. shutting down after /quitquitquit). */
  after?: () => void;
}

const JSON_TYPE = 'application/json';
const ok = (): Reply => ({ status: 200, body: 'OK\n' });

async function stats(envoy: FakeEnvoy, query: Query, fixed?: StatsFormat): Promise<Reply> {
  const { faults } = envoy.options;
  if (envoy.faultsActive()) {
    if (faults.statsDelayMs > 0) await sleep(faults.statsDelayMs);
    if (faults.statsStatus !== undefined) return { status: faults.statsStatus, body: 'injected /stats failure\n' };
  }
  const parsed = parseStatsParams(query, fixed);
  if (!parsed.ok) return { status: parsed.status, body: parsed.body };
  const selected = selectStats(envoy.stats.all(), parsed.params);
  switch (parsed.params.format) {
    case 'json':
      return { status: 200, body: renderJson(selected), contentType: JSON_TYPE };
    case 'prometheus':
      return { status: 200, body: renderPrometheus(selected) };
    case 'text':
      return { status: 200, body: renderText(selected) };
  }
}

function listeners(envoy: FakeEnvoy, query: Query): Reply {
  const all = envoy.listeners.map((l) => ({ name: l.name, address: l.host, port: l.port }));
  if (query.first('format') === 'json') {
    const listener_statuses = all.map((l) => ({ name: l.name, local_address: { socket_address: { address: l.address, port_value: l.port } } }));
    return { status: 200, body: JSON.stringify({ listener_statuses }), contentType: JSON_TYPE };
  }
  return { status: 200, body: all.map((l) => `${l.name}::${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}\n`).join('') };
}

export const ADMIN_ROUTES: Record<string, (envoy: FakeEnvoy, query: Query) => Reply | Promise<Reply>> = {
  '/ready': (envoy) => {
    const state = serverState(envoy.state);
    return { status: state === 'LIVE' ? 200 : 503, body: `${state}\n` };
  },
  '/server_info': (envoy) => ({ status: 200, body: JSON.stringify(serverInfo(envoy), null, 1), contentType: JSON_TYPE }),
  '/healthcheck/fail': (envoy) => (envoy.failHealthcheck(true), ok()),
  '/healthcheck/ok': (envoy) => (envoy.failHealthcheck(false), ok()),
  '/quitquitquit': (envoy) => ({ ...ok(), after: () => setImmediate(() => envoy.shutdown(0)) }),
  '/drain_listeners': (envoy, query) => {
    envoy.drainListeners({ graceful: query.has('graceful'), inboundOnly: query.has('inboundonly'), skipExit: query.has('skip_exit') });
    return ok();
  },
  '/stats': (envoy, query) => stats(envoy, query),
  '/stats/prometheus': (envoy, query) => stats(envoy, query, 'prometheus'),
  '/listeners': listeners,
  '/help': () => ({ status: 200, body: `admin commands are:\n${helpText()}` }),
  '/reset_counters': (envoy) => (envoy.stats.resetCounters(), ok()),
  // Accepted so their method rule can be exercised; they change nothing in the fake.
  '/logging': () => ({ status: 200, body: 'active loggers:\n  admin: info\n  main: info\n' }),
  '/runtime_modify': ok,
  '/reopen_logs': ok,
  '/cpuprofiler': (_, query) => (query.has('enable') ? ok() : { status: 400, body: '?enable=<y|n>\n' }),
  '/heapprofiler': (_, query) => (query.has('enable') ? ok() : { status: 400, body: '?enable=<y|n>\n' }),
  '/stats/recentlookups/clear': ok,
  '/stats/recentlookups/disable': ok,
  '/stats/recentlookups/enable': ok,
};
