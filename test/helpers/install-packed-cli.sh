#!/usr/bin/env bash
# Packs the npm tarball (`npm run pack:cli`) and installs it offline into <folder>/project, as a user would;
# prints the folder holding the `serverless-security` and `serverless-security-lsp` commands (for PATH).
# usage: test/helpers/install-packed-cli.sh <folder>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=$1
TGZ=$(cd "$ROOT" && npm run --silent pack:cli -- "$DEST/pack" | tail -n 1)
mkdir -p "$DEST/project"
(cd "$DEST/project" && npm install --offline --no-audit --no-fund --silent "$TGZ" >&2)
echo "$DEST/project/node_modules/.bin"
