#!/usr/bin/env bash
# AWS's own linters over the synthesized stack: cfn-lint (every *.template.json, rules ignored only in the
# repository's .cfnlintrc, each with its reason) and cdk-nag's AwsSolutions pack (deploy/lint/cdk-nag.mjs; suppressions
# live next to their resources as template Metadata). Prints one count line per linter; exits non-zero on any cfn-lint
# error or warning, or any unsuppressed cdk-nag finding.
# Usage: deploy/lint/run-linters.sh TEMPLATE_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=${1:?usage: run-linters.sh TEMPLATE_DIR}
shopt -s nullglob
templates=("$dir"/*.template.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "run-linters: no *.template.json in $dir"
  exit 1
fi
status=0

# cfn-lint: one line per finding ("file:line:col: [E|W|I]NNNN ..." with the parseable format), then our count.
cfn_out=$(cd "$repo" && cfn-lint --format parseable -- "${templates[@]}" 2>&1)
cfn_rc=$?
errors=$(printf '%s\n' "$cfn_out" | grep -cE ':E[0-9]{4}:' || true)
warnings=$(printf '%s\n' "$cfn_out" | grep -cE ':W[0-9]{4}:' || true)
[ -n "$cfn_out" ] && printf '%s\n' "$cfn_out"
echo "cfn-lint: $errors errors, $warnings warnings (${#templates[@]} templates)"
# cfn-lint exits 2 for errors, 4 for warnings, 8 for informational findings only; anything but 0/8 fails.
if [ "$errors" -gt 0 ] || [ "$warnings" -gt 0 ] || { [ $cfn_rc -ne 0 ] && [ $cfn_rc -ne 8 ]; }; then
  status=1
fi

if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || { echo "cdk-nag: npm ci failed"; exit 1; }
fi
node "$here/cdk-nag.mjs" "${templates[@]}" || status=1
exit $status
