// `promptlab init`: the catalog table, the plan core makes from it, and the CLI end to end
// (real bundle, real stand-in socket, then `eval` with the written config).
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  collectModelUses,
  createResolver,
  findCatalogEntry,
  GH_MODELS_CATALOG,
  loadPromptFile,
  loadProviderConfig,
  parseProviderConfig,
  planInitConfig,
  planRoute,
  suggestDefaultModel,
  type PromptFile,
} from '../../../../src/core';
import { runInitCommand, type Asker } from '../../../../src/cli/commands/init';
import { pickStyle } from '../../../../src/cli/format/table';
import type { CliIo } from '../../../../src/cli/io';
import { childEnv, removeDir, runCli, tempDir } from '../../support/cliHarness';
import { standinFixture } from '../../support/standinSetup';

const ACCEPTANCE_IDS = ['openai/gpt-4.1', 'meta/llama-3.3-70b-instruct', 'mistral-ai/mistral-small-2503'];

function promptText(model: string | undefined, extra = ''): string {
  return [
    `name: ${model ?? 'no model'}`,
    ...(model ? [`model: ${model}`] : []),
    'messages:',
    '  - role: user',
    "    content: 'Say {{word}}'",
    'testData:',
    '  - word: hello',
    'evaluators:',
    '  - name: echoes',
    '    string: { contains: hello }',
    extra,
  ].join('\n');
}

function writeWorkspace(dir: string, models: (string | undefined)[], extra = ''): void {
  fs.mkdirSync(path.join(dir, 'prompts'), { recursive: true });
  models.forEach((model, i) =>
    fs.writeFileSync(path.join(dir, 'prompts', `p${i}.prompt.yml`), promptText(model, extra)),
  );
}

void describe('GitHub Models catalog table', () => {
  void it('holds each id once, publisher/model, with at least one provider name', () => {
    const ids = GH_MODELS_CATALOG.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const entry of GH_MODELS_CATALOG) {
      assert.match(entry.id, /^[a-z0-9-]+\/[a-z0-9.-]+$/, entry.id);
      assert.ok(Object.keys(entry.names).length > 0, `${entry.id} has no names`);
    }
    assert.ok(ids.length >= 58, `only ${ids.length} ids`);
  });

  void it('finds ids as written, bare, and by their Azure-style name', () => {
    assert.equal(findCatalogEntry('meta/llama-3.3-70b-instruct')?.names.ollama?.model, 'llama3.3:70b');
    assert.equal(findCatalogEntry('gpt-4o-mini')?.id, 'openai/gpt-4o-mini');
    assert.equal(findCatalogEntry('Meta-Llama-3.1-405B-Instruct')?.id, 'meta/meta-llama-3.1-405b-instruct');
    assert.equal(findCatalogEntry('acme/nothing'), undefined);
  });

  void it('routes per provider: same model, substitute, guess, unknown', () => {
    assert.deepEqual(planRoute('mistral-ai/mistral-small-2503', 'openrouter'), {
      id: 'mistral-ai/mistral-small-2503',
      status: 'same',
      model: 'mistralai/mistral-small-3.1-24b-instruct',
    });
    assert.equal(planRoute('openai/gpt-4.1', 'ollama').status, 'substitute');
    assert.equal(planRoute('deepseek/deepseek-v3-0324', 'azure').model, 'DeepSeek-V3-0324');
    assert.equal(planRoute('xai/grok-3-mini', 'ollama').status, 'unknown');
    assert.equal(planRoute('meta/llama-3.3-70b-instruct', 'openai').status, 'unknown');
    assert.deepEqual(planRoute('openai/gpt-9', 'openai'), {
      id: 'openai/gpt-9',
      status: 'guess',
      model: 'gpt-9',
      note: 'not in the GitHub Models table: sent to OpenAI as written without its publisher/ part',
    });
    assert.equal(planRoute('meta/llama-3.3-70b-instruct', 'lmstudio').model, 'llama-3.3-70b-instruct');
  });
});

