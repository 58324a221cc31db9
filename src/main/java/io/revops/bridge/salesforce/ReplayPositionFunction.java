package io.revops.bridge.salesforce;

import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{sf-replay:<route-id>}}} in an inbound route's URI: where the subscription resumes. From the
 * checkpoint when there is one; from the oldest retained event on the very first start. Never LATEST, which
 * would silently skip whatever changed while the runtime was down.
 */
public class ReplayPositionFunction implements PropertiesFunction {
    private final ReplayCheckpoints checkpoints;

    public ReplayPositionFunction(ReplayCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public String getName() {
        return "sf-replay";
    }

    @Override
    public String apply(String subscription) {
        return checkpoints.find(subscription)
                .map(replayId -> "replayPreset=CUSTOM&pubSubReplayId=RAW(" + replayId + ")")
                .orElse("replayPreset=EARLIEST");
    }
}
