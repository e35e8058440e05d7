#!/usr/bin/env bash
# Action step 2: `serverless-security check` to SARIF. Never fails the job itself (the SARIF upload comes
# first); its exit code goes to the `status` output and the last step exits with it.
set -uo pipefail
sarif="$RUNNER_TEMP/serverless-security.sarif"
args=(check --format sarif --output "$sarif" --fail-on "${INPUT_FAIL_ON:-warning}")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
read -r -a paths <<< "${INPUT_PATHS:-.}"
serverless-security "${args[@]}" "${paths[@]}"
status=$?
[ -f "$sarif" ] && echo "sarif=$sarif" >> "$GITHUB_OUTPUT"
echo "status=$status" >> "$GITHUB_OUTPUT"
exit 0
