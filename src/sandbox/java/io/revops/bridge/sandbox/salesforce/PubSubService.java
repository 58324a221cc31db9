package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.Error;
import com.salesforce.eventbus.protobuf.ErrorCode;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.PublishResult;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The Salesforce Pub/Sub API (pubsub_api.proto) over the emulated event bus: GetTopic, GetSchema, Publish,
 * PublishStream, Subscribe and (see {@link ManagedSubscribe}) ManagedSubscribe. Subscribe is a bidirectional
 * stream with client-driven flow control: the first FetchRequest chooses where to start (LATEST, EARLIEST or CUSTOM
 * replay id; later requests only top up num_requested). Errors carry the call's rpc id and Salesforce's error code
 * ({@link PubSubErrors}); a call without a valid access token, or with another org's tenant id, is refused.
 */
final class PubSubService extends PubSubGrpc.PubSubImplBase {
    private static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER);
    /** How long a quiet subscription waits for a keepalive; Salesforce: within 270 seconds. */
    static final Duration SALESFORCE_KEEPALIVE = Duration.ofSeconds(270);

    private final EventBus bus;
    private final ManagedSubscribe managed;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pubsub-keepalive");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Duration keepalive = SALESFORCE_KEEPALIVE;

    PubSubService(EventBus bus) {
        this.bus = bus;
        this.managed = new ManagedSubscribe(bus, this);
    }

    void setKeepalive(Duration keepalive) {
        this.keepalive = keepalive;
    }

    Duration keepalive() {
        return keepalive;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ManagedSubscribe managed() {
        return managed;
    }

    /** The PubSub service with every RPC of Salesforce's proto, ManagedSubscribe included. */
    ServerServiceDefinition definition() {
        ServerServiceDefinition generated = bindService();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(PubSubGrpc.SERVICE_NAME);
        generated.getMethods().forEach(service::addMethod);
        return service.addMethod(managed.method()).build();
    }

    /** Refuses calls whose accesstoken is not a token the org issued or whose tenantid is not the org's id. */
    static ServerInterceptor authentication(Predicate<String> validToken) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String token = headers.get(ACCESS_TOKEN);
                String tenant = headers.get(TENANT_ID);
                // an org id in its 15-character (case-sensitive) or 18-character form
                boolean sameOrg = SalesforceEmulator.ORG_ID.equals(tenant) || SalesforceEmulator.ORG_ID.substring(0, 15).equals(tenant);
                if (token == null || !validToken.test(token) || !sameOrg) {
                    String rpcId = PubSubErrors.newRpcId();
                    call.close(Status.UNAUTHENTICATED.withDescription((sameOrg ? "Invalid or expired access token"
                            : "The tenant id does not match the org of the access token") + " rpcId: " + rpcId),
                            PubSubErrors.trailers(PubSubErrors.AUTH_ERROR, rpcId));
                    return new ServerCall.Listener<>() {
                    };
                }
                return Contexts.interceptCall(Context.current(), call, headers, next);
            }
        };
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> response) {
        String topic = request.getTopicName();
        String rpcId = PubSubErrors.newRpcId();
        if (!bus.exists(topic)) {
            response.onError(PubSubErrors.topicNotFound(topic, rpcId));
            return;
        }
        // /data/ChangeEvents has no schema of its own: each event names its object's schema id
        response.onNext(TopicInfo.newBuilder().setTopicName(topic).setTenantGuid(SalesforceEmulator.ORG_ID)
                .setCanPublish(publishable(topic)).setCanSubscribe(true).setSchemaId(bus.schemaIdOf(topic).orElse(""))
                .setRpcId(rpcId).build());
        response.onCompleted();
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> response) {
        String rpcId = PubSubErrors.newRpcId();
        if (request.getSchemaId().isBlank()) {
            response.onError(PubSubErrors.error(Status.INVALID_ARGUMENT,
                    "Schema validation failed. The schema ID can't be blank.", null, rpcId));
            return;
        }
        var schema = bus.schema(request.getSchemaId());
        if (schema.isEmpty()) {
            response.onError(PubSubErrors.error(Status.NOT_FOUND, "Schema not found: " + request.getSchemaId(), null, rpcId));
            return;
        }
        response.onNext(SchemaInfo.newBuilder().setSchemaId(request.getSchemaId()).setSchemaJson(schema.get().toString())
                .setRpcId(rpcId).build());
        response.onCompleted();
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
        try {
            response.onNext(publish(request, request.getTopicName(), PubSubErrors.newRpcId()));
            response.onCompleted();
        } catch (StatusRuntimeException e) {
            response.onError(e);
        }
    }

    /**
     * PublishStream: the first request names the topic, later ones may omit it but not change it; every request is
     * answered by one PublishResponse with a result per event, in order, under the stream's rpc id.
     */
    @Override
    public StreamObserver<PublishRequest> publishStream(StreamObserver<PublishResponse> response) {
        String rpcId = PubSubErrors.newRpcId();
        return new StreamObserver<>() {
            private String topic;
            private boolean failed;

            @Override
            public synchronized void onNext(PublishRequest request) {
                if (failed) {
                    return;
                }
                String named = request.getTopicName();
                try {
                    if (topic != null && !named.isEmpty() && !named.equals(topic)) {
                        throw PubSubErrors.error(Status.INVALID_ARGUMENT, "The topic name " + named
                                + " doesn't match the topic of this stream, " + topic + ".", null, rpcId);
                    }
                    String target = topic != null ? topic : named;
                    response.onNext(publish(request, target, rpcId));
                    topic = target;
                } catch (StatusRuntimeException e) {
                    failed = true;
                    response.onError(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                failed = true;
            }

            @Override
            public synchronized void onCompleted() {
                if (!failed) {
                    response.onCompleted();
                }
            }
        };
    }

    /** One batch: a topic-level refusal throws; an event that does not fit the topic's schema gets its own error. */
    private PublishResponse publish(PublishRequest request, String topic, String rpcId) {
        if (!bus.exists(topic)) {
            throw PubSubErrors.topicNotFound(topic, rpcId);
        }
        if (!publishable(topic)) {
            throw PubSubErrors.error(Status.PERMISSION_DENIED, "Publishing isn't allowed on the topic " + topic + ".",
                    null, rpcId);
        }
        String schemaId = bus.schemaIdOf(topic).orElseThrow();
        PublishResponse.Builder results = PublishResponse.newBuilder().setRpcId(rpcId).setSchemaId(schemaId);
        for (ProducerEvent event : request.getEventsList()) {
            // the correlation key ties a result to its event: the event's id, generated when the client sent none
            String eventId = event.getId().isEmpty() ? UUID.randomUUID().toString() : event.getId();
            PublishResult.Builder result = PublishResult.newBuilder().setCorrelationKey(eventId);
            String refusal = refusal(event, topic, schemaId);
            if (refusal == null) {
                result.setReplayId(replay(bus.publish(topic, schemaId, event.getPayload().toByteArray(), eventId)));
            } else {
                result.setError(Error.newBuilder().setCode(ErrorCode.PUBLISH).setMsg(refusal));
            }
            results.addResults(result);
        }
        return results.build();
    }

    private String refusal(ProducerEvent event, String topic, String schemaId) {
        if (!event.getSchemaId().equals(schemaId)) {
            return "The schema ID " + event.getSchemaId() + " doesn't match the schema ID " + schemaId + " of the topic "
                    + topic + ".";
        }
        try {
            var decoder = DecoderFactory.get().binaryDecoder(event.getPayload().toByteArray(), null);
            new GenericDatumReader<GenericRecord>(bus.schema(schemaId).orElseThrow()).read(null, decoder);
            return decoder.isEnd() ? null : "The event payload has bytes beyond its schema.";
        } catch (IOException | RuntimeException e) {
            return "The event payload can't be deserialized with the schema " + schemaId + ": " + e.getMessage();
        }
    }

    private static boolean publishable(String topic) {
        return topic.startsWith("/event/");
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> response) {
        return new Subscription((ServerCallStreamObserver<FetchResponse>) response);
    }

    /** One Subscribe stream. */
    private final class Subscription extends Delivery<FetchResponse> implements StreamObserver<FetchRequest> {
        Subscription(ServerCallStreamObserver<FetchResponse> stream) {
            super(stream, bus, keepalive);
        }

        @Override
        public void onNext(FetchRequest request) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (topic == null && !start(request)) {
                    return;
                }
                if (!request.getTopicName().isEmpty() && !request.getTopicName().equals(topic)) {
                    fail(PubSubErrors.error(Status.INVALID_ARGUMENT, "The topic name " + request.getTopicName()
                            + " doesn't match the topic of this subscription, " + topic + ".", null, rpcId));
                    return;
                }
                request(request.getNumRequested());
            }
            eventsAvailable();
        }

        /** The first request decides the topic and where to start; top-ups' replay preset is ignored. */
        private boolean start(FetchRequest request) {
            String requested = request.getTopicName();
            if (!bus.exists(requested)) {
                fail(PubSubErrors.topicNotFound(requested, rpcId));
                return false;
            }
            long start;
            if (request.getReplayPreset() == ReplayPreset.CUSTOM) {
                if (request.getReplayId().isEmpty()) {
                    fail(PubSubErrors.error(Status.INVALID_ARGUMENT, "The replay_preset field in FetchRequest is set to "
                            + "ReplayPreset.CUSTOM, but no Replay ID value is set.", PubSubErrors.REPLAY_ID_VALIDATION_FAILED,
                            rpcId));
                    return false;
                }
                start = replayId(request.getReplayId());
                if (!bus.retained(requested, start)) {
                    fail(PubSubErrors.error(Status.INVALID_ARGUMENT, "The Replay ID validation failed: " + start
                            + " is not within the retention window.", PubSubErrors.REPLAY_ID_CORRUPTED, rpcId));
                    return false;
                }
            } else {
                start = request.getReplayPreset() == ReplayPreset.EARLIEST ? 0 : bus.latest(requested);
            }
            start(requested, start, scheduler);
            return true;
        }

        @Override
        protected void send(List<EventBus.StoredEvent> events, long latestReplayId, int pendingNumRequested) {
            FetchResponse.Builder response = FetchResponse.newBuilder().setRpcId(rpcId);
            events.forEach(event -> response.addEvents(consumerEvent(event)));
            stream.onNext(response.setLatestReplayId(replay(latestReplayId)).setPendingNumRequested(pendingNumRequested)
                    .build());
        }
    }

    void redeliver(String topic, long replayId) {
        EventBus.StoredEvent event = bus.find(topic, replayId)
                .orElseThrow(() -> new IllegalArgumentException("no event " + replayId + " on " + topic));
        bus.subscribers(topic).forEach(s -> ((Delivery<?>) s).redeliver(event));
    }

    static ConsumerEvent consumerEvent(EventBus.StoredEvent event) {
        return ConsumerEvent.newBuilder().setReplayId(replay(event.replayId()))
                .setEvent(ProducerEvent.newBuilder().setId(event.eventId()).setSchemaId(event.schemaId())
                        .setPayload(ByteString.copyFrom(event.payload())))
                .build();
    }

    static ByteString replay(long replayId) {
        return ByteString.copyFrom(EventBus.StoredEvent.replayBytes(replayId));
    }

    /** The replay id of 8 big-endian bytes, or -1 for anything else (never retained: refused as corrupted). */
    static long replayId(ByteString bytes) {
        return bytes.size() == Long.BYTES ? ByteBuffer.wrap(bytes.toByteArray()).getLong() : -1;
    }
}
