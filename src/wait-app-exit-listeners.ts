// Which listening sockets mean "the app is still up", seen from the proxy container.
// The pod shares one network namespace, so /proc/net/tcp{,6} lists every container's sockets;
// the uid column tells the proxy's sockets from the app's without seeing the app's PIDs.
import { formatEndpoint, TCP_LISTEN, type TcpSocket } from './proc-net.js';

/** Istio's proxy user (`DefaultProxyUID`): Envoy and pilot-agent run as 1337. */
export const DEFAULT_PROXY_UID = 1337;

/** Ports of the sidecar itself (Envoy admin/outbound/inbound/HBONE, pilot-agent status/DNS, metrics). */
export const PROXY_PORTS: readonly number[] = [15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090];

export type ListenerRule =
  /** Default: any listener not owned by the proxy uid and not on a proxy port. */
  | { kind: 'app'; proxyUid: number; proxyPorts: readonly number[] }
  /** `--port`: exactly these ports, whoever owns them. */
  | { kind: 'ports'; ports: readonly number[] };

export function ruleFor(ports: readonly number[], proxyUid: number): ListenerRule {
  return ports.length > 0 ? { kind: 'ports', ports } : { kind: 'app', proxyUid, proxyPorts: PROXY_PORTS };
}

export function appListeners(sockets: readonly TcpSocket[], rule: ListenerRule): TcpSocket[] {
  return sockets.filter((s) => {
    if (s.state !== TCP_LISTEN) return false;
    if (rule.kind === 'ports') return rule.ports.includes(s.localPort);
    return s.uid !== rule.proxyUid && !rule.proxyPorts.includes(s.localPort);
  });
}

/** `127.0.0.1:8080 (uid 1000)`, for logs. */
export function describeListener(s: TcpSocket): string {
  return `${formatEndpoint(s.family, s.localAddress, s.localPort)} (uid ${s.uid})`;
}
