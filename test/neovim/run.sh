#!/usr/bin/env bash
# Headless Neovim LSP test on a copy of examples/sam-app/template.yaml, through the `serverless-security-lsp`
# command of the packed npm tarball installed in a temporary folder (the README's snippet starts it by name).
# usage: test/neovim/run.sh   (needs `nvim` and npm; packs with `npm run pack:cli`)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v nvim >/dev/null || { echo "neovim: nvim not found (apt-get install neovim)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BIN=$(bash "$ROOT/test/helpers/install-packed-cli.sh" "$WORK/cli")
export PATH="$BIN:$PATH"
mkdir "$WORK/ws" && cp -r "$ROOT/examples/." "$WORK/ws/"
cd "$WORK/ws"
timeout 120 nvim --headless --clean -n -c "luafile $ROOT/test/neovim/lsp.lua" sam-app/template.yaml
