// Which environment variables may be sent to which hosts. A repository's provider config names
// the variable (`apiKeyEnv`, `${env:NAME}` in a header) and the host (`baseURL`), but the config
// is not the user: a pull request can edit it, and CI runs `promptlab eval` with secrets in its
// environment. So the config only chooses among hosts the variable is already allowed to reach:
// - a well-known provider variable goes only to its own service (https);
// - a `PROMPTLAB_*` variable was set for PromptLab and goes to the endpoint the config names;
// - anything else, and any other pair, only when the user allows that variable-and-host pair from
//   outside the repository (`--allow-key VAR=host`, `PROMPTLAB_ALLOW_KEYS`).
// Loopback hosts get no exemption: a repository can run or point at a local proxy of its own.
// Threat model and examples: docs/providers.md "Keys".
import { PromptLabError } from '../errors';

/** The environment variable that carries user grants: `VAR=host,VAR=host` (commas or spaces). */
export const ALLOW_KEYS_ENV = 'PROMPTLAB_ALLOW_KEYS';
export const PROMPTLAB_KEY_PREFIX = 'PROMPTLAB_';

/** A variable the user allows to go to one host (`host`, `host:port`) or one origin (`https://host:port`). */
export interface KeyGrant {
  variable: string;
  host: string;
}

/** Hostnames each well-known provider variable may reach (https only); `.suffix` matches subdomains. */
const PROVIDER_KEY_HOSTS: Readonly<Record<string, readonly string[]>> = {
  OPENAI_API_KEY: ['api.openai.com'],
  AZURE_OPENAI_API_KEY: [
    '.openai.azure.com',
    '.cognitiveservices.azure.com',
    '.services.ai.azure.com',
    '.openai.azure.us',
    '.openai.azure.cn',
  ],
  ANTHROPIC_API_KEY: ['api.anthropic.com'],
  OPENROUTER_API_KEY: ['openrouter.ai'],
  GEMINI_API_KEY: ['generativelanguage.googleapis.com'],
  GOOGLE_API_KEY: ['generativelanguage.googleapis.com'],
  MISTRAL_API_KEY: ['api.mistral.ai', 'codestral.mistral.ai'],
  GROQ_API_KEY: ['api.groq.com'],
  TOGETHER_API_KEY: ['api.together.xyz', 'api.together.ai'],
  DEEPSEEK_API_KEY: ['api.deepseek.com'],
  XAI_API_KEY: ['api.x.ai'],
  FIREWORKS_API_KEY: ['api.fireworks.ai'],
  PERPLEXITY_API_KEY: ['api.perplexity.ai'],
  CEREBRAS_API_KEY: ['api.cerebras.ai'],
  COHERE_API_KEY: ['api.cohere.ai', 'api.cohere.com'],
  HF_TOKEN: ['router.huggingface.co', 'api-inference.huggingface.co'],
  NVIDIA_API_KEY: ['integrate.api.nvidia.com'],
};

/** Env variables that name the user's own endpoint for a well-known key (set by the user, not the repository). */
const USER_ENDPOINT_ENV: Readonly<Record<string, readonly string[]>> = {
  OPENAI_API_KEY: ['OPENAI_BASE_URL'],
  AZURE_OPENAI_API_KEY: ['AZURE_OPENAI_ENDPOINT'],
};

export function isProviderKeyVariable(variable: string): boolean {
  return Object.hasOwn(PROVIDER_KEY_HOSTS, variable);
}

/** The hosts a well-known variable is pinned to, for messages and docs. */
export function providerKeyHosts(variable: string): readonly string[] {
  return PROVIDER_KEY_HOSTS[variable] ?? [];
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `VAR=host` entries separated by commas or whitespace. `source` names where they came
 * from (`--allow-key`, `PROMPTLAB_ALLOW_KEYS`) for the error message.
 */
export function parseKeyGrants(text: string, source: string): KeyGrant[] {
  const grants: KeyGrant[] = [];
  for (const entry of text.split(/[\s,]+/).filter((e) => e !== '')) {
    const eq = entry.indexOf('=');
    const variable = eq > 0 ? entry.slice(0, eq) : '';
    const host =
      eq > 0
        ? entry
            .slice(eq + 1)
            .replace(/\/+$/, '')
            .toLowerCase()
        : '';
    if (!VARIABLE.test(variable) || host === '' || !validHost(host)) {
      throw new PromptLabError(
        `${source}: expected VARIABLE=host (e.g. MY_KEY=api.example.com or MY_KEY=http://127.0.0.1:8080), got "${entry}"`,
        'input',
      );
    }
    grants.push({ variable, host });
  }
  return grants;
}

function validHost(host: string): boolean {
  try {
    const url = new URL(host.includes('://') ? host : `https://${host}`);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/' && !url.username && !url.search
    );
  } catch {
    return false;
  }
}

function grantMatches(grant: KeyGrant, url: URL): boolean {
  // An origin pins scheme and port; a bare host matches that host on its default port only (a
  // different port on the same machine is a different service, perhaps not the user's).
  if (grant.host.includes('://')) return new URL(grant.host).origin === url.origin;
  return grant.host === url.host;
}

function sameOrigin(a: string, b: URL): boolean {
  try {
    return new URL(a.trim()).origin === b.origin;
  } catch {
    return false;
  }
}

export type KeyDecision = { allowed: true } | { allowed: false; reason: string };

/** May the value of `variable` be sent to `origin`? `env` is the user's environment. */
export function keyDecision(
  variable: string,
  origin: string,
  env: NodeJS.ProcessEnv,
  grants: readonly KeyGrant[],
): KeyDecision {
  const url = new URL(origin);
  const granted = grants.filter((g) => g.variable === variable);
  if (granted.some((g) => grantMatches(g, url))) return { allowed: true };
  const pinned = PROVIDER_KEY_HOSTS[variable];
  if (pinned) {
    const own =
      url.protocol === 'https:' &&
      pinned.some((h) => (h.startsWith('.') ? url.hostname.endsWith(h) : url.hostname === h));
    const userEndpoint = (USER_ENDPOINT_ENV[variable] ?? []).some(
      (name) => env[name] !== undefined && sameOrigin(env[name] ?? '', url),
    );
    if (own || userEndpoint) return { allowed: true };
    return {
      allowed: false,
      reason: `${variable} is only sent to its own service (${pinned.map((h) => (h.startsWith('.') ? `*${h}` : h)).join(', ')})`,
    };
  }
  // A PROMPTLAB_* variable the user also granted somewhere is pinned to those grants.
  if (variable.startsWith(PROMPTLAB_KEY_PREFIX) && variable !== ALLOW_KEYS_ENV && granted.length === 0)
    return { allowed: true };
  if (granted.length > 0)
    return { allowed: false, reason: `${variable} is allowed only for ${granted.map((g) => g.host).join(', ')}` };
  return {
    allowed: false,
    reason: `${variable} is not a provider key variable and its name does not start with ${PROMPTLAB_KEY_PREFIX}`,
  };
}

/** The message of a refused key: the variable, the host, why, and how the user can allow it. */
export function refusedKeyMessage(provider: string, variable: string, origin: string, reason: string): string {
  const host = new URL(origin).host;
  return (
    `provider "${provider}" would send ${variable} to ${origin}; refused: ${reason}. ` +
    `A repository's config cannot choose where your secrets go. If you trust this host, allow the pair yourself: ` +
    `--allow-key ${variable}=${host} or ${ALLOW_KEYS_ENV}=${variable}=${host}; or name a PROMPTLAB_* variable in apiKeyEnv`
  );
}
