#!/usr/bin/env bash
# Builds the SurgiCase container images as OCI archives (one .tar per service) with the .NET SDK's container
# support: no Dockerfiles, no docker daemon.
#
#   deploy/images/build.sh OUTDIR [--base microsoft|debian] [--version 1.0.0] [--only scheduler-service,...]
#
#   --base microsoft  (default) Microsoft's mcr.microsoft.com/dotnet/aspnet:10.0, framework-dependent: needs
#                     access to mcr.microsoft.com.
#   --base debian     offline: our Debian bookworm base (debian-base.sh, cached), served from a throwaway
#                     local registry, apps published self-contained. Needs root, debootstrap, umoci, skopeo and
#                     docker-registry (apt-get install -y debootstrap umoci skopeo docker-registry).
#
# Extra MSBuild properties can follow "--", e.g. -- -p:PublishReadyToRun=false.
# Prints one line per image: OUTDIR/<service>.tar and its tags.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
all_services=(scheduler-service notification-service secrets-service api-simulator)
declare -A project_of=(
  [scheduler-service]=SurgiCase.SchedulerService
  [notification-service]=SurgiCase.NotificationService
  [secrets-service]=SurgiCase.SecretsService
  [api-simulator]=SurgiCase.ApiSimulator
)

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
fail() { echo "build.sh: $*" >&2; exit 1; }

[[ $# -ge 1 && $1 != -* ]] || usage
outdir=$1; shift
base=microsoft
version=1.0.0
services=("${all_services[@]}")
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --base) base=${2:-}; shift 2 ;;
    --version) version=${2:-}; shift 2 ;;
    --only) IFS=, read -r -a services <<<"${2:-}"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) usage ;;
  esac
done
[[ $base == microsoft || $base == debian ]] || fail "--base must be microsoft or debian, not '$base'"
for s in "${services[@]}"; do [[ -n ${project_of[$s]:-} ]] || fail "unknown service '$s' (one of: ${all_services[*]})"; done
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/surgicase-images.XXXXXX")
registry_pid=""
cleanup() {
  # The registry ends by SIGTERM (status 143); that must not become build.sh's exit status under set -e.
  if [[ -n $registry_pid ]]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The publish runs on a copy of the sources so it never races a developer's build for the same obj/ folders.
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || true)
short_revision=${revision:0:7}
short_revision=${short_revision:-local}
source_url=$(git -C "$repo" config --get remote.origin.url 2>/dev/null || true)
# Every product project folder goes along (not tests, bench or deploy), so a new project reference never
# breaks the image build.
product_dirs=()
for dir in "$repo"/SurgiCase.*/; do product_dirs+=("$(basename "$dir")"); done
tar -C "$repo" --exclude=bin --exclude=obj --exclude=.data --exclude=TestResults --exclude=.git \
  -cf - Directory.Build.props Directory.Build.targets Directory.Packages.props global.json deploy/images \
  "${product_dirs[@]}" | { mkdir -p "$work/src" && tar -C "$work/src" -xf -; }

properties=(
  -c Release -t:PublishContainer
  -p:SurgiCaseContainerBase="$base" -p:SurgiCaseImageVersion="$version"
  -p:EnableSourceControlManagerQueries=false -p:SourceRevisionId="$revision" -p:RepositoryUrl="$source_url"
)

if [[ $base == debian ]]; then
  [[ $(id -u) -eq 0 ]] || fail "the Debian base is built with debootstrap, which needs root"
  for tool in debootstrap umoci skopeo docker-registry; do
    command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install -y debootstrap umoci skopeo docker-registry"
  done
  layout=$("$here/debian-base.sh")

  # A throwaway registry on a free loopback port, only for this build.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$work/registry.yml" <<YAML
version: 0.1
log: { level: error }
storage: { filesystem: { rootdirectory: $work/registry } }
http: { addr: 127.0.0.1:$port }
YAML
  docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break
    kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; fail "docker-registry did not start"; }
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || fail "docker-registry did not answer on 127.0.0.1:$port"
  skopeo copy --quiet --dest-tls-verify=false "oci:$layout:bookworm" "docker://localhost:$port/surgicase/debian-base:bookworm"
  # The SDK speaks plain HTTP only to a registry named localhost:PORT.
  properties+=(-r linux-x64 --self-contained -p:SurgiCaseBaseRegistry="localhost:$port")
fi

for service in "${services[@]}"; do
  project=${project_of[$service]}
  archive="$outdir/$service.tar"
  rm -f "$archive"
  if ! dotnet publish "$work/src/$project/$project.csproj" "${properties[@]}" \
      -p:ContainerArchiveOutputPath="$archive" "${extra[@]}" >"$work/$service.log" 2>&1; then
    tail -n 30 "$work/$service.log" >&2
    fail "publishing $service failed"
  fi
  echo "$archive surgicase/$service:$version-$short_revision latest"
done
