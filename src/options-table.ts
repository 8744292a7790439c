// The README's option table, rendered from the option specs (scripts/options-table.mjs prints it;
// test/unit/readme.test.ts checks the README still holds exactly this).
import { COMMAND_OPTIONS, envName, OPTION_SPECS } from './cli-options.js';

export function optionsTable(): string {
  const commands = (name: string) =>
    Object.entries(COMMAND_OPTIONS)
      .filter(([, names]) => (names as string[]).includes(name))
      .map(([command]) => command)
      .join(', ');
  const rows = Object.entries(OPTION_SPECS).map(([name, spec]) => {
    const flag = `\`--${spec.name}${spec.arg ? ` <${spec.arg}>` : ''}\``;
    const choices = spec.choices ? ` (${spec.choices.join(' \\| ')})` : '';
    return `| ${flag} | \`${envName(spec.name)}\` | ${spec.defaultText.replaceAll('|', '\\|')} | ${commands(name)} | ${spec.description}${choices} |`;
  });
  return ['| flag | env | default | commands | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
