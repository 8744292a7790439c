// `plan [options]`: the same options as run (flags, env, mesh preset), printed as a timeline.
// A report, not a supervisor: the chart goes to stdout; `--check` turns warnings into exit 1.
import type { Command, OptionValues } from 'commander';
import { COMMAND_OPTIONS, OPTION_SPECS, toCommanderOption, type OptionSpec } from '../cli-options.js';
import { optionValue, toConfig } from '../cli-support.js';
import { EXIT_OK } from '../exit-codes.js';
import { EXIT_PLAN_DOES_NOT_FIT, renderPlan } from '../plan.js';

export const CHECK_SPEC: OptionSpec = {
  name: 'check',
  key: 'check',
  description: `exit ${EXIT_PLAN_DOES_NOT_FIT} when the timeline does not fit the grace period or outlives the proxy`,
  defaultText: 'false',
};

export function registerPlan(program: Command, env: NodeJS.ProcessEnv): void {
  const cmd = program
    .command('plan')
    .description("print the startup and shutdown timeline for run's options; warn when it does not fit (grace period default: 30s)");
  for (const option of COMMAND_OPTIONS.run) cmd.addOption(toCommanderOption(OPTION_SPECS[option]));
  cmd.addOption(toCommanderOption(CHECK_SPEC));
  cmd.action((values: OptionValues) => {
    const config = toConfig(COMMAND_OPTIONS.run, values, env);
    const check = optionValue(CHECK_SPEC, values, env) === true;
    const plan = renderPlan(config);
    process.stdout.write(plan.text);
    process.exitCode = check && plan.warnings.length > 0 ? EXIT_PLAN_DOES_NOT_FIT : EXIT_OK;
  });
}
