// Test support: real OpenAI-compatible provider pointed at the stand-in, and prompt files parsed
// by the real parser from YAML text written to a temporary folder.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { PromptFile } from '../../../src/core/model';
import { parsePromptFile } from '../../../src/core/promptfile';
import { OpenAICompatibleProvider } from '../../../src/core/providers/openai';
import type { ModelPrice, ModelResolver, Provider } from '../../../src/core/providers/types';

export interface ResolverOptions {
  /** Price for every model; absent → unknown price. */
  price?: ModelPrice;
  /** Models resolved to another base URL (e.g. a closed port). */
  elsewhere?: Record<string, string>;
  maxRetries?: number;
}

/** Maps `publisher/model` → the stand-in's `model`, through the real `openai` client. */
export function standinResolver(baseURL: string, options: ResolverOptions = {}): ModelResolver {
  const providers = new Map<string, Provider>();
  const providerFor = (url: string): Provider => {
    let provider = providers.get(url);
    if (!provider) {
      provider = new OpenAICompatibleProvider({ kind: 'custom', name: 'standin', baseURL: url, maxRetries: options.maxRetries ?? 0, backoffBaseMs: 1 });
      providers.set(url, provider);
    }
    return provider;
  };
  return {
    resolve(modelId: string) {
      const url = options.elsewhere?.[modelId] ?? baseURL;
      return { provider: providerFor(url), model: modelId.slice(modelId.lastIndexOf('/') + 1), requestedId: modelId, ...(options.price ? { price: options.price } : {}) };
    },
  };
}

/** Writes `yaml` to `dir/name` and parses it; fails loudly when the file has errors. */
export async function promptFrom(dir: string, name: string, yaml: string): Promise<PromptFile> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, yaml);
  const { prompt, diagnostics } = await parsePromptFile(file, yaml);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!prompt || errors.length > 0) throw new Error(`test prompt has errors: ${errors.map((d) => d.message).join('; ')}`);
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
