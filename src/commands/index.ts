// Commands beyond run/wait/quit, each defined in its own file under src/commands/.
import type { Command } from 'commander';

type Register = (program: Command, env: NodeJS.ProcessEnv) => void;

const REGISTER: Register[] = [];

export function registerExtraCommands(program: Command, env: NodeJS.ProcessEnv): void {
  for (const register of REGISTER) register(program, env);
}
