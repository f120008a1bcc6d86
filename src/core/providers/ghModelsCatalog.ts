// The retired GitHub Models catalog (service shut down 2026-07-30) and where each of its ids
// lives now. `promptlab init` writes routes from this table; keep it a plain data module.
//
// Sources, checked 2026-12-01:
//  - ids: the 58 entries of the catalog's public model list (`GET models.github.ai/catalog/models`)
//    as of 2025-08, the last state before new models stopped being added; cross-checked against
//    public repositories that listed the full catalog.
//  - Azure AI Foundry: the catalog's own `name` field (GitHub Models was served by Azure AI, and
//    Foundry uses the same model names; a Foundry deployment is named after its model unless
//    renamed).
//  - OpenRouter: model slugs from openrouter.ai/models.
//  - Ollama: tags from ollama.com/library (default quantisation of the named size).
// A `substitute` is not the same model: the provider has no build of it, so the closest open or
// current one is named, and the config says so. `undefined` means no equivalent is known.

export const GH_MODELS_CATALOG_DATE = '2026-12-01';
export const GH_MODELS_RETIRED = '2026-07-30';

/** Providers `promptlab init` knows names for. */
export const CATALOG_TARGETS = ['openai', 'azure', 'openrouter', 'ollama'] as const;
export type CatalogTarget = (typeof CATALOG_TARGETS)[number];

export interface CatalogName {
  /** The provider's id for the model. */
  model: string;
  /** Set when this is a different model standing in for one the provider does not serve. */
  substitute?: string;
}

export interface CatalogEntry {
  /** The GitHub Models id, `publisher/model`. */
  id: string;
  /** Display name in the catalog. */
  label: string;
  kind: 'chat' | 'embedding';
  names: Partial<Record<CatalogTarget, CatalogName>>;
}

type Name = string | [model: string, substitute: string] | undefined;

function entry(
  id: string,
  label: string,
  openai: Name,
  azure: Name,
  openrouter: Name,
  ollama: Name,
  kind: CatalogEntry['kind'] = 'chat',
): CatalogEntry {
  const names: CatalogEntry['names'] = {};
  const put = (target: CatalogTarget, name: Name): void => {
    if (name === undefined) return;
    names[target] = typeof name === 'string' ? { model: name } : { model: name[0], substitute: name[1] };
  };
  put('openai', openai);
  put('azure', azure);
  put('openrouter', openrouter);
  put('ollama', ollama);
  return { id, label, kind, names };
}

const OSS_20B: [string, string] = [
  'gpt-oss:20b',
  "OpenAI's open-weight model; Ollama has no build of this hosted OpenAI model",
];
const OSS_120B: [string, string] = [
  'gpt-oss:120b',
  "OpenAI's larger open-weight model; Ollama has no build of this hosted OpenAI model",
];
const NOMIC: [string, string] = [
  'nomic-embed-text',
  'a local embedding model; vectors differ from the original, so similarity thresholds may need tuning',
];
const NOT_OPENAI = undefined;

