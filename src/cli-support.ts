// Helpers shared by the command definitions: option values → Config, one-line usage errors,
// running a core function and exiting with its code.
import type { OptionValues } from 'commander';
import { envName, OPTION_SPECS, parseBool, type OptionName, type OptionSpec } from './cli-options.js';
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

/**
 * One option's value: the flag, else its env var, else undefined. Commander reads env for valued
 * options itself; boolean flags are read here, because commander would take "false" as true.
 */
export function optionValue(spec: OptionSpec, values: OptionValues, env: NodeJS.ProcessEnv): unknown {
  const value = values[camel(spec.name)];
  const fromEnv = env[envName(spec.name)];
  if (spec.arg || value !== undefined || fromEnv === undefined) return value;
  try {
    return parseBool(fromEnv);
  } catch (error) {
    return usageError(`env ${envName(spec.name)}: ${(error as Error).message}`);
  }
}

/** Collects the named options (flag, else env, else preset/default) into a resolved Config. */
export function toConfig(names: OptionName[], values: OptionValues, env: NodeJS.ProcessEnv): Config {
  const input: Record<string, unknown> = {};
  for (const name of names) input[OPTION_SPECS[name].key] = optionValue(OPTION_SPECS[name], values, env);
  try {
    return resolveConfig(input as ConfigInput);
  } catch (error) {
    if (error instanceof UsageError) usageError(error.message);
    throw error;
  }
}

export function makeLogger(level: string, name?: string): Logger {
  return createLogger(level, process.stderr.isTTY === true, name);
}

/** Runs a command's core and exits with the code it returns. */
export async function execute(action: (log: Logger) => Promise<number>, logLevel: string, name?: string): Promise<never> {
  const log = makeLogger(logLevel, name);
  let code: number;
  try {
    code = await action(log);
  } catch (error) {
    log.fatal({ err: error }, 'internal error');
    code = EXIT_INTERNAL;
  }
  process.exit(code);
}
