#!/usr/bin/env bash
# Real Kill Bill 0.22.26 (Maven Central war) in jetty-runner 9.4, H2, on 127.0.0.1:8080.  usage: killbill.sh start|stop
# Idempotent: a running Kill Bill is reused. Dirs under $REVOPS_CI_DIR (default /tmp/revops-ci).
set -euo pipefail
cd "$(dirname "$0")/.."
D="${REVOPS_CI_DIR:-/tmp/revops-ci}/killbill"
PORT="${KILLBILL_PORT:-8080}"
JETTY=9.4.58.v20250814
KB=0.22.26
healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/1.0/healthcheck")" = 200 ]; }

case "${1:-}" in
  start)
    if healthy; then echo "Kill Bill already up on :$PORT"; exit 0; fi
    t0=$(date +%s)
    mkdir -p "$D/lib" "$D/h2" "$D/bundles"
    # dependency plugin 2.8: newer ones refuse the war because its parent POM is not published
    for artifact in "org.eclipse.jetty:jetty-runner:$JETTY" "org.kill-bill.billing:killbill-profiles-killbill:$KB:war"; do
      ./mvnw -q -B -ntp org.apache.maven.plugins:maven-dependency-plugin:2.8:copy -Dartifact="$artifact" -DoutputDirectory="$D/lib"
    done
    cat > "$D/kb.properties" <<P
org.killbill.dao.url=jdbc:h2:file:$D/h2/killbill;MODE=MYSQL;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE
org.killbill.dao.user=killbill
org.killbill.dao.password=killbill
org.killbill.dao.logLevel=DEBUG
org.killbill.billing.osgi.dao.url=jdbc:h2:file:$D/h2/killbill;MODE=MYSQL;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE
org.killbill.billing.osgi.dao.user=killbill
org.killbill.billing.osgi.dao.password=killbill
org.killbill.osgi.bundle.install.dir=$D/bundles
org.killbill.server.test.mode=true
org.killbill.server.multitenant=true
org.killbill.notificationq.main.sleep=100
org.killbill.persistent.bus.main.sleep=100
org.killbill.tenant.broadcast.rate=1s
P
    OPENS="--add-opens java.sql/java.sql=ALL-UNNAMED"
    for p in java.lang java.util java.lang.reflect java.lang.invoke java.io java.net java.nio java.text java.security \
             java.util.concurrent sun.nio.ch jdk.internal.misc sun.net.www sun.net.www.protocol.jar sun.net.www.protocol.file \
             sun.net.www.protocol.http sun.net.www.protocol.https sun.net.www.protocol.ftp sun.net.www.protocol.jrt \
             sun.net.www.protocol.mailto; do OPENS="$OPENS --add-opens java.base/$p=ALL-UNNAMED"; done
    # shellcheck disable=SC2086
    nohup java -Xmx768m $OPENS -Djava.security.egd=file:/dev/./urandom \
      -Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.StdErrLog \
      -Dorg.killbill.server.properties="file://$D/kb.properties" \
      -jar "$D/lib/jetty-runner-$JETTY.jar" --host 127.0.0.1 --port "$PORT" --path / \
      "$D/lib/killbill-profiles-killbill-$KB.war" > "$D/kb.log" 2>&1 &
    echo $! > "$D/kb.pid"
    for _ in $(seq 1 600); do
      if healthy; then
        if grep -qE 'Failed startup|failed to invoke' "$D/kb.log"; then grep -E -A5 'Failed startup|failed to invoke' "$D/kb.log" | head -40; exit 1; fi
        echo "Kill Bill $KB up on :$PORT in $(( $(date +%s) - t0 ))s (log $D/kb.log)"; exit 0
      fi
      kill -0 "$(cat "$D/kb.pid")" 2>/dev/null || { tail -50 "$D/kb.log"; exit 1; }
      sleep 0.5
    done
    echo "Kill Bill did not become healthy"; tail -50 "$D/kb.log"; exit 1 ;;
  stop)
    if [ -f "$D/kb.pid" ]; then kill "$(cat "$D/kb.pid")" 2>/dev/null || true; rm -f "$D/kb.pid"; fi ;;
  *) echo "usage: $0 start|stop"; exit 2 ;;
esac
