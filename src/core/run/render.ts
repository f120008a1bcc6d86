// A case's chat messages: the prompt's messages with the case's variables filled in. Its own
// module so that estimates (src/core/cost) render cases without loading the runner.
import type { PromptFile } from '../model';
import type { ChatMessage } from '../providers/types';
import { renderTemplate } from '../template';

export function renderMessages(prompt: PromptFile, vars: Record<string, unknown>): ChatMessage[] {
  return prompt.messages.map((m) => ({ role: m.role, content: renderTemplate(m.content, vars) }));
}
