#!/usr/bin/env bash
# Emacs (Debian's emacs-nox) with eglot (Debian's elpa-eglot), configured with the README's snippet, as an LSP client
# of the `serverless-security-lsp` command of the packed npm tarball installed in a temporary folder, on a copy of
# examples/sam-app/template.yaml.
# usage: test/emacs/run.sh   (needs `emacs` with eglot and npm; packs with `npm run pack:cli`)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v emacs >/dev/null || { echo "emacs: not found (apt-get install emacs-nox elpa-eglot)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BIN=$(bash "$ROOT/test/helpers/install-packed-cli.sh" "$WORK/cli")
export PATH="$BIN:$PATH"
mkdir "$WORK/ws" && cp -r "$ROOT/examples/." "$WORK/ws/"
cd "$WORK/ws"
HOME="$WORK" timeout 120 emacs --batch -Q -l "$ROOT/test/emacs/eglot.el" sam-app/template.yaml
