// Test support: real OpenAI-compatible provider pointed at the stand-in, and prompt files parsed
// by the real parser from YAML text written to a temporary folder.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { PromptFile } from '../../../src/core/model';
import { parsePromptFile } from '../../../src/core/promptfile';
import type { ProviderConfig } from '../../../src/core/providers/config';
import { createResolver } from '../../../src/core/providers/resolver';
import type { ModelPrice, ModelResolver } from '../../../src/core/providers/types';
import { type Standin, type StandinOptions, startStandin } from '../../../src/standin/server';

export interface ResolverOptions {
  /** Price for every model (config `pricing: {'*': …}`); absent → the public table, unknown for stand-in ids. */
  price?: ModelPrice;
  /** Model ids routed to another base URL (e.g. a closed port). */
  elsewhere?: Record<string, string>;
  maxRetries?: number;
}

/**
 * The project's own resolver over a config whose default provider is the stand-in: ids map to
 * the stand-in's `model` without their `publisher/` part, through the real `openai` client.
 */
export function standinResolver(baseURL: string, options: ResolverOptions = {}): ModelResolver {
  const config: ProviderConfig = {
    defaultProvider: 'standin',
    providers: { standin: { name: 'standin', preset: 'custom', baseURL, maxRetries: options.maxRetries ?? 0 } },
    models: {},
    pricing: options.price ? { '*': options.price } : {},
  };
  Object.entries(options.elsewhere ?? {}).forEach(([modelId, url], i) => {
    const name = `elsewhere${i}`;
    config.providers[name] = { name, preset: 'custom', baseURL: url, maxRetries: 0 };
    config.models[modelId] = { provider: name };
  });
  return createResolver(config, { env: {} });
}

/** Writes `yaml` to `dir/name` and parses it; fails loudly when the file has errors. */
export async function promptFrom(dir: string, name: string, yaml: string): Promise<PromptFile> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, yaml);
  const { prompt, diagnostics } = await parsePromptFile(file, yaml);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!prompt || errors.length > 0)
    throw new Error(`test prompt has errors: ${errors.map((d) => d.message).join('; ')}`);
  return prompt;
}

/** A base URL on a port where nothing listens (bound, then closed). */
export async function closedPortURL(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

/** YAML test data lines for `count` cases with `input` and `expected`. */
export function casesYaml(count: number, input = (i: number) => `question ${i}`): string {
  return Array.from({ length: count }, (_, i) => `  - input: '${input(i)}'\n    expected: '${input(i)}'`).join('\n');
}

export interface StandinFixture {
  /** The stand-in server (read it in hooks and tests: it starts in `before`). */
  readonly standin: Standin;
  /** A temporary folder of the suite's own, made when first read. */
  readonly dir: string;
}

/**
 * Registers hooks on the current suite (or, at the top level, the file): a stand-in started with
 * `options` before its tests, closed after them; the temporary folder (named after `prefix`), if the
 * suite used it, removed then too. Later `before` hooks of the suite run after these, so they can use it.
 */
export function standinFixture(prefix: string, options: StandinOptions = {}): StandinFixture {
  let standin: Standin | undefined;
  let dir: string | undefined;
  before(async () => {
    standin = await startStandin(options);
  });
  after(async () => {
    await standin?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get standin() {
      if (!standin) throw new Error("the stand-in starts in the suite's before hook: read it in hooks and tests");
      return standin;
    },
    get dir() {
      dir ??= fs.mkdtempSync(path.join(os.tmpdir(), `promptlab-${prefix}-`));
      return dir;
    },
  };
}
