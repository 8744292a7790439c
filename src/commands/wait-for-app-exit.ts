// `wait-for-app-exit [options]`: the istio-proxy container's preStop. Holds the proxy until the
// app no longer listens. Its own options; the sidecar connection options do not apply here.
import { InvalidArgumentError, type Command, type OptionValues } from 'commander';
import { OPTION_SPECS, toCommanderOption, type OptionSpec } from '../cli-options.js';
import { execute } from '../cli-support.js';
import { realClock } from '../clock.js';
import { formatDuration, parseDuration } from '../duration.js';
import { DEFAULT_PROXY_UID, PROXY_PORTS, ruleFor } from '../wait-app-exit-listeners.js';
import { readSockets, waitForAppExit } from '../wait-app-exit.js';

const DEFAULT_POLL_MS = 500;

function parseUid(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`"${text}" is not a uid (a non-negative integer)`);
  return Number(text.trim());
}

function parsePositiveDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms < 1) throw new Error(`"${text}" must be at least 1ms`);
  return ms;
}

/** One or more ports, comma-separated (the env form); each 1-65535. */
export function parsePorts(text: string): number[] {
  return text.split(',').map((part) => {
    const p = part.trim();
    if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535) throw new Error(`"${p}" is not a port (1-65535)`);
    return Number(p);
  });
}

export const WAIT_APP_EXIT_SPECS = {
  proxyUid: { name: 'proxy-uid', key: 'proxyUid', arg: 'uid', parse: parseUid, description: "uid of the proxy's processes; their listeners are ignored", defaultText: String(DEFAULT_PROXY_UID) },
  port: { name: 'port', key: 'port', arg: 'port', parse: parsePorts, description: 'watch only these ports, whoever owns them (repeatable; env: comma-separated)', defaultText: `every port but the sidecar's (${PROXY_PORTS.join(', ')}), listeners of the proxy uid excepted` },
  pollInterval: { name: 'poll-interval', key: 'pollIntervalMs', arg: 'duration', parse: parsePositiveDuration, description: 'time between reads of /proc/net/tcp{,6}', defaultText: formatDuration(DEFAULT_POLL_MS) },
  timeout: { name: 'timeout', key: 'timeoutMs', arg: 'duration', parse: parseDuration, description: 'exit 69 if the app still listens after this long (0 = until the kubelet ends the hook)', defaultText: '0' },
} satisfies Record<string, OptionSpec>;

export function registerWaitForAppExit(program: Command, _env: NodeJS.ProcessEnv): void {
  const cmd = program
    .command('wait-for-app-exit')
    .description("wait until the app no longer listens (the proxy container's preStop); exit 0, or 69 on timeout");
  const { proxyUid, port, pollInterval, timeout } = WAIT_APP_EXIT_SPECS;
  cmd.addOption(toCommanderOption(proxyUid));
  // Repeatable: each flag (or the env value) adds its comma-separated ports.
  cmd.addOption(
    toCommanderOption(port).argParser((value: string, previous: number[] | undefined) => {
      try {
        return [...(previous ?? []), ...parsePorts(value)];
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    }),
  );
  cmd.addOption(toCommanderOption(pollInterval));
  cmd.addOption(toCommanderOption(timeout));
  cmd.addOption(toCommanderOption(OPTION_SPECS.logLevel));
  cmd.action(async (values: OptionValues) => {
    const rule = ruleFor((values.port as number[] | undefined) ?? [], (values.proxyUid as number | undefined) ?? DEFAULT_PROXY_UID);
    const opts = {
      rule,
      pollIntervalMs: (values.pollInterval as number | undefined) ?? DEFAULT_POLL_MS,
      timeoutMs: (values.timeout as number | undefined) ?? 0,
    };
    await execute((log) => waitForAppExit(opts, { clock: realClock, log, readSockets: () => readSockets() }), (values.logLevel as string | undefined) ?? 'info');
  });
}
