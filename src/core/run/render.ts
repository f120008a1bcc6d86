// A case's chat messages: the prompt's messages with the case's variables filled in. Its own
// module so that estimates (src/core/cost) render cases without loading the runner.
import type { PromptFile } from '../model';
import type { ChatMessage } from '../providers/types';
import { renderTemplate } from '../template';

/** A message without placeholders renders the same for every case: the cases share one object (a run keeps them all). */
const staticMessages = new WeakMap<PromptFile['messages'][number], ChatMessage>();

export function renderMessages(prompt: PromptFile, vars: Record<string, unknown>): ChatMessage[] {
  return prompt.messages.map((m) => {
    if (m.content.includes('{{')) return { role: m.role, content: renderTemplate(m.content, vars) };
    const shared = staticMessages.get(m);
    if (shared?.role === m.role && shared.content === m.content) return shared;
    const message = { role: m.role, content: m.content };
    staticMessages.set(m, message);
    return message;
  });
}
