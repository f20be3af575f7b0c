// The one colour decision, for charts, sparklines and the shell: a non-empty NO_COLOR turns colour
// off (no-color.org); otherwise chalk's reading of stdout (a colour terminal, TERM, FORCE_COLOR).
import chalk from 'chalk';

export function colourWanted(): boolean {
  const no = process.env.NO_COLOR;
  return (no === undefined || no === '') && chalk.level > 0;
}
