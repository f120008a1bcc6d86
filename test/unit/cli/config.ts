// Provider config files for CLI tests: every model the fixtures use, and the default judge,
// mapped to a stand-in server.
import fs from 'node:fs';
import path from 'node:path';

export function standinConfigText(url: string): string {
  return [
    'providers:',
    '  standin:',
    `    baseURL: ${url}`,
    'models:',
    '  openai/gpt-4o: standin',
    '  openai/gpt-4o-mini: standin',
    '',
  ].join('\n');
}

/** Writes `promptlab.config.yaml` into `dir` (created if needed) and returns its path. */
export function writeStandinConfig(dir: string, url: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'promptlab.config.yaml');
  fs.writeFileSync(file, standinConfigText(url));
  return file;
}
