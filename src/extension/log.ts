// The "PromptLab" output channel. Everything logged passes through a redactor that knows every
// API key the extension has seen, so a key can never reach the log even through an error text.
import * as vscode from 'vscode';
import { Text } from './messages';

export interface Logger {
  readonly channel: vscode.LogOutputChannel;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  debug(message: string): void;
  /** Registers a secret to scrub from every later log line. */
  addSecret(secret: string): void;
  /** Scrubs known secrets (and bearer-token-looking strings) from a text. */
  redact(text: string): string;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const hint = 'hint' in error && typeof error.hint === 'string' ? ` (${error.hint})` : '';
    return `${error.message}${hint}`;
  }
  return String(error);
}

export function createLogger(): Logger {
  const channel = vscode.window.createOutputChannel(Text.outputChannel, { log: true });
  const secrets = new Set<string>();
  const redact = (text: string): string => {
    let result = text;
    for (const secret of secrets) result = result.split(secret).join('***');
    return result.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***').replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-***');
  };
  return {
    channel,
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    debug: (m) => channel.debug(redact(m)),
    error: (m, e) => channel.error(redact(e === undefined ? m : `${m}: ${describeError(e)}`)),
    addSecret: (s) => {
      // Very short strings would scrub ordinary words; real keys are long.
      if (s.length >= 6) secrets.add(s);
    },
    redact,
  };
}
