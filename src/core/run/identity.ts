// What a run header records about where a run came from: the prompt's content hash and the
// endpoint's origin. New runs write them; a resume checks them before adding to a run.
import { createHash } from 'node:crypto';
import type { PromptFile } from '../model';

/** The prompt file's identity in run headers (sha256 of its text). */
export function contentHashOf(prompt: PromptFile): string {
  return createHash('sha256').update(prompt.text).digest('hex');
}

/** scheme://host[:port] only: a provider's origin must never carry credentials or a path into a run file. */
export function safeOrigin(origin: string): string {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
  } catch {
    return origin.replace(/\/\/[^/@]*@/, '//');
  }
}
