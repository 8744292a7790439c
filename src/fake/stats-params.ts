// `/stats` query parameters, checked in the order of Envoy's StatsParams::parse: filter, type,
// format. Each failure is a 400 with Envoy's exact body.
import type { Query } from './query.js';
import { re2ToRegExp } from './re2.js';

export type StatsFormat = 'text' | 'json' | 'prometheus';
export const STATS_TYPES = ['All', 'Counters', 'Gauges', 'Histograms', 'TextReadouts'] as const;
export type StatsTypeFilter = (typeof STATS_TYPES)[number];

export interface StatsParams {
  usedOnly: boolean;
  filter: RegExp | undefined;
  type: StatsTypeFilter;
  format: StatsFormat;
}

export type ParsedStatsParams = { ok: true; params: StatsParams } | { ok: false; status: 400; body: string };

export const BAD_REGEX_BODY = 'Invalid re2 regex';
export const BAD_TYPE_BODY = 'invalid &type= param';
export const BAD_FORMAT_BODY = 'usage: /stats?format=(html|active-html|json|prometheus|text)\n\n';

/** `fixedFormat` is set for `/stats/prometheus`, which takes no `format`. */
export function parseStatsParams(query: Query, fixedFormat?: StatsFormat): ParsedStatsParams {
  const bad = (body: string): ParsedStatsParams => ({ ok: false, status: 400, body });
  let filter: RegExp | undefined;
  const pattern = query.first('filter');
  if (pattern !== undefined && pattern !== '') {
    filter = re2ToRegExp(pattern);
    if (!filter) return bad(BAD_REGEX_BODY);
  }
  const type = query.first('type') ?? 'All';
  if (!(STATS_TYPES as readonly string[]).includes(type)) return bad(BAD_TYPE_BODY);
  let format: StatsFormat = fixedFormat ?? 'text';
  const asked = fixedFormat ? undefined : query.first('format');
  if (asked !== undefined) {
    // html and active-html: this fake is "built without admin HTML", which Envoy answers with a 400.
    if (asked !== 'text' && asked !== 'json' && asked !== 'prometheus') return bad(BAD_FORMAT_BODY);
    format = asked;
  }
  return { ok: true, params: { usedOnly: query.has('usedonly'), filter, type: type as StatsTypeFilter, format } };
}
