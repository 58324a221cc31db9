package io.revops.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

class SyncLatencyTest {
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SyncLatency latency = new SyncLatency(meters);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void anEventAppliedHoursAfterItsCommitLandsInABucketNotInInfinity() {
        latency.applied(exchange(), Instant.now().minus(Duration.ofHours(3)).toString());

        // what Prometheus scrapes: cumulative buckets; before, every bucket below +Inf (30 s at most) said 0
        List<String> finiteBucketsHoldingIt = meters.scrape().lines()
                .filter(line -> line.startsWith("revops_sync_latency_seconds_bucket{") && !line.contains("le=\"+Inf\""))
                .filter(line -> line.endsWith(" 1.0")).toList();
        assertThat(finiteBucketsHoldingIt).as("finite buckets of at most a day count it").isNotEmpty()
                .allSatisfy(line -> assertThat(Double.parseDouble(line.replaceAll(".*le=\"([^\"]+)\".*", "$1")))
                        .isBetween(3 * 3600.0, 24 * 3600.0));
    }

    @Test
    void thePartsARouteSplitsAnEventIntoAreNotCountedAgain() {
        String committed = Instant.now().minusMillis(20).toString();
        latency.applied(exchange(), committed);
        Exchange part = exchange();
        part.setProperty(ExchangePropertyKey.SPLIT_INDEX, 0);
        latency.applied(part, committed);

        assertThat(meters.get("revops.sync.latency").timer().count()).isEqualTo(1);
    }

    private Exchange exchange() {
        DefaultExchange exchange = new DefaultExchange(camel);
        exchange.getExchangeExtension().setFromRouteId("erp-account-sync");
        return exchange;
    }
}
