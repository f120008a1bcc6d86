// `promptlab init` (and the editor's "Configure models…"): list every model id a workspace's
// prompt files call, and write a provider config routing each one to the provider the user picked,
// under that provider's name for the same model (the table in src/core/providers/ghModelsCatalog.json).
// Pure: the caller finds and loads the files, asks the questions and writes the result.
import path from 'node:path';
import { DEFAULT_EMBEDDING_MODEL, DEFAULT_JUDGE_MODEL } from '../evaluators/types';
import type { PromptFile, Range } from '../model';
import { findCatalogEntry, GH_MODELS_CATALOG_DATE, type CatalogTarget } from '../providers/ghModelsCatalog';
import { parseProviderConfig } from '../providers/config';

export const INIT_PROVIDERS = ['openai', 'azure', 'openrouter', 'ollama', 'lmstudio', 'custom'] as const;
export type InitProvider = (typeof INIT_PROVIDERS)[number];

/** Used as `defaultModel` when no prompt file names a model at all (gh-models' usual default). */
export const FALLBACK_DEFAULT_MODEL = 'openai/gpt-4o-mini';

export interface ModelUse {
  id: string;
  /** Absolute path of the prompt file. */
  file: string;
  range?: Range;
  role: 'model' | 'judge' | 'embedding';
}

export interface WorkspaceModels {
  /** Every use, in file order. */
  uses: ModelUse[];
  /** Distinct ids, most used first (ties: first seen). */
  ids: string[];
  /** Prompt files with no `model`. */
  filesWithoutModel: string[];
}

/** The ids a run of these files calls: each file's model and the judge and embedding models of its evaluators. */
export function collectModelUses(
  prompts: readonly PromptFile[],
  defaults: { judgeModel?: string; embeddingModel?: string } = {},
): WorkspaceModels {
  const judge = defaults.judgeModel ?? DEFAULT_JUDGE_MODEL;
  const embedding = defaults.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;
  const uses: ModelUse[] = [];
  const filesWithoutModel: string[] = [];
  for (const prompt of prompts) {
    const add = (id: string, role: ModelUse['role'], range: Range | undefined): void => {
      uses.push({ id: id.trim(), file: prompt.path, role, ...(range ? { range } : {}) });
    };
    if (prompt.model?.trim()) add(prompt.model, 'model', prompt.keyRanges.model);
    else filesWithoutModel.push(prompt.path);
    for (const spec of prompt.evaluators) {
      if (spec.kind === 'builtin') add(judge, 'judge', spec.range);
      if (spec.kind === 'llm') add(spec.modelId.trim() || judge, 'judge', spec.range);
      if (spec.kind === 'similarity') add(spec.modelId?.trim() || embedding, 'embedding', spec.range);
    }
  }
  return { uses, ids: rankIds(uses), filesWithoutModel };
}

/** Most used first; on a tie, ids the catalog table knows come first (they are the ones init can route). */
function rankIds(uses: readonly ModelUse[]): string[] {
  const counts = new Map<string, number>();
  for (const use of uses) counts.set(use.id, (counts.get(use.id) ?? 0) + 1);
  const known = (id: string): number => (findCatalogEntry(id) ? 1 : 0);
  return [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || known(b) - known(a));
}

/** The model most files name (the natural default for the files that name none). */
export function suggestDefaultModel(models: WorkspaceModels): string {
  const fileModels = models.uses.filter((u) => u.role === 'model');
  return rankIds(fileModels)[0] ?? FALLBACK_DEFAULT_MODEL;
}

export interface InitOptions {
  provider: InitProvider;
  /** Ids to route (the defaultModel is added when missing). */
  ids: readonly string[];
  /** Written as `defaultModel` (for files without a model). */
  defaultModel?: string;
  /** baseURL (or the Azure endpoint); default: the provider's usual address. */
  baseURL?: string;
  /** Environment variable holding the key (never the key itself). */
  apiKeyEnv?: string;
  /** Where the ids are used, for the comments (paths shown relative to `root`). */
  uses?: readonly ModelUse[];
  root?: string;
  /** `YYYY-MM-DD` for the header comment. */
  date?: string;
}

