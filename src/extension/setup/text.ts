// User-facing strings of "Set Up a Model Provider…", the first-run example, "Configure Models…"
// and "Generate Test Cases…".

export const SetupText = {
  setupTitle: 'PromptLab: where should your prompts run?',
  setupPlaceholder: 'Pick a provider; only what it needs is asked next',
  baseUrlQuestion: (id: string) =>
    id === 'azure'
      ? 'Your Azure OpenAI endpoint (Azure portal → your resource → Keys and Endpoint)'
      : id === 'custom'
        ? "The server's base URL, usually ending in /v1"
        : 'Where the server listens (keep the default unless you changed it)',
  baseUrlPlaceholder: (id: string) =>
    id === 'azure' ? 'https://my-resource.openai.azure.com' : 'http://127.0.0.1:8000/v1',
  deploymentQuestion: 'Deployment name (Azure AI Foundry → Deployments); every openai/* model goes to it',
  deploymentRequired: 'Enter the deployment name.',
  keyQuestion: (origin: string, optional: boolean, stored: boolean) =>
    `API key for ${origin}: kept in the editor's secret storage and sent only to ${origin}.` +
    (stored ? ' Leave empty to keep the stored key.' : optional ? ' Leave empty if the server needs none.' : ''),
  keyRequired: 'Enter the API key.',
  listingModels: (baseURL: string) => `PromptLab: asking ${baseURL} for its models…`,
  pickServedModel: (count: number) => `The server lists ${count} model${count === 1 ? '' : 's'}: pick one`,
  typeModel: '$(edit) Type a model name…',
  typeModelPrompt: 'The name of a model the server serves',
  typeModelAfter: (problem: string) => `The model list could not be read (${problem}). Type a model name:`,
  modelRequired: 'Enter a model name.',
  noEditorModels:
    'The editor offers no chat models here. Sign in to a chat model extension (e.g. GitHub Copilot), or pick another provider.',
  pickEditorModel: 'Editor chat model for the example (results are approximate)',
  providerReady: (label: string, model: string) =>
    `${label} is set up. Create and run an example prompt with ${model}?`,
  createExample: 'Create and Run Example',
  setUpFirst: 'Set up a model provider first: the example runs on it.',
  setUpAction: 'Set Up a Model Provider…',
  exampleNeedsFolder: 'Open a folder first: the example prompt and its runs are stored in it.',
  openFolder: 'Open Folder…',
  replaceExample: (name: string, model: string) =>
    `${name} exists and differs from the example for ${model}. Replace it?`,
  keepExample: 'Run It As It Is',
  noFolder: 'Open a folder first: "Configure Models…" writes promptlab.config.yaml at the workspace folder root.',
  noPromptFiles: (folder: string) => `No .prompt.yml or .prompt.yaml files in ${folder}.`,
  pickProvider: 'Where should the models of this workspace run?',
  providerDetail: {
    openai: 'api.openai.com — key from OPENAI_API_KEY or "Set API Key…"',
    azure: 'Azure AI Foundry / Azure OpenAI resource — deployments named after the models',
    openrouter: 'openrouter.ai — key from OPENROUTER_API_KEY',
    ollama: 'local Ollama (http://localhost:11434) — no key',
    lmstudio: 'local LM Studio (http://localhost:1234) — no key',
    custom: 'any OpenAI-compatible server (vLLM, a proxy …)',
  } as Record<string, string>,
  baseUrlPrompt: (provider: string) =>
    provider === 'azure'
      ? 'Azure resource endpoint, e.g. https://my-resource.openai.azure.com'
      : 'Base URL of the server, including /v1',
  defaultModelPrompt: (count: number) => `Model for the ${count} prompt file${count === 1 ? '' : 's'} that name none`,
  diffTitle: (name: string) => `${name}: now ↔ after "Configure Models…"`,
  replaceConfig: (name: string) => `${name} exists. Replace it with the configuration shown in the diff?`,
  replace: 'Replace',
  written: (name: string, todo: number) =>
    `Wrote ${name}${todo ? `: ${todo} thing${todo === 1 ? '' : 's'} to finish (see the TODO comments)` : ''}.`,
  generateLens: '✨ Generate test cases…',
  generateLensTooltip: 'Ask a model for new test cases and preview them as a diff before writing',
  countPrompt: 'How many test cases?',
  countInvalid: (max: number) => `Enter a whole number from 1 to ${max}.`,
  focusPrompt: 'Focus (optional): what should the new cases concentrate on?',
  noModel: (file: string) =>
    `${file} names no model to write test cases with. Add "model:", set "promptlab.defaultModel", or defaultModel in promptlab.config.yaml.`,
  generating: (model: string, count: number) =>
    `PromptLab: asking ${model} for ${count} test case${count === 1 ? '' : 's'}…`,
  previewTitle: (name: string, count: number) =>
    `${name}: ${count} generated test case${count === 1 ? '' : 's'} (preview)`,
  writeRows: (count: number, name: string, duplicates: number) =>
    `Write ${count} new test case${count === 1 ? '' : 's'} to ${name}?${duplicates ? ` (${duplicates} duplicate${duplicates === 1 ? '' : 's'} dropped)` : ''}`,
  write: 'Write',
  nothingNew: (name: string) => `Every proposed test case repeats one already in ${name}; nothing to add.`,
  changedMeanwhile: (name: string) =>
    `${name} changed while the test cases were generated; nothing was written. Run the command again.`,
  added: (count: number, name: string) =>
    `Added ${count} test case${count === 1 ? '' : 's'} to ${name} (marked _generated).`,
} as const;
