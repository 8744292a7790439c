// The Envoy admin listener (AdminImpl::makeRequest): exact path match on the part before `?`,
// POST enforced on mutating handlers with a 405 and no side effect, a 404 with the help listing,
// Envoy's default headers, and one log line per call. It is a drain-close listener too: after
// /healthcheck/fail even admin responses carry `Connection: close`.
import type http from 'node:http';
import { ADMIN_ENDPOINTS, helpText, methodNotAllowedBody, NOT_FOUND_PREFIX } from './admin-table.js';
import { ADMIN_ROUTES, type Reply } from './admin-routes.js';
import { ConnectionStats } from './connection-stats.js';
import { DrainCloseListener } from './drain-close.js';
import type { FakeEnvoy } from './envoy.js';
import type { ManagedListener } from './listeners.js';
import { parseTarget } from './query.js';

const TEXT = 'text/plain; charset=UTF-8';

export function adminListener(envoy: FakeEnvoy): ManagedListener {
  const { adminAddress: host, adminPort: port } = envoy.options;
  const stats = new ConnectionStats(envoy.stats, 'admin', ['main_thread'], 'admin');
  const server = new DrainCloseListener((req, res) => void handle(envoy, stats, req, res).catch((error: Error) => failed(envoy, res, error)), {
    open: (s) => stats.open(s),
    close: (s) => stats.close(s),
    drainClose: () => envoy.drainClose('unspecified'),
    drained: () => stats.drainClosed(),
  });
  return {
    name: 'admin',
    direction: 'unspecified',
    host,
    get port() {
      return server.listener.port;
    },
    stats,
    start: async () => void (await server.listener.listen(host, port)),
    stop: () => server.listener.stop(),
    destroy: () => server.listener.destroy(),
  };
}

/** A bug in a handler must not take the fake down: log it and reset that one connection. */
function failed(envoy: FakeEnvoy, res: http.ServerResponse, error: Error): void {
  envoy.log.error({ error: error.message }, 'admin handler failed');
  res.destroy();
}

async function handle(envoy: FakeEnvoy, stats: ConnectionStats, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  stats.request();
  req.resume(); // request bodies are ignored by every endpoint
  if (envoy.options.faults.adminHang && envoy.faultsActive()) {
    envoy.log.info({ component: 'envoy-admin', method, path: url, status: null }, 'admin call hung (injected)');
    return;
  }
  const { path, query } = parseTarget(url);
  const endpoint = ADMIN_ENDPOINTS.find((e) => e.path === path);
  let reply: Reply;
  let error: string | undefined;
  if (!endpoint) {
    reply = { status: 404, body: NOT_FOUND_PREFIX + helpText() };
  } else if (endpoint.mutates && method !== 'POST') {
    error = `admin path "${path}" mutates state, method=${method} rather than POST`;
    reply = { status: 405, body: methodNotAllowedBody(method) };
  } else {
    reply = await ADMIN_ROUTES[path]!(envoy, query);
  }
  res.setHeader('content-type', reply.contentType ?? TEXT);
  res.setHeader('cache-control', 'no-cache, max-age=0');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-length', Buffer.byteLength(reply.body));
  res.writeHead(reply.status);
  res.end(reply.body, () => reply.after?.());
  envoy.log.info({ component: 'envoy-admin', method, path: url, status: reply.status, ms: Math.round(performance.now() - started), ...(error ? { error } : {}) }, 'admin call');
}
