// Commands beyond run/wait/quit, each defined in its own file under src/commands/.
import type { Command } from 'commander';
import { registerFakeEnvoy } from './fake-envoy.js';
import { registerPlan } from './plan.js';
import { registerWaitForAppExit } from './wait-for-app-exit.js';

type Register = (program: Command, env: NodeJS.ProcessEnv) => void;

const REGISTER: Register[] = [
  registerWaitForAppExit,
  registerPlan,
  registerFakeEnvoy,
];

export function registerExtraCommands(program: Command, env: NodeJS.ProcessEnv): void {
  for (const register of REGISTER) register(program, env);
}
