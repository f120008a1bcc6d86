// Writes that either happen completely or not at all: a temp file beside the target, then a
// rename (atomic on one file system). A file a reader catches half-written would be corrupt.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PromptLabError } from '../errors';

/**
 * Refuses files the user marked read-only (no write bit), even as root, where `access(W_OK)`
 * would say yes: a rename would silently replace them.
 */
export async function assertWritable(file: string, shown: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let writable = (stat.mode & 0o222) !== 0;
  if (writable) {
    try {
      await fs.access(file, fs.constants.W_OK);
    } catch {
      writable = false;
    }
  }
  if (!writable) throw new PromptLabError(`${shown} is read-only; nothing was written`, 'input', { file: shown });
}

export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = (await fs.stat(file)).mode & 0o777;
  } catch {
    mode = undefined;
  }
  try {
    await fs.writeFile(temp, text, { encoding: 'utf8', flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw new PromptLabError(
      `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`,
      'input',
      { file },
    );
  }
}
