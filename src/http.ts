import { Agent, request } from 'undici';

// One small keep-alive pool for the sidecar: readiness and stats polls reuse a connection.
const agent = new Agent({ connections: 4, keepAliveTimeout: 2000, connect: { timeout: 1000 } });

export interface HttpResult {
  status: number;
  body: string;
}

/**
 * One HTTP call with a hard deadline covering connect, headers and body. A sidecar that accepts
 * and never answers (a known Envoy failure) must not hang the supervisor.
 */
export async function httpCall(
  method: 'GET' | 'POST',
  url: string,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<HttpResult> {
  // AbortSignal.timeout throws on fractions, and "time left" computed from performance.now() has them.
  const deadline = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)));
  const signal = abort ? AbortSignal.any([deadline, abort]) : deadline;
  try {
    const res = await request(url, { method, signal, dispatcher: agent, headersTimeout: 0, bodyTimeout: 0 });
    return { status: res.statusCode, body: await res.body.text() };
  } catch (error) {
    if (deadline.aborted) throw new Error(`no answer within ${Math.ceil(timeoutMs)}ms`);
    if (abort?.aborted) throw new Error('cancelled');
    throw new Error(describe(error));
  }
}

function describe(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.code ?? err.cause?.message ?? err.message ?? String(error);
}
