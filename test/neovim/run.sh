#!/usr/bin/env bash
# Headless Neovim LSP test against the stdio server on a copy of examples/sam-app/template.yaml.
# usage: test/neovim/run.sh   (needs `nvim` and a built dist/server.js)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v nvim >/dev/null || { echo "neovim: nvim not found (apt-get install neovim)"; exit 1; }
[ -f "$ROOT/dist/server.js" ] || node "$ROOT/scripts/build.mjs"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/examples/." "$WORK/"
cd "$WORK"
SLS_SERVER="$ROOT/dist/server.js" timeout 120 nvim --headless --clean -n -c "luafile $ROOT/test/neovim/lsp.lua" sam-app/template.yaml
