// The choices of "Set Up a Model Provider…" and what each one writes: an entry of the machine-level
// `promptlab.endpoints` setting (never a key), the origin its key is stored for (SecretStorage), and
// the model id the first-run example names. Pure: unit-tested with plain Node.
import { httpOrigin } from '../../core/providers/origin';
import { isEndpoint } from '../models/endpointEntries';
import type { EndpointSetting } from '../settings';

export const PROVIDER_CHOICES = ['openai', 'azure', 'openrouter', 'ollama', 'lmstudio', 'editor', 'custom'] as const;
export type ProviderChoiceId = (typeof PROVIDER_CHOICES)[number];

export interface ProviderChoice {
  id: ProviderChoiceId;
  label: string;
  /** One line under the label: where requests go and what is asked. */
  detail: string;
  /** The fixed address (OpenAI, OpenRouter) or the default offered for editing (local servers). */
  baseURL?: string;
  /** Ask for the URL (prefilled with `baseURL` when there is one). */
  asksBaseURL: boolean;
  /** 'required': a hosted service; 'optional': a server of the user's that may want one; 'none': local. */
  key: 'required' | 'optional' | 'none';
  /** Azure: the deployment name. */
  asksDeployment: boolean;
  /** Offer the models the server lists (GET /models); the pick is the example's model. */
  picksServedModel: boolean;
}

const CHOICES: Record<ProviderChoiceId, ProviderChoice> = {
  openai: {
    id: 'openai',
    label: 'OpenAI',
    detail: 'api.openai.com — asks for your API key',
    baseURL: 'https://api.openai.com/v1',
    asksBaseURL: false,
    key: 'required',
    asksDeployment: false,
    picksServedModel: false,
  },
  azure: {
    id: 'azure',
    label: 'Azure OpenAI',
    detail: 'your Azure resource — asks for its endpoint, a deployment and the key',
    asksBaseURL: true,
    key: 'required',
    asksDeployment: true,
    picksServedModel: false,
  },
  openrouter: {
    id: 'openrouter',
    label: 'OpenRouter',
    detail: 'openrouter.ai — asks for your API key',
    baseURL: 'https://openrouter.ai/api/v1',
    asksBaseURL: false,
    key: 'required',
    asksDeployment: false,
    picksServedModel: false,
  },
  ollama: {
    id: 'ollama',
    label: 'Ollama (local, no key)',
    detail: 'on this machine, http://localhost:11434/v1 unless you change it',
    baseURL: 'http://localhost:11434/v1',
    asksBaseURL: true,
    key: 'none',
    asksDeployment: false,
    picksServedModel: true,
  },
  lmstudio: {
    id: 'lmstudio',
    label: 'LM Studio (local, no key)',
    detail: 'on this machine, http://localhost:1234/v1 unless you change it',
    baseURL: 'http://localhost:1234/v1',
    asksBaseURL: true,
    key: 'none',
    asksDeployment: false,
    picksServedModel: true,
  },
  editor: {
    id: 'editor',
    label: "The editor's chat models",
    detail: 'models the editor already has (e.g. GitHub Copilot) — no key; approximate results',
    asksBaseURL: false,
    key: 'none',
    asksDeployment: false,
    picksServedModel: false,
  },
  custom: {
    id: 'custom',
    label: 'Custom OpenAI-compatible endpoint',
    detail: 'vLLM, a proxy, any /v1/chat/completions server — asks for its URL, a key if needed',
    asksBaseURL: true,
    key: 'optional',
    asksDeployment: false,
    picksServedModel: true,
  },
};

export function providerChoice(id: ProviderChoiceId): ProviderChoice {
  return CHOICES[id];
}

export function providerChoices(): ProviderChoice[] {
  return PROVIDER_CHOICES.map((id) => CHOICES[id]);
}

/** Hosted OpenAI models under their GitHub Models ids; the example uses the small one. */
export const EXAMPLE_HOSTED_MODEL = 'openai/gpt-4o-mini';

export interface ProviderAnswers {
  /** The URL typed (or accepted) by the user; the choice's fixed URL otherwise. */
  baseURL?: string;
  deployment?: string;
  /** A model the server serves (local and custom servers). */
  servedModel?: string;
}

export interface ProviderPlan {
  /** Entry for `promptlab.endpoints`; absent for the editor's models (nothing to route). */
  endpoint?: EndpointSetting;
  /** Origin the key is stored for (only ever sent there); absent when the choice takes no key. */
  keyOrigin?: string;
  /** The model id the first-run example names (routed by `endpoint`). */
  exampleModel: string;
}

/** Checks a typed base URL: http(s), no credentials in it. Returns the problem, or undefined. */
export function baseUrlProblem(text: string): string | undefined {
  const value = text.trim();
  if (!httpOrigin(value)) return 'Enter an http:// or https:// URL.';
  if (/^[a-z]+:\/\/[^/]*@/i.test(value)) return 'Leave credentials out of the URL: the key is asked for next.';
  return undefined;
}

