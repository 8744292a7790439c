// Forwards one HTTP/1.1 request upstream and streams the answer back, as an Envoy router does.
// Hop-by-hop headers stay on their own hop; when the upstream cannot be reached before response
// headers, the client gets Envoy's local 503.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

export interface Upstream {
  host: string;
  port: number;
  /** Origin-form path to send; defaults to the request target. */
  path?: string;
}

// Envoy's local reply when the upstream connection fails. The exact wording varies by version
// (newer ones add the transport failure reason); not verified.
export const UPSTREAM_FAILURE_BODY = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'http2-settings']);

function endToEnd(raw: string[]): string[] {
  const named = new Set(HOP_BY_HOP);
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') for (const t of raw[i + 1]!.split(',')) named.add(t.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!named.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

export interface ForwardOptions {
  agent: http.Agent;
  /** Envoy cluster connect_timeout (Istio's `agent` cluster for 15021 uses 250 ms). */
  connectTimeoutMs: number;
}

export function forward(req: http.IncomingMessage, res: http.ServerResponse, upstream: Upstream, opts: ForwardOptions): void {
  const headers = endToEnd(req.rawHeaders);
  if (!req.headers['x-request-id']) headers.push('x-request-id', randomUUID());
  headers.push('x-forwarded-proto', 'http');
  const out = http.request({ host: upstream.host, port: upstream.port, method: req.method, path: upstream.path ?? req.url, headers, agent: opts.agent });
  out.on('socket', (socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => out.destroy(new Error('connect timeout')), opts.connectTimeoutMs);
    socket.once('connect', () => clearTimeout(timer)).once('close', () => clearTimeout(timer));
  });
  out.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  out.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(503, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(UPSTREAM_FAILURE_BODY) });
    res.end(UPSTREAM_FAILURE_BODY);
  });
  // A client that goes away takes its upstream request with it (Envoy resets the stream).
  res.on('close', () => {
    if (!res.writableFinished) out.destroy();
  });
  req.pipe(out);
}
