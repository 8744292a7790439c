// How the fake pilot-agent talks to the fake Envoy: real HTTP to the admin port, as
// pilot-agent does, so its calls show up in the admin log and in `listener.admin.*` stats.
import { Agent, request } from 'undici';

export interface AdminAnswer {
  status: number;
  body: string;
}

export class AdminClient {
  private readonly agent = new Agent({ connections: 4 });
  readonly base: string;

  constructor(host: string, port: number) {
    // A wildcard bind is reached through loopback.
    const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    this.base = `http://${target.includes(':') ? `[${target}]` : target}:${port}`;
  }

  /** `timeoutMs` undefined means no client timeout (pilot-agent's first config check has none). */
  async call(method: 'GET' | 'POST', pathAndQuery: string, timeoutMs?: number): Promise<AdminAnswer> {
    const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    const res = await request(this.base + pathAndQuery, {
      method,
      signal,
      dispatcher: this.agent,
      headers: { 'user-agent': 'pilot-agent (fake)' },
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return { status: res.statusCode, body: await res.body.text() };
  }

  close(): void {
    void this.agent.destroy();
  }
}
