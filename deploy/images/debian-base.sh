#!/usr/bin/env bash
# Builds the offline base image: Debian bookworm with only what a self-contained ASP.NET Core app needs,
# as an OCI layout, cached under ${SURGICASE_CACHE:-~/.cache/surgicase}/base/<key> where the key hashes
# this script, so a second build costs nothing. Prints the layout's path. Needs root and debootstrap + umoci.
#
# Why these packages (Microsoft's runtime-deps image carries the same set):
#   libc6, libgcc-s1, libstdc++6  the runtime's native parts (in minbase already)
#   libicu72                      globalization: the services format dates and compare names culture-aware
#   libssl3, ca-certificates      TLS to AWS, RDS and the webhook, with the system trust store
#   tzdata                        job schedules carry IANA time zones (Scheduler:Jobs timeZone)
#   libgssapi-krb5-2              Npgsql probes GSSAPI when it connects; without the library the runtime
#                                 prints a plain-text error line into the JSON log stream
# No shell tools beyond minbase, no .NET runtime: the apps are published self-contained on this base.
set -euo pipefail

suite=bookworm
mirror=${SURGICASE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=ca-certificates,libicu72,libssl3,tzdata,libgssapi-krb5-2
app_uid=1654

cache_root=${SURGICASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/surgicase}
key=$( { cat "$0"; echo "$mirror"; } | sha256sum | cut -c1-16)
layout="$cache_root/base/debian-$suite-$key"
if [[ -f "$layout/index.json" ]]; then
  echo "$layout"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || { echo "debian-base.sh: debootstrap needs root" >&2; exit 1; }
for tool in debootstrap umoci; do
  command -v "$tool" >/dev/null || { echo "debian-base.sh: $tool is missing: apt-get install -y debootstrap umoci" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/surgicase-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
umoci init --layout "$work/oci"
umoci new --image "$work/oci:$suite"
umoci unpack --image "$work/oci:$suite" "$work/bundle" >/dev/null
rootfs="$work/bundle/rootfs"

echo "debian-base.sh: debootstrap $suite from $mirror (a few minutes, once)" >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }

# The non-root user of Microsoft's images, same name and ids, so ECS task definitions fit both bases.
chroot "$rootfs" groupadd --gid "$app_uid" app
chroot "$rootfs" useradd --uid "$app_uid" --gid "$app_uid" --no-create-home --home-dir /app --shell /usr/sbin/nologin app
# Package caches, docs and translations are dead weight in a runtime image.
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
find "$rootfs/tmp" "$rootfs/run" -mindepth 1 -delete

umoci repack --image "$work/oci:$suite" "$work/bundle" >/dev/null
umoci config --image "$work/oci:$suite" --os linux --architecture amd64 \
  --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "APP_UID=$app_uid" \
  --config.env "DOTNET_RUNNING_IN_CONTAINER=true" \
  --config.user "$app_uid" \
  --config.label "org.opencontainers.image.title=surgicase/debian-base" \
  --config.label "org.opencontainers.image.base.name=debian:$suite (debootstrap minbase)"
umoci gc --layout "$work/oci"

mkdir -p "$(dirname "$layout")"
rm -rf "$layout.tmp" && mv "$work/oci" "$layout.tmp" && mv "$layout.tmp" "$layout"
echo "$layout"
