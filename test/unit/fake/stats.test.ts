import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../../src/fake/query.js';
import { re2ToRegExp } from '../../../src/fake/re2.js';
import { BAD_FORMAT_BODY, BAD_REGEX_BODY, BAD_TYPE_BODY, parseStatsParams } from '../../../src/fake/stats-params.js';
import { renderJson, renderPrometheus, renderText, selectStats, toPrometheus } from '../../../src/fake/stats-render.js';
import { StatsStore } from '../../../src/fake/stats.js';

function store(): StatsStore {
  const s = new StatsStore();
  s.define('listener.0.0.0.0_15006.downstream_cx_active', 'gauge'); // never used
  s.add('listener.0.0.0.0_15001.downstream_cx_active', 1, 'gauge');
  s.add('listener.0.0.0.0_15001.downstream_cx_active', -1, 'gauge'); // used, back to 0
  s.set('server.state', 0);
  s.set('server.live', 1);
  s.add('listener_manager.lds.update_success', 1);
  s.define('listener_manager.lds.update_rejected', 'counter');
  return s;
}

const params = (query: string) => {
  const parsed = parseStatsParams(parseTarget(`/stats?${query}`).query);
  if (!parsed.ok) throw new Error(parsed.body);
  return parsed.params;
};

describe('StatsStore', () => {
  it('marks stats used on any write, even of the same value', () => {
    const s = new StatsStore();
    s.define('g', 'gauge');
    expect(s.all()[0]!.used).toBe(false);
    s.set('g', 0);
    expect(s.all()[0]).toMatchObject({ used: true, value: 0 });
  });

  it('resets counters but not gauges, keeping them used', () => {
    const s = store();
    s.resetCounters();
    expect(s.get('listener_manager.lds.update_success')).toBe(0);
    expect(s.get('server.live')).toBe(1);
    expect(s.all().find((x) => x.name === 'listener_manager.lds.update_success')!.used).toBe(true);
  });

  it('refuses to redefine a stat with another type', () => {
    expect(() => store().define('server.state', 'counter')).toThrow();
  });
});

describe('/stats selection and text', () => {
  it.each([
    ['', ['listener.0.0.0.0_15001.downstream_cx_active', 'listener.0.0.0.0_15006.downstream_cx_active', 'listener_manager.lds.update_rejected', 'listener_manager.lds.update_success', 'server.live', 'server.state']],
    ['usedonly', ['listener.0.0.0.0_15001.downstream_cx_active', 'listener_manager.lds.update_success', 'server.live', 'server.state']],
    ['usedonly&filter=downstream_cx_active$', ['listener.0.0.0.0_15001.downstream_cx_active']],
    ['filter=server', ['server.live', 'server.state']],
    ['filter=^(server\\.state|listener_manager\\.lds\\.update_success)', ['listener_manager.lds.update_success', 'server.state']],
    ['filter=', ['listener.0.0.0.0_15001.downstream_cx_active', 'listener.0.0.0.0_15006.downstream_cx_active', 'listener_manager.lds.update_rejected', 'listener_manager.lds.update_success', 'server.live', 'server.state']],
    ['type=Counters', ['listener_manager.lds.update_rejected', 'listener_manager.lds.update_success']],
    ['type=Gauges&usedonly', ['listener.0.0.0.0_15001.downstream_cx_active', 'server.live', 'server.state']],
    ['type=Histograms', []],
    ['filter=nothing-matches', []],
  ])('?%s', (query, names) => {
    expect(selectStats(store().all(), params(query)).map((s) => s.name)).toEqual(names);
  });

  it('renders `name: value` lines, and an empty body for no match', () => {
    expect(renderText(selectStats(store().all(), params('filter=^server')))).toBe('server.live: 1\nserver.state: 0\n');
    expect(renderText([])).toBe('');
  });

  it('renders JSON as {"stats":[{name,value}]}', () => {
    expect(JSON.parse(renderJson(selectStats(store().all(), params('filter=^server'))))).toEqual({
      stats: [
        { name: 'server.live', value: 1 },
        { name: 'server.state', value: 0 },
      ],
    });
  });
});

