#!/usr/bin/env bash
# Step 1 of docs/deploy.md: puts every image the stack runs into the account's own ECR, under the one tag that
# `cdk deploy -c imageTag=TAG` deploys.
#
#   deploy/push-images.sh REGION TAG
#
# - creates the five repositories if they do not exist yet (shared by every environment of the account and region):
#   surgicase/{scheduler-service,notification-service,secrets-service,api-simulator,aws-otel-collector}
# - logs in to the account's registry with `aws ecr get-login-password` (credentials kept in a temporary file,
#   deleted on exit; your ~/.docker/config.json is not touched)
# - publishes the four services with the .NET SDK (-p:ContainerImageTag=TAG): tags TAG and <version>-<git revision>
# - copies the AWS Distro for OpenTelemetry collector from ECR Public, pinned by digest, to
#   surgicase/aws-otel-collector:TAG, so no task needs a route out of the VPC to start.
# Needs the AWS CLI v2 with credentials for the target account, the .NET 10 SDK and skopeo. Running it again with
# the same TAG pushes the same tags again.
#
# Environment, for tests and special cases (a first deploy needs none of them):
#   SURGICASE_PUBLISH_OPTIONS   extra `dotnet publish` arguments, split on spaces (the offline test uses it to build
#                               on its Debian base instead of Microsoft's)
#   SURGICASE_COLLECTOR_SOURCE  where to copy the collector from instead of ECR Public: REGISTRY/REPOSITORY@sha256:...
# A registry named localhost:PORT is spoken to over plain HTTP (as the .NET SDK does); every other one over TLS.
set -euo pipefail

# The collector, in one place: ADOT v0.40.0 (the version the stack's OtelCollector ran until now), its multi-arch
# image index. Where this digest comes from and how to check or move it: docs/deploy.md, "The collector image".
collector_version=v0.40.0
collector_digest=sha256:cdd2092033efbad8f4289eb53c2d729fdc2167b5395d71c175628f7eb1eb78aa
collector_upstream=public.ecr.aws/aws-observability/aws-otel-collector

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
declare -A project_of=(
  [scheduler-service]=SurgiCase.SchedulerService
  [notification-service]=SurgiCase.NotificationService
  [secrets-service]=SurgiCase.SecretsService
  [api-simulator]=SurgiCase.ApiSimulator
)
services=(scheduler-service notification-service secrets-service api-simulator)
collector_repository=surgicase/aws-otel-collector

fail() { echo "push-images.sh: $*" >&2; exit 1; }
[[ $# -eq 2 && -n $1 && -n $2 ]] || { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
region=$1
tag=$2
# An OCI tag: what the registry, ECR and `-c imageTag` accept alike.
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || fail "TAG '$tag' is not a valid image tag (letters, digits, _ . -; at most 128)"
for tool in aws dotnet skopeo; do
  command -v "$tool" >/dev/null || fail "$tool is missing (see docs/deploy.md, Prerequisites)"
done

collector_source=${SURGICASE_COLLECTOR_SOURCE:-$collector_upstream@$collector_digest}
[[ $collector_source == *@sha256:* ]] || fail "SURGICASE_COLLECTOR_SOURCE must name the image by digest (…@sha256:…), not '$collector_source'"

# skopeo's TLS switch for a registry host: plain HTTP only for localhost:PORT.
tls_verify() { [[ $1 == localhost:* ]] && echo false || echo true; }

# The repository's URI from ECR (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME), creating the repository first if needed.
repository_uri() {
  local name=$1 uri
  if uri=$(aws ecr describe-repositories --region "$region" --repository-names "$name" \
      --query 'repositories[0].repositoryUri' --output text 2>/dev/null); then
    echo "$uri"
    return
  fi
  echo "push-images.sh: creating repository $name" >&2
  aws ecr create-repository --region "$region" --repository-name "$name" \
    --image-scanning-configuration scanOnPush=true --query 'repository.repositoryUri' --output text
}

registry=""
for name in "${services[@]/#/surgicase/}" "$collector_repository"; do
  uri=$(repository_uri "$name")
  [[ $uri == */"$name" ]] || fail "ECR answered '$uri' for repository $name"
  host=${uri%%/*}
  [[ -z $registry || $registry == "$host" ]] || fail "repositories in two registries: $registry and $host"
  registry=$host
done

work=$(mktemp -d "${TMPDIR:-/tmp}/surgicase-push.XXXXXX")
trap 'rm -rf "$work"' EXIT
# One credentials file for both clients: skopeo writes it, the .NET SDK reads it as $DOCKER_CONFIG/config.json.
auth_file="$work/config.json"
aws ecr get-login-password --region "$region" \
  | skopeo login --authfile "$auth_file" --tls-verify="$(tls_verify "$registry")" --username AWS --password-stdin "$registry" >/dev/null

# Split on spaces into separate arguments (no globbing).
read -r -a extra <<<"${SURGICASE_PUBLISH_OPTIONS:-}"
for service in "${services[@]}"; do
  project=${project_of[$service]}
  log="$work/$service.log"
  echo "push-images.sh: publishing $registry/surgicase/$service:$tag" >&2
  if ! DOCKER_CONFIG="$work" dotnet publish "$repo/$project/$project.csproj" -c Release -t:PublishContainer \
      -p:ContainerRegistry="$registry" -p:ContainerImageTag="$tag" -p:ContainerRuntimeIdentifier=linux-x64 \
      "${extra[@]}" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "publishing $service failed"
  fi
done

label=${SURGICASE_COLLECTOR_SOURCE:+SURGICASE_COLLECTOR_SOURCE}
echo "push-images.sh: copying the collector (${label:-ADOT $collector_version}) $collector_source to $registry/$collector_repository:$tag" >&2
source_host=${collector_source%%/*}
# --all --preserve-digests: the whole multi-arch index, byte for byte, so the copy has the pinned digest.
skopeo copy --quiet --all --preserve-digests \
  --src-tls-verify="$(tls_verify "$source_host")" \
  --dest-authfile "$auth_file" --dest-tls-verify="$(tls_verify "$registry")" \
  "docker://$collector_source" "docker://$registry/$collector_repository:$tag"

for name in "${services[@]/#/surgicase/}" "$collector_repository"; do
  echo "$registry/$name:$tag"
done
