// The admin handler table: prefix, help text, whether it mutates server state (POST only) and
// its parameters, as in Envoy's AdminImpl::AdminImpl. Only endpoints the fake serves are listed,
// so the help in a 404 never names a path that would 404 itself.

export interface AdminEndpoint {
  path: string;
  help: string;
  mutates: boolean;
  params?: [name: string, help: string][];
}

const STATS_PARAMS: [string, string][] = [
  ['usedonly', 'Only include stats that have been written by system since restart'],
  ['filter', 'Regular expression (Google re2) for filtering stats'],
  ['format', 'Format to use: text, json or prometheus (html and active-html: not in this build)'],
  ['type', 'Stat types to include: All, Counters, Gauges, Histograms, TextReadouts'],
];

export const ADMIN_ENDPOINTS: AdminEndpoint[] = [
  {
    path: '/drain_listeners',
    help: 'drain listeners',
    mutates: true,
    params: [
      ['graceful', 'When draining listeners, enter a graceful drain period prior to closing listeners. This behaviour and duration is configurable via server options or CLI'],
      ['skip_exit', 'When draining listeners, do not exit after the drain period. This must be used with graceful'],
      ['inboundonly', 'Drains all inbound listeners. traffic_direction field in envoy_v3_api_msg_config.listener.v3.Listener is used to determine whether a listener is inbound or outbound.'],
    ],
  },
  { path: '/healthcheck/fail', help: 'cause the server to fail health checks', mutates: true },
  { path: '/healthcheck/ok', help: 'cause the server to pass health checks', mutates: true },
  { path: '/help', help: 'print out list of admin commands', mutates: false },
  { path: '/listeners', help: 'print listener info', mutates: false, params: [['format', 'File format to use: text or json']] },
  { path: '/logging', help: 'query/change logging levels', mutates: true },
  { path: '/quitquitquit', help: 'exit the server', mutates: true },
  { path: '/ready', help: 'print server state, return 200 if LIVE, otherwise return 503', mutates: false },
  { path: '/reopen_logs', help: 'reopen access logs', mutates: true },
  { path: '/reset_counters', help: 'reset all counters to zero', mutates: true },
  { path: '/runtime_modify', help: 'Adds or modifies runtime values as passed in query parameters.', mutates: true },
  { path: '/server_info', help: 'print server version/status information', mutates: false },
  { path: '/stats', help: 'print server stats', mutates: false, params: STATS_PARAMS },
  { path: '/stats/prometheus', help: 'print server stats in prometheus format', mutates: false, params: STATS_PARAMS.slice(0, 2) },
  { path: '/cpuprofiler', help: 'enable/disable the CPU profiler', mutates: true },
  { path: '/heapprofiler', help: 'enable/disable the heap profiler', mutates: true },
  { path: '/stats/recentlookups/clear', help: 'clear list of stat-name lookups and counter', mutates: true },
  { path: '/stats/recentlookups/disable', help: 'disable recording of reset stat-name lookup names', mutates: true },
  { path: '/stats/recentlookups/enable', help: 'enable recording of reset stat-name lookup names', mutates: true },
];

/** One line per handler, `  /path (POST): help`, plus one per parameter (AdminImpl::getHelp). */
export function helpText(endpoints: AdminEndpoint[] = ADMIN_ENDPOINTS): string {
  let out = '';
  for (const e of [...endpoints].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    out += `  ${e.path}${e.mutates ? ' (POST)' : ''}: ${e.help}\n`;
    for (const [name, help] of e.params ?? []) out += `      ${name}: ${help}\n`;
  }
  return out;
}

export const NOT_FOUND_PREFIX = 'invalid path. admin commands are:\n';
export const methodNotAllowedBody = (method: string) => `Method ${method} not allowed, POST required.`;