void describe('init plan', () => {
  let dir: string;
  let prompts: PromptFile[];
  before(async () => {
    dir = tempDir('init-plan');
    writeWorkspace(
      dir,
      [...ACCEPTANCE_IDS, undefined, 'acme/unknown-1', 'meta/llama-3.3-70b-instruct'],
      '  - name: judged\n    uses: github/coherence\n',
    );
    prompts = [];
    for (const f of fs.readdirSync(path.join(dir, 'prompts')).sort()) {
      const { prompt } = await loadPromptFile(path.join(dir, 'prompts', f));
      assert.ok(prompt);
      prompts.push(prompt);
    }
  });
  after(() => removeDir(dir));

  void it('lists file models and judge models, and the files without a model', () => {
    const models = collectModelUses(prompts);
    assert.deepEqual(new Set(models.ids), new Set([...ACCEPTANCE_IDS, 'acme/unknown-1', 'openai/gpt-4o']));
    assert.equal(models.ids[0], 'openai/gpt-4o', 'the judge of every file is used most');
    assert.equal(models.filesWithoutModel.length, 1);
    assert.equal(suggestDefaultModel(models), 'meta/llama-3.3-70b-instruct', 'the model most files name');
  });

  void it('writes a config that parses, comments unknown ids, and routes the rest on ollama', () => {
    const models = collectModelUses(prompts);
    const plan = planInitConfig({
      provider: 'ollama',
      ids: models.ids,
      uses: models.uses,
      root: dir,
      defaultModel: suggestDefaultModel(models),
    });
    const config = parseProviderConfig(plan.text, path.join(dir, 'promptlab.config.yaml'));
    assert.equal(config.defaultModel, 'meta/llama-3.3-70b-instruct');
    assert.equal(config.models['acme/unknown-1'], undefined);
    assert.match(plan.text, /# "acme\/unknown-1": \{ provider: ollama, model: "TODO" \}/);
    assert.match(plan.text, /not in PromptLab's GitHub Models table/);
    assert.match(plan.text, /used by prompts\/p1\.prompt\.yml/);
    assert.deepEqual(config.models['meta/llama-3.3-70b-instruct'], { provider: 'ollama', model: 'llama3.3:70b' });
    assert.ok(plan.todo.some((t) => t.includes('acme/unknown-1')));
    assert.doesNotMatch(plan.text, /apiKey:/);
  });

  void it('names only the key variable, never a key, for providers that need one', () => {
    for (const provider of ['openai', 'azure', 'openrouter'] as const) {
      const plan = planInitConfig({ provider, ids: ACCEPTANCE_IDS });
      const config = parseProviderConfig(plan.text, '/x/promptlab.config.yaml');
      const entry = config.providers[provider];
      assert.ok(entry?.apiKeyEnv, `${provider} names its key variable`);
      assert.doesNotMatch(plan.text, /\b(apiKey|key|token):/);
    }
    const azure = planInitConfig({ provider: 'azure', ids: ACCEPTANCE_IDS });
    assert.ok(
      azure.todo.some((t) => t.includes('endpoint')),
      'the placeholder endpoint is a todo',
    );
    assert.throws(() => planInitConfig({ provider: 'custom', ids: [] }), /base URL/);
  });
});

void describe('promptlab init (CLI)', () => {
  const fixture = standinFixture('cli-init');
  before(async () => {
    writeWorkspace(fixture.dir, [...ACCEPTANCE_IDS, undefined]);
  });

  void it('--provider ollama writes a config with which eval resolves and runs all three models', async () => {
    const written = await runCli(['init', '--provider', 'ollama', '--base-url', fixture.standin.url], {
      cwd: fixture.dir,
    });
    assert.equal(written.code, 0, written.stderr);
    const config = await loadProviderConfig(fixture.dir);
    assert.equal(config.providers.ollama?.preset, 'ollama');
    assert.ok(
      config.defaultModel && ACCEPTANCE_IDS.includes(config.defaultModel),
      'the file without a model gets one the others use',
    );
    const resolver = createResolver(config, { env: {} });
    const resolved = ACCEPTANCE_IDS.map((id) => resolver.resolve(id));
    assert.deepEqual(
      resolved.map((r) => r.provider.kind),
      ['ollama', 'ollama', 'ollama'],
    );
    assert.equal(resolved[1]?.model, 'llama3.3:70b', 'Llama maps to an Ollama tag');
    assert.equal(resolved[2]?.model, 'mistral-small3.1:24b');

    // `estimate` resolves every model (file, default and judge) without sending anything.
    fixture.standin.resetStats();
    const estimated = await runCli(['estimate', 'prompts', '--json'], { cwd: fixture.dir, env: childEnv() });
    assert.equal(estimated.code, 0, estimated.stderr);
    const estimates = JSON.parse(estimated.stdout) as { model: string; requests: number; costUsdHigh: number | null }[];
    assert.equal(estimates.length, 4);
    assert.deepEqual([...new Set(estimates.map((e) => e.model))].sort(), [...ACCEPTANCE_IDS].sort());
    assert.ok(
      estimates.every((e) => e.requests === 1 && e.costUsdHigh === 0),
      `local models are priced at 0: ${estimated.stdout}`,
    );
    assert.equal(fixture.standin.stats.chatRequests, 0, 'estimate sends nothing');

    const evaluated = await runCli(['eval', 'prompts', '--json', '--no-cache'], { cwd: fixture.dir, env: childEnv() });
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const sent = fixture.standin.requests
      .filter((r) => r.path.endsWith('/chat/completions'))
      .map((r) => (r.body as { model: string }).model)
      .sort();
    assert.equal(sent.length, 4, 'four files, one case each');
    assert.deepEqual([...new Set(sent)].sort(), ['gpt-oss:120b', 'llama3.3:70b', 'mistral-small3.1:24b']);
  });

  void it('refuses to overwrite without --force and prints the diff; --force replaces it', async () => {
    const file = path.join(fixture.dir, 'promptlab.config.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const refused = await runCli(['init', '--provider', 'openrouter'], { cwd: fixture.dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /exists; not overwritten/);
    assert.match(refused.stderr, /^-\s+preset: ollama/m);
    assert.match(refused.stderr, /^\+\s+baseURL: "https:\/\/openrouter\.ai\/api\/v1"/m);
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'untouched');
    const forced = await runCli(['init', '--provider', 'openrouter', '--force'], { cwd: fixture.dir });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(
      parseProviderConfig(fs.readFileSync(file, 'utf8'), file).providers.openrouter?.apiKeyEnv,
      'OPENROUTER_API_KEY',
    );
  });

  void it('needs --provider when it cannot ask, and says which', async () => {
    const empty = tempDir('init-noprovider');
    try {
      writeWorkspace(empty, ['openai/gpt-4o']);
      const result = await runCli(['init'], { cwd: empty });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--provider is required/);
      assert.equal(fs.existsSync(path.join(empty, 'promptlab.config.yaml')), false);
      const bad = await runCli(['init', '--provider', 'bedrock'], { cwd: empty });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown provider 'bedrock'/);
    } finally {
      removeDir(empty);
    }
  });
});

