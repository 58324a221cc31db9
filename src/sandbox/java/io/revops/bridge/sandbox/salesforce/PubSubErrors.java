package io.revops.bridge.sandbox.salesforce;

import java.util.UUID;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Errors as the Pub/Sub API raises them: a gRPC status whose description ends with "rpcId: <id>", and trailers
 * carrying the same id (rpc-id) and, where Salesforce documents one, its error code (error-code). The RPC id is
 * the one of the call (the rpc_id of its responses), so a client can quote it.
 */
final class PubSubErrors {
    static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    static final String REPLAY_ID_CORRUPTED = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    static final String REPLAY_ID_VALIDATION_FAILED =
            "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed";
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RPC_ID = Metadata.Key.of("rpc-id", Metadata.ASCII_STRING_MARSHALLER);

    private PubSubErrors() {
    }

    static String newRpcId() {
        return UUID.randomUUID().toString();
    }

    /** {@code errorCode} may be null where Salesforce documents none for the case. */
    static StatusRuntimeException error(Status status, String message, String errorCode, String rpcId) {
        return status.withDescription(message + " rpcId: " + rpcId).asRuntimeException(trailers(errorCode, rpcId));
    }

    static Metadata trailers(String errorCode, String rpcId) {
        Metadata trailers = new Metadata();
        trailers.put(RPC_ID, rpcId);
        if (errorCode != null) {
            trailers.put(ERROR_CODE, errorCode);
        }
        return trailers;
    }

    static StatusRuntimeException topicNotFound(String topic, String rpcId) {
        return error(Status.NOT_FOUND, "The topic information for org CORE/prod/" + SalesforceEmulator.ORG_ID
                + " and topic " + topic + " not found. Ensure the topic name is correct and that the topic exists.",
                null, rpcId);
    }
}
