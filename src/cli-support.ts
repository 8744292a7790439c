// Helpers shared by the command definitions: option values → Config, one-line usage errors,
// running a core function and exiting with its code.
import type { OptionValues } from 'commander';
import { envName, OPTION_SPECS, parseBool, type OptionName } from './cli-options.js';
import { resolveConfig, UsageError, type Config, type ConfigInput } from './config.js';
import { EXIT_USAGE } from './exit-codes.js';
import { createLogger, type Logger } from './log.js';

export const NAME = 'sidecar-lifecycle';
export const EXIT_INTERNAL = 70; // EX_SOFTWARE: a bug in the supervisor itself

/** One clear line on stderr, exit 64. */
export function usageError(message: string): never {
  process.stderr.write(`${NAME}: error: ${message.replace(/^error: /, '').trim()}\n`);
  process.exit(EXIT_USAGE);
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Collects the named options (flag, else env, else preset/default) into a resolved Config. */
export function toConfig(names: OptionName[], values: OptionValues, env: NodeJS.ProcessEnv): Config {
  const input: Record<string, unknown> = {};
  for (const name of names) {
    const spec = OPTION_SPECS[name];
    let value = values[camel(spec.name)];
    const fromEnv = env[envName(spec.name)];
    // Boolean flags: commander would treat any env value, even "false", as true.
    if (!spec.arg && value === undefined && fromEnv !== undefined) {
      try {
        value = parseBool(fromEnv);
      } catch (error) {
        usageError(`env ${envName(spec.name)}: ${(error as Error).message}`);
      }
    }
    input[spec.key] = value;
  }
  try {
    return resolveConfig(input as ConfigInput);
  } catch (error) {
    if (error instanceof UsageError) usageError(error.message);
    throw error;
  }
}

export function makeLogger(level: string): Logger {
  return createLogger(level, process.stderr.isTTY === true);
}

/** Runs a command's core and exits with the code it returns. */
export async function execute(action: (log: Logger) => Promise<number>, logLevel: string): Promise<never> {
  const log = makeLogger(logLevel);
  let code: number;
  try {
    code = await action(log);
  } catch (error) {
    log.fatal({ err: error }, 'internal error');
    code = EXIT_INTERNAL;
  }
  process.exit(code);
}
