// A raw TCP passthrough listener, like Envoy's tcp_proxy: counted, stopped with its direction,
// but never drain-closed (only the HTTP connection manager can drain). Its connections end when
// a peer closes them or the server exits.
import net from 'node:net';
import { ConnectionStats, statAddress, workerNames } from './connection-stats.js';
import type { ListenerContext, ManagedListener } from './listeners.js';
import type { Upstream } from './proxy.js';

export function tcpProxyListener(ctx: ListenerContext, spec: { name: string; host: string; port: number; upstream: Upstream }): ManagedListener {
  const stats = new ConnectionStats(ctx.stats, statAddress(spec.host, spec.port), workerNames(ctx.concurrency), undefined);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    stats.open(socket);
    const upstream = net.connect({ host: spec.upstream.host, port: spec.upstream.port });
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    socket.once('close', () => {
      sockets.delete(socket);
      stats.close(socket);
    });
  });
  return {
    name: spec.name,
    direction: 'inbound',
    host: spec.host,
    port: spec.port,
    stats,
    start: () =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: spec.host, port: spec.port, exclusive: true }, () => resolve());
      }),
    stop: () => void server.close(),
    destroy: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
