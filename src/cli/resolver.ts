// One way for every command to turn the config and the flags into a resolver: the user's
// `--allow-key` grants (and PROMPTLAB_ALLOW_KEYS, read by core) decide where keys may go.
import type { ProviderConfig } from '../core/providers/config';
import { parseKeyGrants } from '../core/providers/keyPolicy';
import { createResolver } from '../core/providers/resolver';
import type { ModelResolver } from '../core/providers/types';
import type { CliIo } from './io';

export function cliResolver(
  config: ProviderConfig,
  flags: { model?: string; allowKeys?: readonly string[] },
  io: CliIo,
): ModelResolver {
  const allowKeys = (flags.allowKeys ?? []).flatMap((raw) => parseKeyGrants(raw, '--allow-key'));
  return createResolver(config, {
    env: io.env,
    allowKeys,
    ...(flags.model !== undefined ? { modelOverride: flags.model } : {}),
  });
}
