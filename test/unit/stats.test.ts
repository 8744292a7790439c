import { describe, expect, it } from 'vitest';
import { ENVOY_INBOUND_STAT_REGEX, ISTIO_INBOUND_STAT_REGEX } from '../../src/config.js';
import { parseStats, sumActiveConnections } from '../../src/stats.js';

// Shape from the reference (§1.6): what Istio's sidecar prints for `filter=downstream_cx_active$`.
const ISTIO = `http.admin.downstream_cx_active: 1
http.agent.downstream_cx_active: 0
http.inbound_0.0.0.0_8080.downstream_cx_active: 2
listener.0.0.0.0_15006.downstream_cx_active: 2
listener.0.0.0.0_15006.worker_0.downstream_cx_active: 1
listener.0.0.0.0_15006.worker_1.downstream_cx_active: 1
listener.0.0.0.0_15021.downstream_cx_active: 0
listener.admin.downstream_cx_active: 1
listener.admin.main_thread.downstream_cx_active: 1
`;

describe('parseStats', () => {
  it('reads counters and gauges, skips text readouts and histograms', () => {
    const stats = parseStats(`a.b: 3\nserver.version: "1.2"\nh.x: P0(nan,1) P25(nan,2)\nempty.h: No recorded values\nneg: -1\n\ncluster.x.y: 12.5\n`);
    expect([...stats]).toEqual([
      ['a.b', 3],
      ['neg', -1],
      ['cluster.x.y', 12.5],
    ]);
  });
  it('empty body → no stats', () => expect(parseStats('').size).toBe(0));
});

describe('sumActiveConnections', () => {
  const sum = (text: string, regex: string) => sumActiveConnections(parseStats(text), new RegExp(regex));
  it.each([
    ['istio sample, default regex: only the 15006 aggregate', ISTIO, ISTIO_INBOUND_STAT_REGEX, 2],
    ['IPv6 wildcard listener', 'listener.[__]_15006.downstream_cx_active: 4\n', ISTIO_INBOUND_STAT_REGEX, 4],
    ['dual listeners on 15006 add up', 'listener.0.0.0.0_15006.downstream_cx_active: 1\nlistener.[__]_15006.downstream_cx_active: 2\n', ISTIO_INBOUND_STAT_REGEX, 3],
    ['no inbound lines (usedonly, never used) → 0', 'listener.0.0.0.0_15021.downstream_cx_active: 1\n', ISTIO_INBOUND_STAT_REGEX, 0],
    ['plain envoy: every listener but admin and workers', ISTIO, ENVOY_INBOUND_STAT_REGEX, 2],
    ['a wide user regex still never counts workers or admin twice', ISTIO, 'downstream_cx_active$', 4],
    ['a user regex for another port', 'listener.0.0.0.0_8443.downstream_cx_active: 7\nlistener.0.0.0.0_15006.downstream_cx_active: 1\n', String.raw`^listener\..*_8443\.downstream_cx_active$`, 7],
  ])('%s', (_name, text, regex, expected) => expect(sum(text, regex)).toBe(expected));
});