export type RouteStatus =
  /** The provider's own name for the same model, from the table. */
  | 'same'
  /** A different model standing in, from the table; the config says why. */
  | 'substitute'
  /** Not in the table; the id is sent as the provider probably names it (lmstudio, custom, openai/* on OpenAI). */
  | 'guess'
  /** No known name: left as a commented placeholder (the id does not resolve until edited). */
  | 'unknown';

export interface PlannedRoute {
  id: string;
  status: RouteStatus;
  /** Id sent to the endpoint; absent for `unknown`. */
  model?: string;
  note?: string;
}

export interface InitPlan {
  text: string;
  routes: PlannedRoute[];
  /** Things the user must still do (placeholder endpoint, unknown ids …). */
  todo: string[];
}

const PROVIDER_DEFAULTS: Record<InitProvider, { baseURL?: string; apiKeyEnv?: string; placeholder?: boolean }> = {
  openai: { apiKeyEnv: 'OPENAI_API_KEY' },
  azure: { baseURL: 'https://YOUR-RESOURCE.openai.azure.com', apiKeyEnv: 'AZURE_OPENAI_API_KEY', placeholder: true },
  openrouter: { baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' },
  ollama: {},
  lmstudio: {},
  custom: {},
};

const PROVIDER_LABEL: Record<InitProvider, string> = {
  openai: 'OpenAI',
  azure: 'Azure AI Foundry',
  openrouter: 'OpenRouter',
  ollama: 'Ollama',
  lmstudio: 'LM Studio',
  custom: 'your OpenAI-compatible server',
};

function bare(id: string): string {
  return id.slice(id.indexOf('/') + 1);
}

/** How one id is routed on the chosen provider. */
export function planRoute(id: string, provider: InitProvider): PlannedRoute {
  const entry = findCatalogEntry(id);
  if (provider === 'lmstudio' || provider === 'custom') {
    const hint =
      provider === 'lmstudio'
        ? 'the model key LM Studio lists (`lms ls`)'
        : 'the name your server lists at GET /v1/models';
    return { id, status: 'guess', model: bare(id), note: `check: replace with ${hint}` };
  }
  const target: CatalogTarget = provider;
  const name = entry?.names[target];
  if (name) {
    return name.substitute
      ? { id, status: 'substitute', model: name.model, note: `substitute: ${name.model} — ${name.substitute}` }
      : { id, status: 'same', model: name.model };
  }
  if (entry)
    return {
      id,
      status: 'unknown',
      note: `${PROVIDER_LABEL[provider]} has no known equivalent of ${entry.label}; route it to another provider or name a model`,
    };
  if (provider === 'openai' && (id.startsWith('openai/') || !id.includes('/'))) {
    return {
      id,
      status: 'guess',
      model: bare(id),
      note: 'not in the GitHub Models table: sent to OpenAI as written without its publisher/ part',
    };
  }
  return {
    id,
    status: 'unknown',
    note: `"${id}" is not in PromptLab's GitHub Models table (${GH_MODELS_CATALOG_DATE}): set the ${PROVIDER_LABEL[provider]} name and uncomment`,
  };
}

/** YAML double-quoted scalar (JSON strings are valid YAML). */
const q = (text: string): string => JSON.stringify(text);

function usedBy(id: string, options: InitOptions): string | undefined {
  const files = [...new Set((options.uses ?? []).filter((u) => u.id === id).map((u) => u.file))];
  if (files.length === 0) return undefined;
  const shown = files.map((f) => (options.root ? path.relative(options.root, f).split(path.sep).join('/') : f));
  return shown.length <= 3 ? shown.join(', ') : `${shown.slice(0, 3).join(', ')} and ${shown.length - 3} more`;
}

/** The commented config text, validated by the same parser `eval` uses. */
export function planInitConfig(options: InitOptions): InitPlan {
  const { provider } = options;
  const defaults = PROVIDER_DEFAULTS[provider];
  const baseURL = options.baseURL ?? defaults.baseURL;
  const apiKeyEnv = options.apiKeyEnv ?? defaults.apiKeyEnv;
  const todo: string[] = [];
  if (provider === 'custom' && !baseURL) throw new Error('provider custom needs a base URL (--base-url)');
  const ids = [...new Set([...options.ids, ...(options.defaultModel ? [options.defaultModel] : [])])];
  const routes = ids.map((id) => planRoute(id, provider));

  const lines: string[] = [
    `# PromptLab provider config, written by \`promptlab init --provider ${provider}\`${options.date ? ` on ${options.date}` : ''}.`,
    `# Routes every model id the prompt files call to ${PROVIDER_LABEL[provider]}, under that provider's name`,
    `# for the same model (PromptLab's table of the retired GitHub Models catalog, checked ${GH_MODELS_CATALOG_DATE}).`,
    '# Format: docs/providers.md. Keys never go in this file: only the name of the variable holding one.',
    'providers:',
    `  ${provider}:`,
  ];
  switch (provider) {
    case 'openai':
      lines.push('    preset: openai');
      if (baseURL) lines.push(`    baseURL: ${q(baseURL)}`);
      break;
    case 'azure':
      lines.push('    preset: azure');
      lines.push(
        `    endpoint: ${q(baseURL ?? '')}${defaults.placeholder && !options.baseURL ? '   # TODO: your Azure AI Foundry / Azure OpenAI resource' : ''}`,
      );
      lines.push(
        '    # The model names below are deployment names: Foundry names a deployment after its model unless you rename it.',
      );
      if (defaults.placeholder && !options.baseURL)
        todo.push('set providers.azure.endpoint to your resource (it is a placeholder)');
      break;
    case 'openrouter':
      lines.push(`    baseURL: ${q(baseURL ?? '')}`);
      break;
    case 'ollama':
    case 'lmstudio':
      lines.push(
        `    preset: ${provider}${baseURL ? '' : provider === 'ollama' ? '   # http://localhost:11434/v1, no key' : '   # http://localhost:1234/v1, no key'}`,
      );
      if (baseURL) lines.push(`    baseURL: ${q(baseURL)}`);
      break;
    case 'custom':
      lines.push(`    baseURL: ${q(baseURL ?? '')}`);
      break;
  }
  if (apiKeyEnv)
    lines.push(
      `    apiKeyEnv: ${apiKeyEnv}   # the key stays in this environment variable (or "PromptLab: Set API Key")`,
    );
  else if (provider === 'custom')
    lines.push(
      '    # apiKeyEnv: PROMPTLAB_SERVER_KEY   # if your server needs a key (PROMPTLAB_* names go where the config says)',
    );

  if (options.defaultModel) {
    lines.push('', '# Model for prompt files that name no `model`.', `defaultModel: ${q(options.defaultModel)}`);
  }
  // A `models:` whose entries are all commented out would be null, which the parser rejects.
  const active = routes.filter((r) => r.status !== 'unknown').length;
  lines.push('', active === 0 ? 'models: {}' : 'models:');
  if (routes.length === 0) lines.push('  # no prompt file names a model yet');
  for (const route of routes) {
    const where = usedBy(route.id, options);
    const label = findCatalogEntry(route.id)?.label;
    const about = [label, where ? `used by ${where}` : undefined].filter(Boolean).join(' — ');
    if (about) lines.push(`  # ${about}`);
    if (route.note) lines.push(`  # ${route.note}`);
    if (route.status === 'unknown') {
      lines.push(`  # ${q(route.id)}: { provider: ${provider}, model: "TODO" }`);
      todo.push(`map ${route.id} (left commented: ${route.note ?? 'unknown'})`);
    } else {
      lines.push(`  ${q(route.id)}: { provider: ${provider}, model: ${q(route.model ?? route.id)} }`);
    }
  }
  // Local servers charge nothing per token, but PromptLab prices them only when the config says so.
  const local = provider === 'ollama' || provider === 'lmstudio';
  const priced = routes.filter((r) => r.status !== 'unknown');
  if (local && priced.length) {
    lines.push(
      '',
      `# ${PROVIDER_LABEL[provider]} runs on this machine: no per-token price (remove if yours costs money).`,
      'pricing:',
    );
    for (const route of priced) lines.push(`  ${q(route.id)}: { input: 0, output: 0 }`);
  }
  const text = `${lines.join('\n')}\n`;
  // Everything written must load: a config init wrote and eval rejects would be a bug here.
  parseProviderConfig(text, 'promptlab.config.yaml');
  return { text, routes, todo };
}
