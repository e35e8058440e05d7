#!/usr/bin/env bash
# End-to-end suites in real editors, on a COPY of examples/:
#   ui      code-server (VS Code 1.139 web + Node extension host) with the packaged .vsix installed,
#           driven by Playwright + Debian's /usr/bin/chromium (test/e2e/ui.mjs); screenshots in artifacts/e2e/
#   vscode  the extension-host mocha suite (test/vscode/) inside code-server's extension host
#   neovim  headless Neovim's built-in LSP client against the `serverless-security-lsp` command of the packed
#           npm tarball (test/neovim/)
#   emacs   Emacs with eglot, configured as the README says, against the same command (test/emacs/)
#   web     the web-only .vsix (browser entry only) in code-server's web-worker extension host, the language
#           server in a web worker, driven by test/e2e/ui.mjs with E2E_WEB=1; screenshots web-*.png
#   measure issue 15's measure on a real SAM app read where it lies (never copied): E2E_SAM_APP=<folder>
#           E2E_SAM_TEMPLATE=<template relative to it>; test/e2e/measure.mjs (not part of the default run)
# usage: scripts/e2e/run.sh [ui] [vscode] [neovim] [emacs] [web]     (default: all five)
# Needs chromium, neovim, emacs-nox and elpa-eglot (Debian packages, installed by .ci/run) and the npm registry
# (scripts/e2e/install.sh).
# Prints "e2e: N passed, N failed" last and exits non-zero when a suite failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
E2E=$ROOT/.e2e
ART=${E2E_ARTIFACTS:-$ROOT/artifacts/e2e}
PORT=${E2E_PORT:-$((20000 + RANDOM % 20000))}
SUITES=("$@"); [ ${#SUITES[@]} -eq 0 ] && SUITES=(ui vscode neovim emacs web)
want() { local s; for s in "${SUITES[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
PASS=0; FAIL=0; T0=$(date +%s)
lap() { echo "[e2e $(( $(date +%s) - T0 ))s] $*"; }
result() { if [ "$1" -eq 0 ]; then PASS=$((PASS+1)); lap "PASS $2"; else FAIL=$((FAIL+1)); lap "FAIL $2"; fi; }
finish() { stop_cs; lap "done in $(( $(date +%s) - T0 ))s"; echo "e2e: $PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ] && exit 0 || exit 1; }
die() { lap "FATAL: $*"; FAIL=$((FAIL+1)); finish; }
stop_cs() { if [ -f "$E2E/code-server.pid" ]; then kill -- "-$(cat "$E2E/code-server.pid")" 2>/dev/null; rm -f "$E2E/code-server.pid"; fi; }
trap stop_cs EXIT
trap 'stop_cs; exit 130' INT TERM
[ -d examples ] && [ -n "$(ls -A examples 2>/dev/null)" ] || die "examples/ is empty"
rm -rf "$ART" && mkdir -p "$ART"   # screenshots of this run only

# Build: the .vsix for the UI, the dev build (dist/) for the extension-host suite (Neovim and Emacs pack their own).
if want ui || want measure; then
  lap "install e2e tools"; bash scripts/e2e/install.sh || die "e2e tool install failed"
  lap "npm run package"; npm run --silent package -- "$E2E/serverless-security.vsix" || die "packaging failed"
fi
if want web; then
  bash scripts/e2e/install.sh >/dev/null || die "e2e tool install failed"
  lap "npm run package -- --web-only"; npm run --silent package -- "$E2E/serverless-security-web.vsix" --web-only || die "web packaging failed"
fi
if want vscode; then
  lap "build (development)"; node scripts/build.mjs || die "build failed"
fi
if want vscode; then
  bash scripts/e2e/install.sh >/dev/null || die "e2e tool install failed"
  node test/vscode/build.mjs || die "extension-host suite build failed"
fi

# code-server for ui and vscode: fresh user data, the .vsix installed, a copy of examples/ as the workspace.
# $1: the .vsix to install (none for the extension-host suite, which loads the project folder).
start_cs() {
  rm -rf "$E2E/data" "$E2E/ws" && mkdir -p "$E2E/data/user/User" && cp -r examples "$E2E/ws"
  cat > "$E2E/data/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none", "workbench.tips.enabled": false, "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden", "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off", "extensions.ignoreRecommendations": true, "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false, "update.mode": "none", "security.workspace.trust.enabled": false,
  "editor.hover.delay": 150, "window.commandCenter": false, "files.autoSave": "off",
  "redhat.telemetry.enabled": false,
  "editor.autoClosingBrackets": "never", "editor.autoClosingQuotes": "never", "editor.autoIndent": "none",
  "editor.formatOnType": false, "editor.formatOnSave": false
}
JSON
  if [ -n "${1:-}" ]; then
    "$E2E/bin/code-server" --user-data-dir "$E2E/data/user" --extensions-dir "$E2E/data/ext" \
      --install-extension "$1" --force > "$E2E/install-extension.log" 2>&1 \
      || { cat "$E2E/install-extension.log"; return 1; }
  fi
  setsid "$E2E/bin/code-server" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$E2E/data/user" --extensions-dir "$E2E/data/ext" \
    --vscode-option enable-smoke-test-driver "$E2E/ws" > "$ART/code-server.log" 2>&1 &
  echo $! > "$E2E/code-server.pid"
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && return 0
    kill -0 "$(cat "$E2E/code-server.pid")" 2>/dev/null || break
    sleep 0.1
  done
  cat "$ART/code-server.log"; return 1
}

if want ui; then
  lap "start code-server on 127.0.0.1:$PORT (packaged .vsix installed)"
  start_cs "$E2E/serverless-security.vsix" || die "code-server did not start"
  WS_FOLDER="$E2E/ws" node test/e2e/ui.mjs "http://127.0.0.1:$PORT" "$ART" "$E2E/data/user/User/settings.json"
  result $? "ui (code-server + chromium, packaged .vsix)"
  stop_cs; cp -r "$E2E/data/user/logs" "$ART/logs-ui" 2>/dev/null
fi
if want measure; then
  [ -n "${E2E_SAM_APP:-}" ] && [ -f "${E2E_SAM_APP}/${E2E_SAM_TEMPLATE:-}" ] || die "measure: set E2E_SAM_APP and E2E_SAM_TEMPLATE"
  lap "start code-server on 127.0.0.1:$PORT (packaged .vsix installed; measuring $E2E_SAM_APP/$E2E_SAM_TEMPLATE)"
  start_cs "$E2E/serverless-security.vsix" || die "code-server did not start"
  node test/e2e/measure.mjs "http://127.0.0.1:$PORT" "$ART" "$E2E/data/user/User/settings.json" "$E2E_SAM_APP" "$E2E_SAM_TEMPLATE"
  result $? "measure (issue 15 figures on a real SAM app)"
  stop_cs
fi
if want vscode; then
  lap "start code-server on 127.0.0.1:$PORT (extension under development: $ROOT)"
  start_cs || die "code-server did not start"
  node scripts/e2e/ext-host.mjs "http://127.0.0.1:$PORT" "$ROOT" "$ROOT/out/test/vscode/index.js" "$E2E/ws"
  result $? "vscode (extension-host mocha suite in code-server)"
  stop_cs; cp -r "$E2E/data/user/logs" "$ART/logs-vscode" 2>/dev/null
fi
if want web; then
  lap "start code-server on 127.0.0.1:$PORT (web-only .vsix installed)"
  start_cs "$E2E/serverless-security-web.vsix" || die "code-server did not start"
  E2E_WEB=1 WS_FOLDER="$E2E/ws" node test/e2e/ui.mjs "http://127.0.0.1:$PORT" "$ART" "$E2E/data/user/User/settings.json"
  result $? "web (code-server web-worker extension host, web-only .vsix)"
  stop_cs; cp -r "$E2E/data/user/logs" "$ART/logs-web" 2>/dev/null
fi
if want neovim; then
  bash test/neovim/run.sh
  result $? "neovim (headless LSP client of serverless-security-lsp over stdio)"
fi
if want emacs; then
  bash test/emacs/run.sh
  result $? "emacs (eglot client of serverless-security-lsp over stdio)"
fi
finish