/** One row per catalog id: OpenAI, Azure AI Foundry, OpenRouter, Ollama. */
export const GH_MODELS_CATALOG: readonly CatalogEntry[] = [
  entry('openai/gpt-4.1', 'OpenAI GPT-4.1', 'gpt-4.1', 'gpt-4.1', 'openai/gpt-4.1', OSS_120B),
  entry('openai/gpt-4.1-mini', 'OpenAI GPT-4.1-mini', 'gpt-4.1-mini', 'gpt-4.1-mini', 'openai/gpt-4.1-mini', OSS_20B),
  entry('openai/gpt-4.1-nano', 'OpenAI GPT-4.1-nano', 'gpt-4.1-nano', 'gpt-4.1-nano', 'openai/gpt-4.1-nano', OSS_20B),
  entry('openai/gpt-4o', 'OpenAI GPT-4o', 'gpt-4o', 'gpt-4o', 'openai/gpt-4o', OSS_120B),
  entry('openai/gpt-4o-mini', 'OpenAI GPT-4o mini', 'gpt-4o-mini', 'gpt-4o-mini', 'openai/gpt-4o-mini', OSS_20B),
  entry('openai/gpt-5', 'OpenAI gpt-5', 'gpt-5', 'gpt-5', 'openai/gpt-5', OSS_120B),
  entry('openai/gpt-5-chat', 'OpenAI gpt-5-chat', 'gpt-5-chat-latest', 'gpt-5-chat', 'openai/gpt-5-chat', OSS_120B),
  entry('openai/gpt-5-mini', 'OpenAI gpt-5-mini', 'gpt-5-mini', 'gpt-5-mini', 'openai/gpt-5-mini', OSS_20B),
  entry('openai/gpt-5-nano', 'OpenAI gpt-5-nano', 'gpt-5-nano', 'gpt-5-nano', 'openai/gpt-5-nano', OSS_20B),
  entry('openai/o1', 'OpenAI o1', 'o1', 'o1', 'openai/o1', OSS_120B),
  entry(
    'openai/o1-mini',
    'OpenAI o1-mini',
    ['o3-mini', 'o1-mini is retired at OpenAI; o3-mini is its successor'],
    'o1-mini',
    'openai/o1-mini',
    OSS_20B,
  ),
  entry(
    'openai/o1-preview',
    'OpenAI o1-preview',
    ['o1', 'o1-preview is retired at OpenAI; o1 replaced it'],
    'o1-preview',
    ['openai/o1', 'o1-preview is retired; o1 replaced it'],
    OSS_120B,
  ),
  entry('openai/o3', 'OpenAI o3', 'o3', 'o3', 'openai/o3', OSS_120B),
  entry('openai/o3-mini', 'OpenAI o3-mini', 'o3-mini', 'o3-mini', 'openai/o3-mini', OSS_20B),
  entry('openai/o4-mini', 'OpenAI o4-mini', 'o4-mini', 'o4-mini', 'openai/o4-mini', OSS_20B),
  entry(
    'openai/text-embedding-3-large',
    'OpenAI Text Embedding 3 (large)',
    'text-embedding-3-large',
    'text-embedding-3-large',
    undefined,
    NOMIC,
    'embedding',
  ),
  entry(
    'openai/text-embedding-3-small',
    'OpenAI Text Embedding 3 (small)',
    'text-embedding-3-small',
    'text-embedding-3-small',
    undefined,
    NOMIC,
    'embedding',
  ),

  entry(
    'meta/llama-3.2-11b-vision-instruct',
    'Llama-3.2-11B-Vision-Instruct',
    NOT_OPENAI,
    'Llama-3.2-11B-Vision-Instruct',
    'meta-llama/llama-3.2-11b-vision-instruct',
    'llama3.2-vision:11b',
  ),
  entry(
    'meta/llama-3.2-90b-vision-instruct',
    'Llama-3.2-90B-Vision-Instruct',
    NOT_OPENAI,
    'Llama-3.2-90B-Vision-Instruct',
    'meta-llama/llama-3.2-90b-vision-instruct',
    'llama3.2-vision:90b',
  ),
  entry(
    'meta/llama-3.3-70b-instruct',
    'Llama-3.3-70B-Instruct',
    NOT_OPENAI,
    'Llama-3.3-70B-Instruct',
    'meta-llama/llama-3.3-70b-instruct',
    'llama3.3:70b',
  ),
  entry(
    'meta/llama-4-maverick-17b-128e-instruct-fp8',
    'Llama 4 Maverick 17B 128E Instruct FP8',
    NOT_OPENAI,
    'Llama-4-Maverick-17B-128E-Instruct-FP8',
    'meta-llama/llama-4-maverick',
    'llama4:maverick',
  ),
  entry(
    'meta/llama-4-scout-17b-16e-instruct',
    'Llama 4 Scout 17B 16E Instruct',
    NOT_OPENAI,
    'Llama-4-Scout-17B-16E-Instruct',
    'meta-llama/llama-4-scout',
    'llama4:scout',
  ),
  entry(
    'meta/meta-llama-3.1-405b-instruct',
    'Meta-Llama-3.1-405B-Instruct',
    NOT_OPENAI,
    'Meta-Llama-3.1-405B-Instruct',
    'meta-llama/llama-3.1-405b-instruct',
    'llama3.1:405b',
  ),
  entry(
    'meta/meta-llama-3.1-8b-instruct',
    'Meta-Llama-3.1-8B-Instruct',
    NOT_OPENAI,
    'Meta-Llama-3.1-8B-Instruct',
    'meta-llama/llama-3.1-8b-instruct',
    'llama3.1:8b',
  ),

  entry('mistral-ai/codestral-2501', 'Codestral 25.01', NOT_OPENAI, 'Codestral-2501', 'mistralai/codestral-2501', [
    'codestral:22b',
    'Codestral 25.01 has no open weights; codestral:22b is the earlier open release',
  ]),
  entry('mistral-ai/ministral-3b', 'Ministral 3B', NOT_OPENAI, 'Ministral-3B', 'mistralai/ministral-3b', [
    'ministral-3:3b',
    'Ministral 3B (2410) has no open weights; ministral-3:3b is the later open Ministral 3',
  ]),
  entry(
    'mistral-ai/mistral-large-2411',
    'Mistral Large 24.11',
    NOT_OPENAI,
    'Mistral-Large-2411',
    'mistralai/mistral-large-2411',
    'mistral-large:123b',
  ),
  entry(
    'mistral-ai/mistral-medium-2505',
    'Mistral Medium 3 (25.05)',
    NOT_OPENAI,
    'mistral-medium-2505',
    'mistralai/mistral-medium-3',
    ['mistral-small3.2:24b', 'Mistral Medium 3 has no open weights; Mistral Small 3.2 is the closest open model'],
  ),
  entry(
    'mistral-ai/mistral-nemo',
    'Mistral Nemo',
    NOT_OPENAI,
    'Mistral-Nemo',
    'mistralai/mistral-nemo',
    'mistral-nemo:12b',
  ),
  entry(
    'mistral-ai/mistral-small-2503',
    'Mistral Small 3.1',
    NOT_OPENAI,
    'mistral-small-2503',
    'mistralai/mistral-small-3.1-24b-instruct',
    'mistral-small3.1:24b',
  ),

  entry('deepseek/deepseek-r1', 'DeepSeek-R1', NOT_OPENAI, 'DeepSeek-R1', 'deepseek/deepseek-r1', 'deepseek-r1:671b'),
  entry(
    'deepseek/deepseek-r1-0528',
    'DeepSeek-R1-0528',
    NOT_OPENAI,
    'DeepSeek-R1-0528',
    'deepseek/deepseek-r1-0528',
    'deepseek-r1:671b',
  ),
  entry(
    'deepseek/deepseek-v3-0324',
    'DeepSeek-V3-0324',
    NOT_OPENAI,
    'DeepSeek-V3-0324',
    'deepseek/deepseek-chat-v3-0324',
    ['deepseek-v3:671b', 'the Ollama tag is the original DeepSeek-V3, not the 0324 update'],
  ),
  entry('microsoft/mai-ds-r1', 'MAI-DS-R1', NOT_OPENAI, 'MAI-DS-R1', 'microsoft/mai-ds-r1', [
    'deepseek-r1:671b',
    'MAI-DS-R1 is a post-trained DeepSeek-R1; Ollama has only the original',
  ]),

  entry('xai/grok-3', 'Grok 3', NOT_OPENAI, 'grok-3', 'x-ai/grok-3', undefined),
  entry('xai/grok-3-mini', 'Grok 3 Mini', NOT_OPENAI, 'grok-3-mini', 'x-ai/grok-3-mini', undefined),

  entry(
    'microsoft/phi-3-medium-128k-instruct',
    'Phi-3-medium instruct (128k)',
    NOT_OPENAI,
    'Phi-3-medium-128k-instruct',
    'microsoft/phi-3-medium-128k-instruct',
    'phi3:14b',
  ),
  entry(
    'microsoft/phi-3-medium-4k-instruct',
    'Phi-3-medium instruct (4k)',
    NOT_OPENAI,
    'Phi-3-medium-4k-instruct',
    undefined,
    'phi3:14b',
  ),
  entry(
    'microsoft/phi-3-mini-128k-instruct',
    'Phi-3-mini instruct (128k)',
    NOT_OPENAI,
    'Phi-3-mini-128k-instruct',
    'microsoft/phi-3-mini-128k-instruct',
    'phi3:3.8b',
  ),
  entry(
    'microsoft/phi-3-mini-4k-instruct',
    'Phi-3-mini instruct (4k)',
    NOT_OPENAI,
    'Phi-3-mini-4k-instruct',
    undefined,
    'phi3:3.8b',
  ),
  entry(
    'microsoft/phi-3-small-128k-instruct',
    'Phi-3-small instruct (128k)',
    NOT_OPENAI,
    'Phi-3-small-128k-instruct',
    undefined,
    undefined,
  ),
  entry(
    'microsoft/phi-3-small-8k-instruct',
    'Phi-3-small instruct (8k)',
    NOT_OPENAI,
    'Phi-3-small-8k-instruct',
    undefined,
    undefined,
  ),
  entry(
    'microsoft/phi-3.5-mini-instruct',
    'Phi-3.5-mini instruct (128k)',
    NOT_OPENAI,
    'Phi-3.5-mini-instruct',
    'microsoft/phi-3.5-mini-128k-instruct',
    'phi3.5:3.8b',
  ),
  entry(
    'microsoft/phi-3.5-moe-instruct',
    'Phi-3.5-MoE instruct (128k)',
    NOT_OPENAI,
    'Phi-3.5-MoE-instruct',
    undefined,
    undefined,
  ),
  entry(
    'microsoft/phi-3.5-vision-instruct',
    'Phi-3.5-vision instruct (128k)',
    NOT_OPENAI,
    'Phi-3.5-vision-instruct',
    undefined,
    undefined,
  ),
  entry('microsoft/phi-4', 'Phi-4', NOT_OPENAI, 'Phi-4', 'microsoft/phi-4', 'phi4:14b'),
  entry(
    'microsoft/phi-4-mini-instruct',
    'Phi-4-mini-instruct',
    NOT_OPENAI,
    'Phi-4-mini-instruct',
    undefined,
    'phi4-mini:3.8b',
  ),
  entry(
    'microsoft/phi-4-mini-reasoning',
    'Phi-4-mini-reasoning',
    NOT_OPENAI,
    'Phi-4-mini-reasoning',
    undefined,
    'phi4-mini-reasoning:3.8b',
  ),
  entry(
    'microsoft/phi-4-multimodal-instruct',
    'Phi-4-multimodal-instruct',
    NOT_OPENAI,
    'Phi-4-multimodal-instruct',
    'microsoft/phi-4-multimodal-instruct',
    undefined,
  ),
  entry('microsoft/phi-4-reasoning', 'Phi-4-Reasoning', NOT_OPENAI, 'Phi-4-reasoning', undefined, 'phi4-reasoning:14b'),

  entry(
    'cohere/cohere-command-a',
    'Cohere Command A',
    NOT_OPENAI,
    'cohere-command-a',
    'cohere/command-a',
    'command-a:111b',
  ),
  entry(
    'cohere/cohere-command-r-08-2024',
    'Cohere Command R 08-2024',
    NOT_OPENAI,
    'Cohere-command-r-08-2024',
    'cohere/command-r-08-2024',
    'command-r:35b',
  ),
  entry(
    'cohere/cohere-command-r-plus-08-2024',
    'Cohere Command R+ 08-2024',
    NOT_OPENAI,
    'Cohere-command-r-plus-08-2024',
    'cohere/command-r-plus-08-2024',
    'command-r-plus:104b',
  ),
  entry(
    'cohere/cohere-embed-v3-english',
    'Cohere Embed v3 English',
    NOT_OPENAI,
    'Cohere-embed-v3-english',
    undefined,
    NOMIC,
    'embedding',
  ),
  entry(
    'cohere/cohere-embed-v3-multilingual',
    'Cohere Embed v3 Multilingual',
    NOT_OPENAI,
    'Cohere-embed-v3-multilingual',
    undefined,
    NOMIC,
    'embedding',
  ),

  entry(
    'ai21-labs/ai21-jamba-1.5-large',
    'AI21 Jamba 1.5 Large',
    NOT_OPENAI,
    'AI21-Jamba-1.5-Large',
    ['ai21/jamba-large-1.7', 'Jamba 1.5 is retired on OpenRouter; Jamba Large 1.7 is its successor'],
    undefined,
  ),
  entry(
    'ai21-labs/ai21-jamba-1.5-mini',
    'AI21 Jamba 1.5 Mini',
    NOT_OPENAI,
    'AI21-Jamba-1.5-Mini',
    ['ai21/jamba-mini-1.7', 'Jamba 1.5 is retired on OpenRouter; Jamba Mini 1.7 is its successor'],
    undefined,
  ),
  entry('core42/jais-30b-chat', 'JAIS 30b Chat', NOT_OPENAI, 'jais-30b-chat', undefined, undefined),
];

const byKey = new Map<string, CatalogEntry>();
for (const item of GH_MODELS_CATALOG) {
  byKey.set(item.id.toLowerCase(), item);
  // Older gh-models docs and the Azure inference endpoint used the bare or Azure-style name.
  const bare = item.id.slice(item.id.indexOf('/') + 1).toLowerCase();
  if (!byKey.has(bare)) byKey.set(bare, item);
  const azure = item.names.azure?.model.toLowerCase();
  if (azure && !byKey.has(azure)) byKey.set(azure, item);
}

/** The catalog entry for an id as a prompt file may write it: `publisher/model`, bare, or the Azure-style name. */
export function findCatalogEntry(modelId: string): CatalogEntry | undefined {
  return byKey.get(modelId.trim().toLowerCase());
}
