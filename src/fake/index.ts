// Starts the fake sidecar for a mesh and returns a handle: bound ports, signal delivery and the
// exit code. No argv, no env, no process.exit: the CLI (src/commands/fake-envoy.ts) does those.
import type { Logger } from '../log.js';
import { FakeEnvoy } from './envoy.js';
import { FakeLinkerd } from './linkerd.js';
import { envoyOptions, linkerdOptions, pilotAgentOptions, type FakeOptions } from './options.js';
import { PilotAgent } from './pilot-agent.js';

export interface FakeHandle {
  /** Every bound (or reserved) port, by role. */
  ports: Record<string, number>;
  /** Resolves with the process exit code once the fake has stopped. */
  exited: Promise<number>;
  /** SIGTERM / SIGINT as the real sidecar handles them. */
  signal(signal: NodeJS.Signals): void;
  /** Tears everything down at once (tests). */
  close(): Promise<number>;
}

export async function startFake(options: FakeOptions, log: Logger): Promise<FakeHandle> {
  const handle = options.mesh === 'linkerd' ? await startLinkerd(options, log) : await startEnvoy(options, log);
  const app = `${options.appHost}:${options.appPort}`;
  log.info({ mesh: options.mesh, ports: handle.ports, app }, 'fake envoy started');
  return handle;
}

async function startEnvoy(options: FakeOptions, log: Logger): Promise<FakeHandle> {
  const envoy = new FakeEnvoy(envoyOptions(options), log);
  await envoy.start();
  const defined = (ports: Record<string, number | undefined>) =>
    Object.fromEntries(Object.entries(ports).filter(([, v]) => v !== undefined)) as Record<string, number>;
  if (options.mesh === 'envoy') {
    return {
      ports: defined({ ...envoy.ports }),
      exited: envoy.exited,
      // Plain Envoy: SIGTERM and SIGINT are shutdown(), like /quitquitquit.
      signal: () => envoy.shutdown(0),
      close: () => (envoy.shutdown(0), envoy.exited),
    };
  }
  const agent = new PilotAgent(pilotAgentOptions(options), envoy, log);
  try {
    await agent.start();
  } catch (error) {
    envoy.shutdown(1);
    throw error;
  }
  envoy.options.pilotAgent = { host: '127.0.0.1', port: agent.port };
  // When Envoy exits, by /quitquitquit or being killed, pilot-agent exits too.
  const exited = envoy.exited.then((code) => (agent.destroy(), code));
  return {
    ports: defined({ ...envoy.ports, pilotAgent: agent.port }),
    exited,
    signal: (signal) => agent.lifecycle.signal(signal),
    close: () => (envoy.shutdown(0), exited),
  };
}

async function startLinkerd(options: FakeOptions, log: Logger): Promise<FakeHandle> {
  const linkerd = new FakeLinkerd(linkerdOptions(options), log);
  await linkerd.start();
  return {
    ports: { ...linkerd.ports },
    exited: linkerd.exited,
    signal: (signal) => linkerd.shutdown(`received ${signal}`),
    close: () => (linkerd.finish(0), linkerd.exited),
  };
}