describe('/stats parameters (StatsParams::parse)', () => {
  it.each([
    ['filter=(', BAD_REGEX_BODY],
    ['filter=a(?=b)', BAD_REGEX_BODY],
    ['filter=(a)\\1', BAD_REGEX_BODY],
    ['type=counters', BAD_TYPE_BODY],
    ['format=xml', BAD_FORMAT_BODY],
    ['format=html', BAD_FORMAT_BODY],
    ['format=active-html', BAD_FORMAT_BODY],
    // filter is checked first
    ['filter=(&type=bad&format=bad', BAD_REGEX_BODY],
    ['type=bad&format=bad', BAD_TYPE_BODY],
  ])('?%s → 400', (query, body) => {
    expect(parseStatsParams(parseTarget(`/stats?${query}`).query)).toEqual({ ok: false, status: 400, body });
  });

  it('has the usage text with literal pipes and two newlines', () => {
    expect(BAD_FORMAT_BODY).toBe('usage: /stats?format=(html|active-html|json|prometheus|text)\n\n');
  });

  it.each([
    ['', 'text'],
    ['format=json', 'json'],
    ['format=prometheus', 'prometheus'],
    ['format=text', 'text'],
  ])('?%s → format %s', (query, format) => expect(params(query).format).toBe(format));

  it.each([
    ['a.b', true],
    ['(?P<name>x)', true],
    ['^(a|b)$', true],
    ['[', false],
    ['(?<!x)y', false],
  ])('re2ToRegExp(%j) compiles: %s', (pattern, compiles) => expect(re2ToRegExp(pattern) !== undefined).toBe(compiles));
});

describe('Prometheus rendering', () => {
  it.each([
    ['server.state', 'envoy_server_state', []],
    ['listener.0.0.0.0_15006.downstream_cx_active', 'envoy_listener_downstream_cx_active', [['envoy_listener_address', '0.0.0.0_15006']]],
    ['listener.0.0.0.0_15006.worker_1.downstream_cx_active', 'envoy_listener_downstream_cx_active', [['envoy_listener_address', '0.0.0.0_15006'], ['envoy_worker_id', '1']]],
    ['listener.[__]_15006.downstream_cx_active', 'envoy_listener_downstream_cx_active', [['envoy_listener_address', '[__]_15006']]],
    ['listener.admin.downstream_cx_active', 'envoy_listener_admin_downstream_cx_active', []],
    ['http.inbound_0.0.0.0_8080.downstream_cx_drain_close', 'envoy_http_downstream_cx_drain_close', [['envoy_http_conn_manager_prefix', 'inbound_0.0.0.0_8080']]],
    ['cluster_manager.cds.update_success', 'envoy_cluster_manager_cds_update_success', []],
  ])('%s → %s', (name, family, labels) => {
    const sample = toPrometheus({ name, type: 'gauge', value: 2, used: true });
    expect(sample.family).toBe(family);
    expect(sample.labels).toEqual(labels);
  });

  it('renders one TYPE line per family, then its samples', () => {
    const s = new StatsStore();
    s.set('server.state', 1);
    s.set('listener.0.0.0.0_15006.downstream_cx_active', 2);
    s.set('listener.0.0.0.0_15001.downstream_cx_active', 0);
    s.add('listener_manager.listener_stopped', 1);
    expect(renderPrometheus(s.all())).toBe(
      [
        '# TYPE envoy_listener_downstream_cx_active gauge',
        'envoy_listener_downstream_cx_active{envoy_listener_address="0.0.0.0_15001"} 0',
        'envoy_listener_downstream_cx_active{envoy_listener_address="0.0.0.0_15006"} 2',
        '# TYPE envoy_listener_manager_listener_stopped counter',
        'envoy_listener_manager_listener_stopped{} 1',
        '# TYPE envoy_server_state gauge',
        'envoy_server_state{} 1',
        '',
      ].join('\n'),
    );
  });
});
