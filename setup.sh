#!/usr/bin/env bash
# Installs everything the local run and the tests need, on Debian or Ubuntu (as root, or with sudo):
#   chromium                 the browser tests and the email screenshots (Playwright never downloads a browser here)
#   fonts-noto-color-emoji   renders the alert headers' 🚨 ⚠️ ✅ in those screenshots
#   postgresql               initdb and pg_ctl, so the tests start their own throwaway PostgreSQL
#   nodejs, npm              the AWS CDK's runtime (the stack's synthesis and tests) and the cdk-nag linter
#   debootstrap, umoci, skopeo, docker-registry
#                            the offline container image build and the push test's local registry
#   moto_server, cfn-lint    the local AWS and AWS's CloudFormation linter (pip), when not on PATH
#   deploy/lint's npm packages  cdk-nag and aws-cdk-lib for the stack's second linter (npm ci)
# Idempotent: a second run finds everything in place and returns in about a second.
set -euo pipefail
cd "$(dirname "$0")"

packages=(chromium fonts-noto-color-emoji postgresql nodejs npm debootstrap umoci skopeo docker-registry)
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup.sh: run as root, or install sudo" >&2; exit 1; }
  sudo="sudo"
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# A Node.js installed outside Debian's packages (nvm, NodeSource, a tarball) serves as well as Debian's.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
read -ra missing <<<"${missing[*]}"

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v moto_server >/dev/null 2>&1; then
  echo "setup.sh: installing moto_server"
  command -v pip >/dev/null 2>&1 || command -v pip3 >/dev/null 2>&1 \
    || { echo "setup.sh: Python's pip is needed for moto: apt-get install python3-pip" >&2; exit 1; }
  "$(command -v pip || command -v pip3)" install --quiet "moto[server]"
fi

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "setup.sh: installing cfn-lint"
  "$(command -v pip || command -v pip3)" install --quiet cfn-lint
fi

if [[ ! -d deploy/lint/node_modules ]]; then
  echo "setup.sh: installing deploy/lint's packages (cdk-nag)"
  (cd deploy/lint && npm ci --no-audit --no-fund --loglevel=error)
fi

command -v dotnet >/dev/null 2>&1 || echo "setup.sh: the .NET 10 SDK is not on PATH; install it before 'dotnet build'" >&2
echo "setup.sh: everything the run and the tests need is installed"
