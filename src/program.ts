// The command tree. Each command only parses options and calls its core.
import { Command, type OptionValues } from 'commander';
import { COMMAND_OPTIONS, OPTION_SPECS, toCommanderOption } from './cli-options.js';
import { execute, NAME, toConfig, usageError } from './cli-support.js';
import { registerExtraCommands } from './commands/index.js';
import { drainCommand } from './drain.js';
import { run } from './run.js';
import { VERSION } from './version.js';
import { quitCommand, waitCommand } from './wait.js';

export function buildProgram(env: NodeJS.ProcessEnv): Command {
  const program = new Command(NAME)
    .description('Ordered startup and drain-aware shutdown for an app beside an Envoy sidecar.')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${NAME}: ${text.split('\n')[0]}\n`) });

  const command = (name: keyof typeof COMMAND_OPTIONS, description: string) => {
    const cmd = program.command(name).description(description);
    for (const option of COMMAND_OPTIONS[name]) cmd.addOption(toCommanderOption(OPTION_SPECS[option]));
    return cmd;
  };

  command('run', 'wait for the sidecar, run the command, drain on shutdown, exit as the command did')
    .argument('[command...]', 'the app and its arguments (after --)')
    .passThroughOptions()
    .action(async (argv: string[], values: OptionValues) => {
      const config = toConfig(COMMAND_OPTIONS.run, values, env);
      if (argv.length === 0) usageError('run needs a command: sidecar-lifecycle run [options] -- <command> [args...]');
      await execute((log) => run(config, argv, log), config.logLevel);
    });

  command('wait', 'wait until the sidecar is ready; exit 0, or 69 on timeout').action(async (values: OptionValues) => {
    const config = toConfig(COMMAND_OPTIONS.wait, values, env);
    await execute((log) => waitCommand(config, log), config.logLevel);
  });

  command('quit', 'ask the sidecar to exit; exit 0 on 2xx, else 69').action(async (values: OptionValues) => {
    const config = toConfig(COMMAND_OPTIONS.quit, values, env);
    await execute((log) => quitCommand(config, log), config.logLevel);
  });

  command('drain', 'preStop hook: drain the sidecar, wait the delay and for connections; through a running run when there is one')
    .action(async (values: OptionValues) => {
      const config = toConfig(COMMAND_OPTIONS.drain, values, env);
      await execute((log) => drainCommand(config, log), config.logLevel);
    });

  registerExtraCommands(program, env);
  return program;
}
