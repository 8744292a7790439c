// Parses Envoy's text `/stats` output and sums the inbound listeners' live connection gauges.

/** `name: value` lines; text readouts (`name: "x"`) and histograms are skipped. Order is not relied on. */
export function parseStats(text: string): Map<string, number> {
  const stats = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([^\s:]+): (-?\d+(?:\.\d+)?)\s*$/.exec(line);
    if (match) stats.set(match[1]!, Number(match[2]));
  }
  return stats;
}

// The same connections appear again per worker (`.worker_0.`), on the admin main thread
// (`.main_thread.`) and for the admin listener itself, which includes our own polling connection.
const NEVER_COUNTED = [/\.worker_\d+\./, /\.main_thread\./, /^listener\.admin\./, /^http\.admin\./];

export function sumActiveConnections(stats: Map<string, number>, nameRegex: RegExp): number {
  let total = 0;
  for (const [name, value] of stats) {
    if (nameRegex.test(name) && !NEVER_COUNTED.some((re) => re.test(name))) total += value;
  }
  return total;
}
