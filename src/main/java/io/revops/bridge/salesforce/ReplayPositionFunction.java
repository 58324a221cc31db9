package io.revops.bridge.salesforce;

import java.util.function.BooleanSupplier;

import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{sf-replay:<route-id>}}} in an inbound route's URI: where the subscription resumes. From the
 * checkpoint when there is one; from the oldest retained event on the very first start. Never LATEST, which
 * would silently skip whatever changed while the runtime was down. While the database is not there yet (the
 * runtime started without it) there is no position to read: the route is built with a replay id no Salesforce
 * accepts, is not started (policy.LeaderOnly waits for the schema) and is loaded again from its file once the
 * database answers, with the checkpoint.
 */
public class ReplayPositionFunction implements PropertiesFunction {
    static final String NO_POSITION_YET = "replayPreset=CUSTOM&pubSubReplayId=RAW(database-not-ready)";

    private final ReplayCheckpoints checkpoints;
    private final BooleanSupplier databaseReady;

    public ReplayPositionFunction(ReplayCheckpoints checkpoints, BooleanSupplier databaseReady) {
        this.checkpoints = checkpoints;
        this.databaseReady = databaseReady;
    }

    @Override
    public String getName() {
        return "sf-replay";
    }

    @Override
    public String apply(String subscription) {
        if (!databaseReady.getAsBoolean()) {
            return NO_POSITION_YET;
        }
        return checkpoints.find(subscription)
                .map(replayId -> "replayPreset=CUSTOM&pubSubReplayId=RAW(" + replayId + ")")
                .orElse("replayPreset=EARLIEST");
    }
}
