// `plan`: the startup steps and the shutdown timeline as a small text chart, plus the warnings.
// Pure: Config in, text out. Worst cases: `=` is certain, `~` is "up to", `X` a kill.
import type { Config } from './config.js';
import { formatDuration as d } from './duration.js';
import { checkTimeline, computeTimeline, DEFAULT_PLAN_GRACE_MS, KUBELET_MIN_GRACE_MS, type Timeline } from './timeline.js';

/** `plan --check` exits with this when the timeline does not fit. */
export const EXIT_PLAN_DOES_NOT_FIT = 1;

const LABEL = 20;
const MAX_COLUMNS = 60;
const STEPS = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];

interface Row {
  label: string;
  /** [from, to, fill]: `=` certain, `~` possible. */
  spans: [number, number, '=' | '~'][];
  marks?: [number, string][];
  note: string;
}

export interface Plan {
  text: string;
  warnings: string[];
}

export function renderPlan(config: Config): Plan {
  const graceMs = config.gracePeriodMs ?? DEFAULT_PLAN_GRACE_MS;
  const t = computeTimeline(config, graceMs);
  const warnings = checkTimeline(t);
  const lines = [
    `sidecar-lifecycle plan: mesh ${config.mesh}${config.disabled ? ' (disabled)' : ''}, grace period ${d(graceMs)}` +
      `${config.gracePeriodMs === undefined ? ' (Kubernetes default)' : ''}, proxy hold ${config.proxyHold}` +
      (config.mesh === 'istio' ? `, proxy drain duration ${d(config.proxyDrainDurationMs)}` : ''),
    '',
    'startup',
    ...startup(config).map((l) => `  ${l}`),
    '',
    `shutdown (t=0: the pod is deleted; run gets ${config.shutdownSignal}, or the app container's preStop runs \`drain\`)`,
    ...chart(shutdownRows(config, t)),
    ...notes(config, t).map((n) => `  note: ${n}`),
    '',
    ...(warnings.length === 0 ? ['fits: no warnings'] : warnings.map((w) => `WARNING: ${w}`)),
  ];
  return { text: lines.join('\n') + '\n', warnings };
}

function startup(config: Config): string[] {
  const lines: string[] = [];
  if (config.proxyHold === 'native') lines.push('native sidecar: the kubelet starts the app container only after the proxy has started');
  if (config.disabled) return [...lines, 'no sidecar (--disabled): the app starts at once'];
  const limit = config.waitTimeoutMs === 0 ? 'forever' : `up to ${d(config.waitTimeoutMs)}`;
  lines.push(`wait ${limit} for GET ${config.readyUrl} = 200 (every ${d(config.pollIntervalMs)}, each request ≤ ${d(config.requestTimeoutMs)}), then start the app`);
  if (config.waitTimeoutMs > 0) {
    lines.push(
      config.onWaitTimeout === 'fail'
        ? `not ready after ${d(config.waitTimeoutMs)}: exit 69 without starting the app`
        : `not ready after ${d(config.waitTimeoutMs)}: warn and start the app anyway`,
    );
  }
  return lines;
}

function shutdownRows(config: Config, t: Timeline): Row[] {
  const [early, late] = t.signalMs;
  const rows: Row[] = [];
  rows.push({ label: 'drain call', spans: [], marks: t.drainCall ? [[0, '^']] : [], note: t.drainCall ?? 'none (--drain-method none, or no Envoy admin)' });
  rows.push({ label: 'shutdown delay', spans: [[0, t.delayEndMs, '=']], note: `0-${d(t.delayEndMs)}${t.delayCapped ? ' (capped by --drain-timeout)' : ''}` });
  if (t.waitsForConnections) {
    rows.push({ label: 'drain window', spans: [[early, late, '~']], note: `${d(early)}-${d(late)}: until no inbound connections, at most --drain-timeout` });
  }
  rows.push({
    label: 'app stop',
    spans: [[late, t.appGoneMs, '~']],
    marks: [[t.appGoneMs, 'K']],
    note: `${config.appSignal} at ${early === late ? d(late) : `${d(early)}-${d(late)}`}; run SIGKILLs the app at ${d(t.appGoneMs)} at the latest`,
  });
  const p = t.proxy;
  if (p.kind === 'not-held') {
    rows.push({ label: 'istio-proxy', spans: [[0, p.goneMs, '=']], marks: [[p.goneMs, 'X']], note: `SIGTERM at 0, gone at ${d(p.goneMs)} (terminationDrainDuration; not held)` });
  } else if (p.kind === 'prestop') {
    rows.push({
      label: 'istio-proxy',
      spans: [[0, p.goneMs[0], '='], [p.goneMs[0], p.goneMs[1], '~']],
      note: `held by wait-for-app-exit until the app stops listening (${d(p.releaseMs[0])}-${d(p.releaseMs[1])}), gone ${d(t.proxyDrainMs)} later: ${d(p.goneMs[0])}-${d(p.goneMs[1])}`,
    });
  } else if (p.kind === 'native') {
    rows.push({ label: 'proxy (native)', spans: [[0, early, '='], [early, p.goneMs, '~']], note: `SIGTERM only after the app container exits (by ${d(p.goneMs)})` });
  } else {
    rows.push({ label: 'proxy', spans: [], note: p.reason });
  }
  rows.push({ label: 'kubelet SIGKILL', spans: [], marks: [[t.killMs, 'X']], note: `${d(t.killMs)} (terminationGracePeriodSeconds)` });
  return rows;
}

function notes(config: Config, t: Timeline): string[] {
  const notes: string[] = [];
  if (t.signalMs[1] > t.graceMs - KUBELET_MIN_GRACE_MS) {
    notes.push(`a \`drain\` preStop may run past ${d(t.graceMs - KUBELET_MIN_GRACE_MS)}: the kubelet then gives the container only its 2s minimum after SIGTERM`);
  }
  if (config.quitSidecar !== 'never') notes.push(`after the app exits: POST ${config.quitUrl} (--quit-sidecar ${config.quitSidecar})`);
  return notes;
}

function chart(rows: Row[]): string[] {
  const end = Math.max(...rows.flatMap((r) => [...r.spans.map((s) => s[1]), ...(r.marks ?? []).map((m) => m[0])]), 1);
  const step = STEPS.find((s) => Math.ceil(end / s) < MAX_COLUMNS) ?? STEPS[STEPS.length - 1]!;
  const width = Math.ceil(end / step) + 1;
  const col = (ms: number) => Math.min(Math.round(ms / step), width - 1);
  const pad = ' '.repeat(2 + LABEL);

  let labels = '';
  for (let c = 0; c < width; c += 10) labels = labels.padEnd(c) + (c === 0 ? '0s' : d(c * step));
  const ruler = Array.from({ length: width }, (_, c) => (c % 10 === 0 ? '|' : c % 5 === 0 ? '+' : '-')).join('');
  const lines = [`${pad}${labels}`, `${pad}${ruler}`];
  for (const row of rows) {
    const bar = Array<string>(width).fill(' ');
    for (const [from, to, fill] of row.spans) {
      const a = col(from);
      const b = Math.max(col(to), to > from ? a + 1 : a);
      for (let c = a; c < b; c++) bar[c] = fill;
    }
    for (const [at, mark] of row.marks ?? []) bar[col(at)] = mark;
    lines.push(`  ${row.label.padEnd(LABEL)}${bar.join('')}  ${row.note}`);
  }
  return lines;
}
