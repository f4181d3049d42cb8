/**
 * Prints the configuration options as the markdown table of the README.
 * Usage: npx tsx scripts/print-config-table.ts
 */
import { CONFIG_OPTIONS, type ConfigValue, ENVIRONMENT_ONLY_OPTIONS } from '../src/config/config-options.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function formatDefault(key: string, value: ConfigValue): string {
  if (key === 'nodeId') return 'hostname-pid';
  if (value === null || (Array.isArray(value) && value.length === 0)) return 'none';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

const lines = [
  '| option (file) | environment | default | description |',
  '| --- | --- | --- | --- |',
  ...CONFIG_OPTIONS.map(
    (o) => `| \`${o.key}\` | \`${o.env}\` | ${formatDefault(o.key, o.default)} | ${cell(o.description)} |`,
  ),
  '',
  'Keys, read only from the environment:',
  '',
  '| environment | description |',
  '| --- | --- |',
  ...ENVIRONMENT_ONLY_OPTIONS.map((o) => `| \`${o.env}\` | ${cell(o.description)} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