void describe('promptlab init (asking)', () => {
  void it('asks for the provider, endpoint and default model, then writes after confirmation', async () => {
    const dir = tempDir('init-ask');
    try {
      writeWorkspace(dir, ['deepseek/deepseek-v3-0324', undefined]);
      const asked: string[] = [];
      const answers = ['azure', 'https://team.openai.azure.com', '', 'y'];
      const asker: Asker = {
        ask: (question, fallback) => {
          asked.push(`${question} [${fallback}]`);
          const answer = answers.shift() ?? '';
          return Promise.resolve(answer === '' ? fallback : answer);
        },
        close: () => undefined,
      };
      const stderr = new PassThrough();
      let log = '';
      stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
      const io = {
        cwd: dir,
        env: {},
        stdout: new PassThrough(),
        stderr,
        out: pickStyle({}, {}),
        err: pickStyle({}, {}),
      } as unknown as CliIo;
      const code = await runInitCommand([], io, asker);
      assert.equal(code, 0, log);
      assert.equal(asked.length, 4, asked.join('\n'));
      assert.match(asked[0] ?? '', /^Provider/);
      assert.match(
        asked[2] ?? '',
        /\[deepseek\/deepseek-v3-0324\]$/,
        'the suggested default is the model the other file uses',
      );
      const config = await loadProviderConfig(dir);
      assert.equal(config.providers.azure?.endpoint, 'https://team.openai.azure.com');
      assert.deepEqual(config.models['deepseek/deepseek-v3-0324'], { provider: 'azure', model: 'DeepSeek-V3-0324' });
      assert.equal(config.defaultModel, 'deepseek/deepseek-v3-0324');
    } finally {
      removeDir(dir);
    }
  });
});
