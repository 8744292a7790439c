// Which listeners the fake Envoy has, named and addressed as in an Istio sidecar:
// virtualInbound (15006 → app), virtualOutbound (15001 → request host), 0.0.0.0_15021 (→ pilot-agent),
// plus an optional raw TCP passthrough. Ports given as 0 are reserved at start so they can be
// reported before the listeners begin to accept.
import { statAddress } from './connection-stats.js';
import type { EnvoyOptions } from './envoy-options.js';
import { reservePort } from './http-listener.js';
import { httpProxyListener, outboundRoute, type ListenerContext, type ManagedListener } from './listeners.js';
import { tcpProxyListener } from './tcp.js';

export interface ListenerPorts {
  inbound: number;
  outbound: number;
  health: number | undefined;
  tcp: number | undefined;
}

export async function reserveListenerPorts(o: EnvoyOptions): Promise<ListenerPorts> {
  const host = o.listenerAddress;
  const maybe = (port: number | undefined) => (port === undefined ? Promise.resolve(undefined) : reservePort(host, port));
  return {
    inbound: await reservePort(host, o.inboundPort),
    outbound: await reservePort(host, o.outboundPort),
    health: await maybe(o.healthPort),
    tcp: await maybe(o.tcpPort),
  };
}

// Istio's agent cluster (15021 → 15020) has a 250 ms connect timeout; app clusters use 10 s.
const AGENT_CONNECT_TIMEOUT_MS = 250;
const APP_CONNECT_TIMEOUT_MS = 10_000;

/** The static (bootstrap) listeners, or the ones that come with LDS. */
export function createListeners(ctx: ListenerContext & { options: EnvoyOptions }, ports: ListenerPorts, which: { static: boolean }): ManagedListener[] {
  const o = ctx.options;
  const host = o.listenerAddress;
  if (which.static) {
    if (ports.health === undefined) return [];
    return [
      httpProxyListener(ctx, {
        name: statAddress(host, ports.health),
        direction: 'unspecified',
        host,
        port: ports.health,
        httpPrefix: 'agent',
        // The bootstrap routes prefix /healthz/ready to the agent cluster; anything else has no route.
        // pilot-agent starts after Envoy, so its address is read per request.
        route: (req) => (req.url?.startsWith('/healthz/ready') ? (o.pilotAgent ?? { host: '127.0.0.1', port: 0 }) : { status: 404, body: '' }),
        connectTimeoutMs: AGENT_CONNECT_TIMEOUT_MS,
      }),
    ];
  }
  const app = { host: o.appHost, port: o.appPort };
  const listeners = [
    httpProxyListener(ctx, {
      name: 'virtualInbound',
      direction: 'inbound',
      host,
      port: ports.inbound,
      httpPrefix: `inbound_0.0.0.0_${o.appPort}`,
      route: () => app,
      connectTimeoutMs: APP_CONNECT_TIMEOUT_MS,
    }),
    httpProxyListener(ctx, {
      name: 'virtualOutbound',
      direction: 'outbound',
      host,
      port: ports.outbound,
      httpPrefix: `outbound_0.0.0.0_${ports.outbound}`,
      route: outboundRoute({ port: ports.outbound }),
      connectTimeoutMs: APP_CONNECT_TIMEOUT_MS,
    }),
  ];
  if (ports.tcp === undefined) return listeners;
  return [...listeners, tcpProxyListener(ctx, { name: 'inboundTcpPassthrough', host, port: ports.tcp, upstream: app })];
}
