// API keys live only in SecretStorage, one per endpoint origin. The list of origins that have a
// key (not the keys) is kept in globalState so a run can preload them: the resolver asks for
// keys synchronously (keyFor(origin)) and only ever for the origin a request goes to.
import * as vscode from 'vscode';
import type { Logger } from './log';

const INDEX_KEY = 'promptlab.keyOrigins';
const secretName = (origin: string) => `promptlab.apiKey:${origin}`;

export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the origin after its key was stored or deleted (the index is up to date by then). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {}

  origins(): string[] {
    const stored = this.state.get<unknown>(INDEX_KEY, []);
    return Array.isArray(stored) ? stored.filter((o): o is string => typeof o === 'string') : [];
  }

  async set(origin: string, key: string): Promise<void> {
    this.log.addSecret(key);
    await this.secrets.store(secretName(origin), key);
    const origins = new Set(this.origins());
    origins.add(origin);
    await this.state.update(INDEX_KEY, [...origins].sort());
    this.log.info(`API key stored for ${origin}`);
    this.changed.fire(origin);
  }

  async get(origin: string): Promise<string | undefined> {
    const key = await this.secrets.get(secretName(origin));
    if (key) this.log.addSecret(key);
    return key;
  }

  async delete(origin: string): Promise<void> {
    await this.secrets.delete(secretName(origin));
    await this.state.update(
      INDEX_KEY,
      this.origins().filter((o) => o !== origin),
    );
    this.log.info(`API key deleted for ${origin}`);
    this.changed.fire(origin);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** Every stored key by origin, for one run's synchronous keyFor(origin). */
  async snapshot(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    for (const origin of this.origins()) {
      const key = await this.get(origin);
      if (key) keys.set(origin, key);
    }
    return keys;
  }
}
