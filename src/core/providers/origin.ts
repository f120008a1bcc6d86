// Origins (`scheme://host[:port]`), written once: keys are stored and sent per origin, and run files
// record the origin a run went to, never a path, query or credentials.

/** `https://api.example.com/v1/` → `https://api.example.com`; undefined for anything but an http(s) URL (user input). */
export function httpOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}

/**
 * `scheme://host[:port]` of any URL (also non-web schemes such as `vscode-lm://editor`); text that
 * is not a URL comes back without any `user:password@` part.
 */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}
