// What a run header records about which prompt it ran: the content hash. New runs write it; a
// resume checks it before adding to a run (the endpoint's origin: providers/origin.ts originOf).
import { createHash } from 'node:crypto';
import type { PromptFile } from '../model';

/** The prompt file's identity in run headers (sha256 of its text). */
export function contentHashOf(prompt: PromptFile): string {
  return createHash('sha256').update(prompt.text).digest('hex');
}
