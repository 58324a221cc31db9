#!/usr/bin/env bash
# Builds the RevOps Bridge container image as a docker-archive tarball: no Docker daemon, no registry needed.
#
#   src/main/image/build-image.sh [--out DIR] [--cache DIR] [--tag TAG] [--base-image REF] [--rebuild-base]
#
# 1. base  (skipped with --base-image): Debian bookworm minbase + openjdk-17-jre-headless + ca-certificates, user
#          185, /deployments, made by mmdebstrap from the Debian mirror apt uses, then umoci + skopeo turn it into a
#          docker-save tarball (the only local format Jib reads). Kept in --cache, named by the hash of its recipe;
#          --rebuild-base rebuilds it (security updates).
# 2. image: ./mvnw package -Pcontainer-image in THIS checkout (Quarkus' Jib extension layers target/quarkus-app on
#          the base; routes/ and mappings/ become /deployments/routes and /deployments/mappings, the defaults the
#          ConfigMaps replace). Quarkus' Jib can only push or `docker load`: docker-to-tar stands in for docker and
#          writes the stream to --out/revops-bridge-image.tar.
#
# --base-image REF uses a registry base instead (e.g. registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21) where
# a registry is reachable. Needs root for mmdebstrap; Debian packages mmdebstrap umoci skopeo (installed if missing).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(cd "$HERE/../../.." && pwd)"
OUT="$PROJECT/target/image"
CACHE="${REVOPS_IMAGE_CACHE:-$HOME/.cache/revops-bridge-image}"
TAG=dev
BASE_IMAGE=""
REBUILD_BASE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --cache) CACHE="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    --base-image) BASE_IMAGE="$2"; shift 2 ;;
    --rebuild-base) REBUILD_BASE=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT" "$CACHE"
T0=$(date +%s)
note() { echo "== [$(( $(date +%s) - T0 ))s] $*"; }

# JVM settings (README "Container image"): jvm-options, the file the benchmark's packaged runtime reads too, one option
# a line (comments and blank lines left out), comma-separated for Jib
JVM_ARGS="${REVOPS_JVM_ARGS:-$(grep -v -e '^#' -e '^[[:space:]]*$' "$HERE/jvm-options" | paste -sd, -)}"
# the process' environment (environment: NAME=value a line), as Jib's environment variables of the image
JIB_ENV=()
while IFS= read -r line; do
  JIB_ENV+=("-Dquarkus.jib.environment-variables.${line%%=*}=${line#*=}")
done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$HERE/environment")
# one constant time for every timestamp the build writes: a layer then changes only when its content does
OUTPUT_TIMESTAMP="${OUTPUT_TIMESTAMP:-2026-01-01T00:00:00Z}"

# ---------------------------------------------------------------------------------------------------------------
# 1. Base image from Debian packages
build_base() {
  local need=()
  for p in mmdebstrap umoci skopeo; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  if [ ${#need[@]} -gt 0 ]; then
    note "apt-get install ${need[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  local sources=/etc/apt/sources.list.d/debian.sources mirror security epoch=1747699200
  mirror="${DEBIAN_MIRROR:-$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$sources" 2>/dev/null || true)}"
  security="${DEBIAN_SECURITY_MIRROR:-$(awk '/^URIs:/ && $2 ~ /security/ {print $2; exit}' "$sources" 2>/dev/null || true)}"
  mirror="${mirror:-http://deb.debian.org/debian}"
  security="${security:-http://deb.debian.org/debian-security}"
  # everything that decides the base's content: its hash names the cached base
  local id
  id="$(printf '%s\n' "bookworm minbase epoch=$epoch $mirror $security openjdk-17-jre-headless ca-certificates" \
    "no man/doc/locale, merged-usr, user 185, /deployments, no resolv.conf/hostname//dev, recipe 1" | sha256sum | cut -c1-12)"
  BASE_TAR="$CACHE/revops-base-$id.tar"
  if [ "$REBUILD_BASE" = 0 ] && [ -s "$BASE_TAR" ]; then
    note "base: cached $BASE_TAR"
    return
  fi
  [ "$(id -u)" = 0 ] || { echo "building the base needs root (mmdebstrap); or pass --base-image REF" >&2; exit 1; }
  note "base: mmdebstrap bookworm minbase + openjdk-17-jre-headless from $mirror"
  local rootfs="$CACHE/rootfs-$id.tar" oci="$CACHE/oci-$id" created
  rm -rf "$rootfs" "$oci"
  # man pages are left out, but openjdk's postinst (update-alternatives) needs /usr/share/man/man1; the merged-usr
  # hook keeps usrmerge and with it perl (~50 MB) out; the host's resolv.conf and hostname must not ship
  SOURCE_DATE_EPOCH="$epoch" mmdebstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt=force-unsafe-io \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --customize-hook='chroot "$1" groupadd -g 185 jboss' \
    --customize-hook='chroot "$1" useradd -u 185 -g 185 -d /home/jboss -m -s /usr/sbin/nologin -c "RevOps Bridge" jboss' \
    --customize-hook='mkdir -p "$1/deployments" && chown 185:185 "$1/deployments"' \
    --customize-hook='rm -f "$1/etc/resolv.conf" "$1/etc/hostname"' \
    bookworm "$rootfs" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb $security bookworm-security main" > "$OUT/mmdebstrap.log" 2>&1 || { tail -30 "$OUT/mmdebstrap.log"; exit 1; }
  # device nodes in a layer break unpacking where mknod is not allowed; container runtimes mount /dev anyway
  tar --delete -f "$rootfs" $(tar -tf "$rootfs" | grep -E '^\./dev/.+' | sort -r)
  created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
  umoci init --layout "$oci"
  umoci new --image "$oci:base"
  umoci raw add-layer --image "$oci:base" --history.created="$created" \
    --history.created_by="mmdebstrap bookworm minbase + openjdk-17-jre-headless ca-certificates" "$rootfs"
  umoci config --image "$oci:base" --created="$created" --history.created="$created" --architecture=amd64 --os=linux \
    --config.user=185 --config.workingdir=/deployments \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env=JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --config.env=LANG=C.UTF-8
  rm -f "$BASE_TAR.part"
  skopeo copy --quiet "oci:$oci:base" "docker-archive:$BASE_TAR.part:revops-base:bookworm-$id"
  mv "$BASE_TAR.part" "$BASE_TAR"
  rm -rf "$oci" "$rootfs"
  note "base: $BASE_TAR ($(stat -c %s "$BASE_TAR") bytes)"
}

