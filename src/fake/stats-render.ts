// Rendering of `/stats` and `/stats/prometheus` (Envoy's StatsTextRender, StatsJsonRender and
// PrometheusStatsFormatter, reduced to counters and gauges: the fake has no histograms).
import type { Stat } from './stats.js';
import type { StatsParams } from './stats-params.js';

/** usedonly, filter (partial match on the full name) and type, in that order. */
export function selectStats(stats: readonly Stat[], params: Omit<StatsParams, 'format'>): Stat[] {
  return stats.filter((stat) => {
    if (params.usedOnly && !stat.used) return false;
    if (params.filter && !params.filter.test(stat.name)) return false;
    if (params.type === 'Counters') return stat.type === 'counter';
    if (params.type === 'Gauges') return stat.type === 'gauge';
    return params.type === 'All';
  });
}

/** `name: value\n` per stat; no match gives an empty body. */
export function renderText(stats: readonly Stat[]): string {
  return stats.map((s) => `${s.name}: ${s.value}\n`).join('');
}

export function renderJson(stats: readonly Stat[]): string {
  return JSON.stringify({ stats: stats.map((s) => ({ name: s.name, value: s.value })) });
}

// Modelled on Envoy's default tag extractors (source/common/config/well_known_names.cc): the
// extracted part leaves the name and becomes a label. Label names and the http prefix rule
// (everything up to the last dot, since the fake's http stats have one-word suffixes) are not verified.
const EXTRACTORS: { label: string; regex: RegExp }[] = [
  { label: 'envoy_listener_address', regex: /^listener\.((?:[_.\d]+|[_[\]a-fA-F\d]+)\.)/ },
  { label: 'envoy_worker_id', regex: /^listener\.(worker_(\d+)\.)/ },
  { label: 'envoy_http_conn_manager_prefix', regex: /^http\.((.*)\.)/ },
];

export interface PromSample {
  family: string;
  labels: [string, string][];
  value: number;
  type: Stat['type'];
}

/** `listener.0.0.0.0_15006.worker_0.downstream_cx_active` → `envoy_listener_downstream_cx_active{address, worker}`. */
export function toPrometheus(stat: Stat): PromSample {
  let name = stat.name;
  const labels: [string, string][] = [];
  for (const { label, regex } of EXTRACTORS) {
    const match = regex.exec(name);
    if (!match) continue;
    const [, whole, inner] = match as unknown as [string, string, string | undefined];
    labels.push([label, inner ?? whole.slice(0, -1)]);
    name = name.slice(0, match.index + match[0].length - whole.length) + name.slice(match.index + match[0].length);
  }
  return { family: `envoy_${name}`.replace(/[^a-zA-Z0-9_:]/g, '_'), labels, value: stat.value, type: stat.type };
}

/** Text exposition: one `# TYPE` line per family, then its samples; families sorted by name. */
export function renderPrometheus(stats: readonly Stat[]): string {
  const families = new Map<string, PromSample[]>();
  for (const sample of stats.map(toPrometheus)) families.set(sample.family, [...(families.get(sample.family) ?? []), sample]);
  let out = '';
  for (const family of [...families.keys()].sort()) {
    const samples = families.get(family)!;
    out += `# TYPE ${family} ${samples[0]!.type}\n`;
    for (const s of samples) out += `${family}{${s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}} ${s.value}\n`;
  }
  return out;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
