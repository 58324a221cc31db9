#!/usr/bin/env bash
# Real Tryton 6.0 (Debian packages) on a private PostgreSQL 15 cluster.  usage: tryton.sh start|stop
# start: installs tryton-server + modules + postgresql (apt), runs a private cluster on 127.0.0.1:5433 with
# databases `tryton` (ERP, sale and account_invoice_defer activated, minimal accounting, deferred revenue account)
# and `revops` (the runtime's own state, user revops/revops), and starts trytond on 127.0.0.1:8000 (admin/admin).
# Idempotent: what is set up is reused; a database set up before revenue deferral gets the module on the next start.
set -euo pipefail
cd "$(dirname "$0")/.."
D="${REVOPS_CI_DIR:-/tmp/revops-ci}/tryton"
PG_PORT=5433
TRYTON_PORT=8000
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
DEFER_MODULE=/usr/lib/python3/dist-packages/trytond/modules/account_invoice_defer
as_postgres() { su postgres -s /bin/bash -c "$*"; }
rpc_up() { curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"method":"common.server.version","params":[],"id":0}' "http://127.0.0.1:$TRYTON_PORT/"; }

install() {
  if command -v trytond >/dev/null && [ -n "$PGBIN" ] && /usr/bin/python3 -c 'import proteus' 2>/dev/null \
    && [ -d "$DEFER_MODULE" ]; then return; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the packages from starting their own trytond/postgresql services
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends tryton-server tryton-modules-sale \
    tryton-modules-account-invoice-defer tryton-proteus python3-psycopg2 postgresql curl >/dev/null
  rm -f /usr/sbin/policy-rc.d
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
}

start_postgres() {
  mkdir -p "$D" && chown postgres "$D"
  if [ ! -d "$D/pg" ]; then as_postgres "$PGBIN/initdb -D $D/pg -U postgres -A trust >/dev/null"; fi
  if ! as_postgres "$PGBIN/pg_ctl -D $D/pg status" >/dev/null 2>&1; then
    as_postgres "$PGBIN/pg_ctl -D $D/pg -l $D/pg.log -w -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
  fi
  psql() { command psql -h 127.0.0.1 -p $PG_PORT -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
  [ "$(psql -c "SELECT 1 FROM pg_roles WHERE rolname='revops'")" = 1 ] || psql -c "CREATE USER revops PASSWORD 'revops'"
  [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname='revops'")" = 1 ] || psql -c "CREATE DATABASE revops OWNER revops"
  [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname='tryton'")" = 1 ] || psql -c "CREATE DATABASE tryton"
}

write_conf() {
  mkdir -p "$D"
  cat > "$D/trytond.conf" <<CONF
[database]
uri = postgresql://postgres@127.0.0.1:$PG_PORT/
language = en
[web]
listen = 127.0.0.1:$TRYTON_PORT
[session]
timeout = 3600
CONF
}

# revenue deferral (issue 14) on a database activated before it: the module, then its deferred revenue account
activate_deferral() {
  [ -f "$D/.deferral" ] && return
  trytond-admin -c "$D/trytond.conf" -d tryton -u account_invoice_defer >> "$D/admin.log" 2>&1 || { tail -30 "$D/admin.log"; exit 1; }
  /usr/bin/python3 .ci/tryton_defer.py "$D/trytond.conf" tryton 2>>"$D/admin.log" | grep -v '^$' || { tail -30 "$D/admin.log"; exit 1; }
  touch "$D/.deferral"
}

case "${1:-}" in
  start)
    if rpc_up; then
      # a trytond already up keeps running; if it started before account_invoice_defer was installed, it only
      # serves the module after a restart (tryton.sh stop && tryton.sh start)
      if [ ! -d "$DEFER_MODULE" ] || [ ! -f "$D/.deferral" ]; then install; write_conf; activate_deferral; fi
      echo "Tryton already up on :$TRYTON_PORT"; exit 0
    fi
    t0=$(date +%s)
    install
    echo "packages ready in $(( $(date +%s) - t0 ))s"
    start_postgres
    write_conf
    if [ ! -f "$D/.activated" ]; then
      t1=$(date +%s)
      echo admin > "$D/adminpass"
      TRYTONPASSFILE="$D/adminpass" trytond-admin -c "$D/trytond.conf" -d tryton --email admin@example.com \
        -u sale account_invoice_defer --activate-dependencies > "$D/admin.log" 2>&1 || { tail -30 "$D/admin.log"; exit 1; }
      /usr/bin/python3 .ci/tryton_setup.py "$D/trytond.conf" tryton 2>>"$D/admin.log" | grep -v '^$' || { tail -30 "$D/admin.log"; exit 1; }
      touch "$D/.activated"
      echo "database activated in $(( $(date +%s) - t1 ))s"
    fi
    activate_deferral
    nohup trytond -c "$D/trytond.conf" -d tryton > "$D/trytond.log" 2>&1 &
    echo $! > "$D/trytond.pid"
    for _ in $(seq 1 300); do rpc_up && break; sleep 0.2; done
    rpc_up || { tail -30 "$D/trytond.log"; exit 1; }
    echo "Tryton 6.0 up on :$TRYTON_PORT (PostgreSQL :$PG_PORT) in $(( $(date +%s) - t0 ))s"
    ;;
  stop)
    if [ -f "$D/trytond.pid" ]; then kill "$(cat "$D/trytond.pid")" 2>/dev/null || true; rm -f "$D/trytond.pid"; fi
    if [ -n "$PGBIN" ] && [ -d "$D/pg" ]; then as_postgres "$PGBIN/pg_ctl -D $D/pg -m fast stop" >/dev/null 2>&1 || true; fi
    ;;
  *) echo "usage: $0 start|stop"; exit 2 ;;
esac
