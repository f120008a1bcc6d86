// The models the pickers offer, grouped by where they come from: the file itself, the workspace's
// other prompt files, what each configured endpoint lists (GET /models), the configuration, and
// the editor's chat models. Pure (no `vscode`): unit-tested with plain Node.
import { parse } from 'yaml';
import type { EndpointModels } from '../../core/providers/listModels';

export interface ModelChoice {
  id: string;
  description: string;
}

export interface ModelChoiceGroup {
  label: string;
  /** Why a source has nothing to offer (an endpoint's list failed): shown as a hint, not an error. */
  hint?: string;
  choices: ModelChoice[];
}

export interface ModelSources {
  /** The prompt file's own model and its judge models. */
  file?: { model?: string; judges: string[] };
  /** Prompt-file model ids (judges included) used elsewhere in the workspace. */
  workspace: { id: string; file: string }[];
  /** Each configured endpoint's `GET /models`. */
  endpoints: EndpointModels[];
  /** Ids routed or listed in the configuration and settings, by origin. */
  configured: { origin: string; models: string[] }[];
  defaultModel?: string;
  /** The editor's chat models (vscode.lm): id as a prompt file writes it, and the model's name. */
  editor: { id: string; name: string }[];
}

/** Chat model ids a prompt file's text names: `model:` and every `llm` judge's `modelId`. Bad YAML names none. */
export function modelIdsInPrompt(text: string): { model?: string; judges: string[] } {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return { judges: [] };
  }
  if (typeof doc !== 'object' || doc === null) return { judges: [] };
  const record = doc as { model?: unknown; evaluators?: unknown };
  const judges: string[] = [];
  if (Array.isArray(record.evaluators))
    for (const evaluator of record.evaluators) {
      const llm = (evaluator as { llm?: { modelId?: unknown } } | null)?.llm;
      const id = typeof llm?.modelId === 'string' ? llm.modelId.trim() : '';
      if (id && !judges.includes(id)) judges.push(id);
    }
  const model = typeof record.model === 'string' ? record.model.trim() : '';
  return { ...(model ? { model } : {}), judges };
}

/** One line of an endpoint's failure, short enough for a quick-pick separator. */
function shortReason(error: string): string {
  const line = error.split('\n')[0]?.trim() ?? '';
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}

/** The groups in the order the pickers show them; an id appears once, in the first group offering it. */
export function modelChoiceGroups(sources: ModelSources): ModelChoiceGroup[] {
  const seen = new Set<string>();
  const groups: ModelChoiceGroup[] = [];
  const group = (label: string, choices: ModelChoice[], hint?: string): void => {
    const fresh = choices.filter((c) => c.id && !seen.has(c.id) && (seen.add(c.id), true));
    if (fresh.length > 0 || hint) groups.push({ label, choices: fresh, ...(hint ? { hint } : {}) });
  };
  if (sources.file)
    group('This file', [
      ...(sources.file.model ? [{ id: sources.file.model, description: 'the file’s model' }] : []),
      ...sources.file.judges.map((id) => ({ id, description: 'judge model in this file' })),
    ]);
  const byId = new Map<string, string[]>();
  for (const { id, file } of sources.workspace) {
    const files = byId.get(id);
    if (files) files.push(file);
    else byId.set(id, [file]);
  }
  group(
    'Used in this workspace’s prompt files',
    [...byId].map(([id, files]) => ({
      id,
      description: files.length > 1 ? `${files[0]} and ${files.length - 1} more` : (files[0] ?? ''),
    })),
  );
  for (const endpoint of sources.endpoints) {
    const where = endpoint.origin || endpoint.provider;
    group(
      `Offered by ${where}`,
      endpoint.ids.map((id) => ({ id, description: `listed by ${where}` })),
      endpoint.error ? `${where}: no model list (${shortReason(endpoint.error)})` : undefined,
    );
  }
  group('Configured', [
    ...(sources.defaultModel ? [{ id: sources.defaultModel, description: 'promptlab.defaultModel' }] : []),
    ...sources.configured.flatMap((e) => e.models.map((id) => ({ id, description: `configured for ${e.origin}` }))),
  ]);
  group(
    'Editor chat models (approximate results)',
    sources.editor.map((m) => ({ id: m.id, description: m.name })),
  );
  return groups;
}
