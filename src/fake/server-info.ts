// `/server_info` (ServerInfoHandler::handlerServerInfo): envoy.admin.v3.ServerInfo as JSON, with
// the state computed live, as `/ready` computes it. Durations are proto JSON (`"45s"`).
import type { FakeEnvoy } from './envoy.js';
import { serverState } from './state.js';

const seconds = (ms: number) => `${Math.floor(ms / 1000)}s`;

export function serverInfo(envoy: FakeEnvoy) {
  const o = envoy.options;
  const uptime = seconds(Date.now() - envoy.startedAt);
  return {
    version: `${o.version}/fake/Clean/RELEASE/BoringSSL`,
    state: serverState(envoy.state),
    hot_restart_version: 'disabled',
    command_line_options: {
      concurrency: o.concurrency,
      // Spelled like the proto enum; not verified against a real Envoy, so do not rely on it.
      drain_strategy: o.drainStrategy === 'immediate' ? 'Immediate' : 'Gradual',
      drain_time: seconds(o.drainTimeMs),
      parent_shutdown_time: '900s',
      disable_hot_restart: true,
      mode: 'Serve',
    },
    node: { id: 'sidecar~127.0.0.1~fake.default~default.svc.cluster.local', cluster: 'fake.default' },
    uptime_current_epoch: uptime,
    uptime_all_epochs: uptime,
  };
}