# ---------------------------------------------------------------------------------------------------------------
# 2. Application image with Quarkus' Jib extension
build_image() {
  local base_ref="$1" image_tar="$OUT/revops-bridge-image.tar" commit epoch stage="$PROJECT/src/main/jib"
  commit="$(git -C "$PROJECT" rev-parse HEAD 2>/dev/null || echo unknown)"
  epoch="$(date -u -d "$OUTPUT_TIMESTAMP" +%s)"
  # Jib copies src/main/jib/** into the image root as a layer of its own, each file with its own mtime: pinned,
  # so the layer changes only with the content. Golden cases (*.cases) are test data and stay out.
  rm -rf "$stage"
  mkdir -p "$stage/deployments"
  tar -C "$PROJECT" --exclude='*.cases' -cf - routes mappings | tar -C "$stage/deployments" -xf -
  find "$stage" -exec touch -h -d "@$epoch" {} +
  local extra=()
  if [ -z "$BASE_IMAGE" ]; then
    # a plain Debian JRE: `java <jvm args> -jar quarkus-run.jar` in /deployments as 185 (a UBI OpenJDK base brings
    # its own run-java.sh, user and working directory, which Quarkus detects)
    extra=(-Dquarkus.jib.working-directory=/deployments -Dquarkus.jib.user=185)
  fi
  rm -f "$image_tar"
  note "image: ./mvnw package -Pcontainer-image on $base_ref"
  # Jib's application-layers cache matches files by path and mtime, not content: with pinned mtimes a kept cache
  # served a changed route or mapping from the old layer (a second build in the same checkout did), so it is emptied
  # before every build; only the base-layer cache (by digest) is kept
  rm -rf "$PROJECT/target/jib-app-cache"
  (cd "$PROJECT" && ./mvnw -B -ntp ${MAVEN_ARGS:-} package -Dmaven.test.skip=true -Pcontainer-image \
    -Dproject.build.outputTimestamp="$OUTPUT_TIMESTAMP" -Dquarkus.package.output-timestamp="$OUTPUT_TIMESTAMP" \
    -Dquarkus.container-image.build=true -Dquarkus.container-image.image="revops-bridge:$TAG" \
    -Dquarkus.container-image.labels.\"org.opencontainers.image.revision\"="$commit" \
    -Dquarkus.jib.base-jvm-image="$base_ref" -Dquarkus.jib.ports=8080,8778,9000 \
    -Dquarkus.jib.jvm-additional-arguments="$JVM_ARGS" "${JIB_ENV[@]}" "${extra[@]}" \
    -Dquarkus.jib.use-current-timestamp=false -Dquarkus.jib.use-current-timestamp-file-modification=false \
    -Dquarkus.jib.docker-executable-name="$HERE/docker-to-tar" -Dquarkus.jib.docker-environment.JIB_IMAGE_TAR="$image_tar" \
    -Dquarkus.jib.base-image-layers-cache="$CACHE/jib-base-layers" \
    -Dquarkus.jib.application-layers-cache="$PROJECT/target/jib-app-cache") > "$OUT/maven.log" 2>&1 \
    || { grep -E 'ERROR|FAIL' "$OUT/maven.log" | head -30; exit 1; }
  [ -s "$image_tar" ] || { echo "no image tarball written (see $OUT/maven.log)" >&2; exit 1; }
  note "image: revops-bridge:$TAG -> $image_tar ($(stat -c %s "$image_tar") bytes), commit $commit"
}

if [ -n "$BASE_IMAGE" ]; then
  build_image "$BASE_IMAGE"
else
  build_base
  build_image "tar://$BASE_TAR"
fi
