#!/usr/bin/env bash
# Action step 1: puts the `serverless-security` command on PATH for the next steps.
# From the action's own checkout ($GITHUB_ACTION_PATH) it packs the npm tarball (`npm ci && npm run pack:cli`),
# or takes SLS_CLI_TARBALL when given (the tests pass the tarball they packed), and installs it into
# $RUNNER_TEMP, outside the repository being checked.
set -euo pipefail
tarball=${SLS_CLI_TARBALL:-}
if [ -z "$tarball" ]; then
  cd "$GITHUB_ACTION_PATH"
  npm ci --no-audit --no-fund --ignore-scripts >&2
  tarball=$(npm run --silent pack:cli -- "$RUNNER_TEMP/serverless-security-pack" | tail -n 1)
fi
prefix="$RUNNER_TEMP/serverless-security"
mkdir -p "$prefix"
(cd "$prefix" && npm install --offline --no-audit --no-fund --silent "$tarball" >&2)
echo "$prefix/node_modules/.bin" >> "$GITHUB_PATH"
"$prefix/node_modules/.bin/serverless-security" --version
