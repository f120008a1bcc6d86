// Typed access to the `promptlab.*` settings. Endpoint settings are machine/application scoped
// in package.json so a workspace cannot redirect where a stored key is sent.
import * as vscode from 'vscode';
import { isEndpoint } from './models/endpointEntries';

export interface EndpointSetting {
  /** Base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
  baseURL: string;
  /** Model ids (or prefixes ending in `/` or `*`) served by this endpoint. */
  models: string[];
  /** Optional provider kind label (openai, azure, ollama, …). */
  kind?: string;
  /** Azure (`kind: azure`): the deployment every model of this endpoint goes to. */
  deployment?: string;
}

export interface RunSettings {
  defaultModel: string | undefined;
  concurrency: number;
  runsDirectory: string;
  cacheEnabled: boolean;
  cacheDirectory: string;
  useEditorLanguageModels: boolean;
  endpoints: EndpointSetting[];
  providerConfigFile: string | undefined;
  /** Ask before a run whose estimated cost may pass this many USD (application scope: a workspace cannot raise it). */
  confirmCostAboveUsd: number;
}

export const DEFAULT_CONFIRM_COST_USD = 1;

function confirmThreshold(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_CONFIRM_COST_USD;
}

export function readSettings(scope?: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration('promptlab', scope);
  const concurrency = config.get<number>('concurrency', 4);
  const endpoints = config.get<unknown[]>('endpoints', []);
  const defaultModel = config.get<string>('defaultModel', '').trim();
  const configFile = config.get<string>('providerConfigFile', '').trim();
  return {
    defaultModel: defaultModel || undefined,
    concurrency: Number.isInteger(concurrency) && concurrency >= 1 ? Math.min(concurrency, 64) : 4,
    runsDirectory: config.get<string>('runsDirectory', '.promptlab/runs').trim() || '.promptlab/runs',
    cacheEnabled: config.get<boolean>('cache.enabled', true),
    cacheDirectory: config.get<string>('cache.directory', '.promptlab/cache').trim() || '.promptlab/cache',
    useEditorLanguageModels: config.get<boolean>('useEditorLanguageModels', true),
    endpoints: Array.isArray(endpoints) ? endpoints.filter(isEndpoint) : [],
    providerConfigFile: configFile || undefined,
    confirmCostAboveUsd: confirmThreshold(config.get<number>('confirmCostAboveUsd', DEFAULT_CONFIRM_COST_USD)),
  };
}
