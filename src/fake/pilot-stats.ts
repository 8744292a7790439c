// pilot-agent's reading of Envoy's text stats (istio pilot/cmd/pilot-agent/status/util/stats.go
// parseStats, and pkg/envoy/agent.go activeProxyConnections). Pure functions.

/**
 * First line starting with each name (`strings.HasPrefix`); the line must split on `:` into
 * exactly 2 parts. Missing stats read as 0.
 */
export function parseIstioStats(body: string, names: string[]): { values: Map<string, number>; error?: string } {
  const values = new Map<string, number>();
  let error: string | undefined;
  for (const line of body.split(/(?<=\n)/)) {
    for (const name of names) {
      if (values.has(name) || !line.startsWith(name)) continue;
      const parts = line.split(':');
      const value = parts.length === 2 ? Number(parts[1]!.trim()) : NaN;
      if (parts.length !== 2) error ??= `envoy stat ${name} missing separator. line:${line}`;
      else if (!Number.isInteger(value) || value < 0) error ??= `failed parsing Envoy stat ${name} line: ${line}`;
      values.set(name, Number.isInteger(value) && value >= 0 ? value : 0);
    }
  }
  for (const name of names) if (!values.has(name)) values.set(name, 0);
  return error ? { values, error } : { values };
}

/**
 * Sum of `listener.*downstream_cx_active` lines, skipping per-worker lines, internal listeners and
 * Istio's own listeners (15021 and 15090 with a hard-coded 0.0.0.0, and admin). `undefined` for
 * an empty body, which pilot-agent takes as "no stats: stop waiting".
 */
export function activeProxyConnections(body: string, statusPort: number, prometheusPort = 15090): number | undefined {
  if (body.length === 0) return undefined;
  const known = new Set([
    `listener.0.0.0.0_${statusPort}.downstream_cx_active`,
    `listener.0.0.0.0_${prometheusPort}.downstream_cx_active`,
    'listener.admin.downstream_cx_active',
    'listener.admin.main_thread.downstream_cx_active',
  ]);
  let total = 0;
  for (const line of body.split('\n')) {
    const parts = line.split(':');
    if (parts.length !== 2) continue;
    const name = parts[0]!;
    if (!name.startsWith('listener.') || name.includes('worker_') || name.startsWith('listener.envoy_internal_') || known.has(name)) continue;
    const value = Number(parts[1]!.trim());
    if (Number.isInteger(value) && value >= 0) total += value;
  }
  return total;
}
