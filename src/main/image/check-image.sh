#!/usr/bin/env bash
# Runs the image tarball the way Kubernetes would and checks it (ContainerImageIT): podman (Debian) as root with runc,
# explicit ulimits, in a network namespace of its own where PostgreSQL, Kafka and the emulators listen on 127.0.0.1;
# the host's ports are never touched. Needs root; installs podman, runc, postgresql, iproute2 if missing.
#
#   src/main/image/check-image.sh IMAGE_TAR
set -euo pipefail
IMAGE_TAR="$(realpath "$1")"
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
WORK="$PROJECT/target/container-image"
NS="revops-image-$$"
PG="$(mktemp -d /tmp/revops-image-pg.XXXXXX)" # where the postgres user can reach it, whatever the clone's path
# podman refuses a runroot longer than 50 characters: target/ of a clone at /check/work/main was exactly 50
RUNROOT="$(mktemp -d /tmp/revops-podman.XXXXXX)"
PG_PORT=45432
[ "$(id -u)" = 0 ] || { echo "run as root (podman as root, ip netns)" >&2; exit 1; }

need=()
for p in podman runc postgresql iproute2; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # policy-rc.d keeps the postgresql package from starting its own cluster service (as .ci/tryton.sh does)
  ours=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; ours=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ "$ours" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

cleanup() {
  set +e
  [ -f "$PG/data/postmaster.pid" ] && su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$PG/data' -m fast -w stop" >/dev/null 2>&1
  ip netns del "$NS" 2>/dev/null
  rm -rf "$PG"
  podman --root "$WORK/podman/root" --runroot "$RUNROOT" --runtime runc rmi -a -f >/dev/null 2>&1
  rm -rf "$RUNROOT"
}
trap cleanup EXIT

mkdir -p "$WORK"
ip netns add "$NS"
ip -n "$NS" link set lo up
mkdir -p "$PG/sock"; chmod 755 "$PG"; chown -R postgres:postgres "$PG"
su postgres -s /bin/sh -c "$PGBIN/initdb -D '$PG/data' -U postgres --auth=trust -E UTF8" > "$PG/initdb.log" 2>&1
ip netns exec "$NS" su postgres -s /bin/sh -c \
  "$PGBIN/pg_ctl -D '$PG/data' -l '$PG/server.log' -w -o \"-p $PG_PORT -k $PG/sock -c listen_addresses=127.0.0.1\" start" >/dev/null
ip netns exec "$NS" "$PGBIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres \
  -c "CREATE ROLE revops LOGIN PASSWORD 'revops'" -c "CREATE DATABASE revops OWNER revops"

# the Kafka broker's jars are resolved from Maven before entering the namespace (it has no route to Maven Central)
cd "$PROJECT"
[ -f target/kafka-broker/lib/.complete ] || \
  { ./mvnw -q -B -f src/sandbox/kafka-broker/pom.xml package >/dev/null && touch target/kafka-broker/lib/.complete; }
# nsenter, not `ip netns exec`: that one also remounts /sys, and podman then finds no cgroups; the test's podman runs
# its containers with --network host, i.e. in this same namespace
nsenter --net="/run/netns/$NS" -- ./mvnw -o -B -ntp test-compile failsafe:integration-test failsafe:verify -Pconformance \
  -Dit.test=ContainerImageIT -Dquarkus.package.skip=true \
  -Drevops.image.tar="$IMAGE_TAR" -Drevops.image.podman-runroot="$RUNROOT" \
  -Drevops.db.url="jdbc:postgresql://127.0.0.1:$PG_PORT/revops" -Drevops.db.user=revops -Drevops.db.password=revops
