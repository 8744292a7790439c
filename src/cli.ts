// Entry point of the bundle: parse, dispatch, exit. Nothing below program.ts reads argv or env.
import { CommanderError } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';
import { buildProgram } from './program.js';

const program = buildProgram(process.env);
if (process.argv.length <= 2) {
  program.outputHelp({ error: true });
  process.exit(EXIT_USAGE);
}
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
  process.exit(ok ? 0 : EXIT_USAGE);
}
