// The editor's own language models (vscode.lm) as a Provider: the zero-key default when no
// endpoint is configured for a model. Results are approximate: the API has no system role, so
// the system prompt is folded into the first user message, and model parameters are passed as
// model options the vendor may ignore. Only ever called from a user-started run (consent prompt).
import * as vscode from 'vscode';
import { PromptLabError } from '../../core/errors';
import type { ChatMessage, ChatRequest, ChatResponse, Provider } from '../../core/providers/types';
import { Text } from '../messages';

export const VSCODE_LM_ORIGIN = 'vscode-lm://editor';

/** System messages become a preamble of the first user message (the API has no system role). */
export function foldSystemPrompt(messages: ChatMessage[]): { role: 'user' | 'assistant'; content: string }[] {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const rest = messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
  if (system.length === 0) return rest;
  const preamble = system.join('\n\n');
  const firstUser = rest.findIndex((m) => m.role === 'user');
  if (firstUser < 0) return [{ role: 'user', content: preamble }, ...rest];
  const target = rest[firstUser];
  if (target) rest[firstUser] = { role: 'user', content: `${preamble}\n\n${target.content}` };
  return rest;
}

export class VscodeLmProvider implements Provider {
  readonly kind = 'vscode-lm';
  readonly endpointOrigin = VSCODE_LM_ORIGIN;
  readonly approximate = true;

  /** `models`: what vscode.lm.selectChatModels offered; each request picks by its model id. */
  constructor(private readonly models: readonly vscode.LanguageModelChat[]) {}

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const model = pickEditorModel(this.models, request.model);
    if (!model) throw new PromptLabError(Text.noEditorModels, 'config');
    const messages = foldSystemPrompt(request.messages).map((m) =>
      m.role === 'user'
        ? vscode.LanguageModelChatMessage.User(m.content)
        : vscode.LanguageModelChatMessage.Assistant(m.content),
    );
    const cancellation = new vscode.CancellationTokenSource();
    const onAbort = () => cancellation.cancel();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    let ttftMs: number | undefined;
    let text = '';
    try {
      const modelOptions: Record<string, unknown> = {};
      const p = request.parameters;
      if (p.temperature !== undefined) modelOptions.temperature = p.temperature;
      if (p.maxTokens !== undefined) modelOptions.max_tokens = p.maxTokens;
      if (p.topP !== undefined) modelOptions.top_p = p.topP;
      const response = await model.sendRequest(
        messages,
        { justification: 'PromptLab runs the prompt file you asked it to run.', modelOptions },
        cancellation.token,
      );
      for await (const fragment of response.text) {
        if (request.signal?.aborted) break;
        ttftMs ??= performance.now() - started;
        text += fragment;
        request.onDelta?.(fragment);
      }
      if (request.signal?.aborted) throw new PromptLabError('cancelled', 'provider');
      const promptTokens = await countTokens(model, messages, cancellation.token);
      const completionTokens = await countTokens(model, [text], cancellation.token);
      const latencyMs = performance.now() - started;
      const usage =
        promptTokens !== undefined && completionTokens !== undefined
          ? { prompt: promptTokens, completion: completionTokens, total: promptTokens + completionTokens }
          : undefined;
      return { text, latencyMs, ...(ttftMs !== undefined ? { ttftMs } : {}), ...(usage ? { usage } : {}) };
    } catch (error) {
      if (error instanceof vscode.LanguageModelError)
        throw new PromptLabError(Text.editorModelRefused(error.message), 'provider');
      throw error;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      cancellation.dispose();
    }
  }
}

async function countTokens(
  model: vscode.LanguageModelChat,
  parts: (string | vscode.LanguageModelChatMessage)[],
  token: vscode.CancellationToken,
): Promise<number | undefined> {
  try {
    let total = 0;
    for (const part of parts) total += await model.countTokens(part, token);
    return total;
  } catch {
    return undefined;
  }
}

/** The editor model that best serves `modelId`: same id, same family (vendor prefix stripped), else the first. */
export function pickEditorModel(
  models: readonly vscode.LanguageModelChat[],
  modelId: string,
): vscode.LanguageModelChat | undefined {
  const bare = modelId.includes('/') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return models.find((m) => m.id === modelId || m.id === bare) ?? models.find((m) => m.family === bare) ?? models[0];
}

/** Editor models, or an empty list when the API is unavailable (older editors, disabled AI features). */
export async function editorModels(): Promise<vscode.LanguageModelChat[]> {
  try {
    return await vscode.lm.selectChatModels();
  } catch {
    return [];
  }
}