/** The origin a choice's key is stored for and sent to: the URL the user chose (or the service's own). */
export function keyOriginFor(id: ProviderChoiceId, baseURL: string | undefined): string | undefined {
  const choice = CHOICES[id];
  if (choice.key === 'none') return undefined;
  return httpOrigin(baseURL ?? choice.baseURL ?? '');
}

/**
 * What a choice writes. Hosted OpenAI models (`openai/*`) go to OpenAI and Azure without their
 * vendor (`gpt-4o-mini`); OpenRouter takes ids as written (`openai/gpt-4o-mini`); a local server's
 * models are `ollama/<name>` / `lmstudio/<name>`; a custom server's are its own names as written.
 */
export function planProvider(id: ProviderChoiceId, answers: ProviderAnswers = {}): ProviderPlan {
  const choice = CHOICES[id];
  if (id === 'editor') return { exampleModel: EXAMPLE_HOSTED_MODEL };
  const baseURL = (answers.baseURL ?? choice.baseURL ?? '').trim().replace(/\/+$/, '');
  const problem = baseUrlProblem(baseURL);
  if (problem) throw new Error(`${choice.label}: ${problem}`);
  const keyOrigin = keyOriginFor(id, baseURL);
  const served = answers.servedModel?.trim();
  if (choice.picksServedModel && !served) throw new Error(`${choice.label}: pick or type a model the server serves`);
  switch (id) {
    case 'openai':
      return {
        endpoint: { baseURL, models: ['openai/*'], kind: 'openai' },
        ...origin(keyOrigin),
        exampleModel: EXAMPLE_HOSTED_MODEL,
      };
    case 'azure': {
      const deployment = answers.deployment?.trim();
      return {
        endpoint: { baseURL, models: ['openai/*'], kind: 'azure', ...(deployment ? { deployment } : {}) },
        ...origin(keyOrigin),
        exampleModel: EXAMPLE_HOSTED_MODEL,
      };
    }
    case 'openrouter':
      return {
        endpoint: { baseURL, models: ['*'], kind: 'openrouter' },
        ...origin(keyOrigin),
        exampleModel: EXAMPLE_HOSTED_MODEL,
      };
    case 'ollama':
    case 'lmstudio':
      return { endpoint: { baseURL, models: [`${id}/*`], kind: id }, exampleModel: `${id}/${served}` };
    case 'custom':
      return {
        endpoint: { baseURL, models: [served ?? ''], kind: 'custom' },
        ...origin(keyOrigin),
        exampleModel: served ?? '',
      };
  }
}

const origin = (keyOrigin: string | undefined): { keyOrigin?: string } => (keyOrigin ? { keyOrigin } : {});

const sameEndpoint = (a: EndpointSetting, b: EndpointSetting): boolean =>
  a.baseURL.trim().replace(/\/+$/, '') === b.baseURL.trim().replace(/\/+$/, '') &&
  (a.kind ?? 'custom') === (b.kind ?? 'custom');

/**
 * The setting after adding `endpoint`: an entry for the same URL and kind gets the new model
 * patterns (and deployment) added; otherwise the endpoint is appended. Other entries stay as they
 * are, malformed ones too (they are the user's to fix, not ours to drop).
 */
export function mergeEndpoint(existing: readonly unknown[], endpoint: EndpointSetting): unknown[] {
  const index = existing.findIndex((e) => isEndpoint(e) && sameEndpoint(e, endpoint));
  if (index < 0) return [...existing, endpoint];
  return existing.map((entry, i) =>
    i === index && isEndpoint(entry)
      ? {
          ...entry,
          models: [...new Set([...entry.models, ...endpoint.models])],
          ...(endpoint.deployment ? { deployment: endpoint.deployment } : {}),
        }
      : entry,
  );
}

/** File name of the first-run example, at the workspace folder root. */
export const EXAMPLE_FILE_NAME = 'promptlab-example.prompt.yml';

/**
 * The first-run example: two cases and checks any model that follows the instruction passes (the
 * reply names the person; it is short). No judge model, so it needs nothing but the chosen model.
 */
export function examplePromptText(model: string): string {
  return [
    '# PromptLab example, written by "PromptLab: Set Up a Model Provider…".',
    '# "▶ Run prompt" above sends each test case to the model and checks the reply with the evaluators.',
    '# Format: https://docs.github.com/en/github-models (the .prompt.yml files of GitHub Models).',
    'name: Welcome message',
    'description: A one-sentence welcome for someone joining a team',
    `model: ${JSON.stringify(model)}`,
    'modelParameters:',
    '  temperature: 0',
    '  maxTokens: 80',
    'messages:',
    '  - role: system',
    '    content: You write short, friendly welcome messages. Answer with one sentence.',
    '  - role: user',
    "    content: 'Write a one-sentence welcome for {{name}}, who joins the {{team}} team.'",
    'testData:',
    '  - name: Ada',
    '    team: compiler',
    '  - name: Grace',
    '    team: tools',
    'evaluators:',
    '  - name: names-the-person',
    '    string:',
    "      contains: '{{name}}'",
    '  - name: short',
    '    length:',
    '      max: 400',
    '',
  ].join('\n');
}
