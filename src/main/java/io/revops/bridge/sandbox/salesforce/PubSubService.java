package io.revops.bridge.sandbox.salesforce;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
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
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The Salesforce Pub/Sub API (pubsub_api.proto) over the emulated event bus. Subscribe is a bidirectional stream
 * with client-driven flow control: the first FetchRequest chooses where to start (LATEST, EARLIEST or CUSTOM
 * replay id; later requests only top up num_requested), the server never sends more events than requested, and
 * every FetchResponse carries the latest replay id and the number still pending. A replay id outside the retention
 * window is refused with Salesforce's error code, as is a call without a valid access token.
 */
final class PubSubService extends PubSubGrpc.PubSubImplBase {
    static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    static final String REPLAY_ID_CORRUPTED = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER);

    private final EventBus bus;

    PubSubService(EventBus bus) {
        this.bus = bus;
    }

    /** Refuses calls whose accesstoken header is not a token the org issued. */
    static ServerInterceptor authentication(Predicate<String> validToken) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String token = headers.get(ACCESS_TOKEN);
                if (token == null || !validToken.test(token)) {
                    Metadata trailers = new Metadata();
                    trailers.put(ERROR_CODE, AUTH_ERROR);
                    call.close(Status.UNAUTHENTICATED.withDescription("Invalid or expired access token"), trailers);
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
        var schemaId = bus.schemaIdOf(topic);
        if (schemaId.isEmpty()) {
            response.onError(Status.NOT_FOUND.withDescription("Topic not found: " + topic).asRuntimeException());
            return;
        }
        response.onNext(TopicInfo.newBuilder().setTopicName(topic).setTenantGuid(SalesforceEmulator.ORG_ID)
                .setCanPublish(topic.startsWith("/event/")).setCanSubscribe(true).setSchemaId(schemaId.get())
                .setRpcId(rpcId()).build());
        response.onCompleted();
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> response) {
        var schema = bus.schema(request.getSchemaId());
        if (schema.isEmpty()) {
            response.onError(Status.NOT_FOUND.withDescription("Schema not found: " + request.getSchemaId()).asRuntimeException());
            return;
        }
        response.onNext(SchemaInfo.newBuilder().setSchemaId(request.getSchemaId()).setSchemaJson(schema.get().toString())
                .setRpcId(rpcId()).build());
        response.onCompleted();
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
        String topic = request.getTopicName();
        if (!topic.startsWith("/event/") || !bus.exists(topic)) {
            response.onError(Status.PERMISSION_DENIED.withDescription("Publish is not allowed on " + topic).asRuntimeException());
            return;
        }
        PublishResponse.Builder results = PublishResponse.newBuilder().setRpcId(rpcId())
                .setSchemaId(bus.schemaIdOf(topic).orElseThrow());
        for (ProducerEvent event : request.getEventsList()) {
            String eventId = event.getId().isEmpty() ? UUID.randomUUID().toString() : event.getId();
            long replayId = bus.publish(topic, event.getSchemaId(), event.getPayload().toByteArray(), eventId);
            results.addResults(PublishResult.newBuilder().setReplayId(replay(replayId)).setCorrelationKey(eventId));
        }
        response.onNext(results.build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> response) {
        return new Subscription((ServerCallStreamObserver<FetchResponse>) response);
    }

    /** One Subscribe stream: its cursor, its outstanding num_requested, and delivery under one lock. */
    private final class Subscription implements StreamObserver<FetchRequest>, EventBus.Subscriber {
        private final ServerCallStreamObserver<FetchResponse> stream;
        private final String rpcId = rpcId();
        private String topic;
        private long cursor;
        private int pending;
        private boolean closed;

        Subscription(ServerCallStreamObserver<FetchResponse> stream) {
            this.stream = stream;
            stream.setOnCancelHandler(this::close);
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
                pending += request.getNumRequested();
            }
            eventsAvailable();
        }

        /** The first request decides the topic and where to start; top-ups' replay preset is ignored. */
        private boolean start(FetchRequest request) {
            String requested = request.getTopicName();
            if (!bus.exists(requested)) {
                fail(Status.NOT_FOUND.withDescription("Topic not found: " + requested), null);
                return false;
            }
            if (request.getReplayPreset() == ReplayPreset.CUSTOM) {
                long replayId = replayId(request.getReplayId());
                if (!bus.retained(requested, replayId)) {
                    fail(Status.INVALID_ARGUMENT.withDescription("The Replay ID validation failed: " + replayId
                            + " is not within the retention window"), REPLAY_ID_CORRUPTED);
                    return false;
                }
                cursor = replayId;
            } else {
                cursor = request.getReplayPreset() == ReplayPreset.EARLIEST ? 0 : bus.latest(requested);
            }
            topic = requested;
            bus.subscribe(topic, this);
            return true;
        }

        @Override
        public void eventsAvailable() {
            synchronized (this) {
                while (!closed && pending > 0) {
                    List<EventBus.StoredEvent> batch = bus.after(topic, cursor, Math.min(pending, 100));
                    if (batch.isEmpty()) {
                        return;
                    }
                    FetchResponse.Builder response = FetchResponse.newBuilder().setRpcId(rpcId);
                    batch.forEach(event -> response.addEvents(consumerEvent(event)));
                    cursor = batch.get(batch.size() - 1).replayId();
                    pending -= batch.size();
                    stream.onNext(response.setLatestReplayId(replay(cursor)).setPendingNumRequested(pending).build());
                }
            }
        }

        /** Sends an event again, as Salesforce may after a reconnect (at-least-once delivery). */
        synchronized void redeliver(EventBus.StoredEvent event) {
            if (!closed) {
                pending = Math.max(0, pending - 1);
                stream.onNext(FetchResponse.newBuilder().setRpcId(rpcId).addEvents(consumerEvent(event))
                        .setLatestReplayId(replay(cursor)).setPendingNumRequested(pending).build());
            }
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void onCompleted() {
            synchronized (this) {
                if (!closed) {
                    stream.onCompleted();
                }
            }
            close();
        }

        private void fail(Status status, String errorCode) {
            Metadata trailers = new Metadata();
            if (errorCode != null) {
                trailers.put(ERROR_CODE, errorCode);
            }
            closed = true;
            stream.onError(status.asRuntimeException(trailers));
        }

        private synchronized void close() {
            closed = true;
            if (topic != null) {
                bus.unsubscribe(topic, this);
            }
        }
    }

    void redeliver(String topic, long replayId) {
        EventBus.StoredEvent event = bus.find(topic, replayId)
                .orElseThrow(() -> new IllegalArgumentException("no event " + replayId + " on " + topic));
        bus.subscribers(topic).forEach(s -> ((Subscription) s).redeliver(event));
    }

    private static ConsumerEvent consumerEvent(EventBus.StoredEvent event) {
        return ConsumerEvent.newBuilder().setReplayId(replay(event.replayId()))
                .setEvent(ProducerEvent.newBuilder().setId(event.eventId()).setSchemaId(event.schemaId())
                        .setPayload(ByteString.copyFrom(event.payload())))
                .build();
    }

    static ByteString replay(long replayId) {
        return ByteString.copyFrom(EventBus.StoredEvent.replayBytes(replayId));
    }

    private static long replayId(ByteString bytes) {
        return bytes.size() == Long.BYTES ? ByteBuffer.wrap(bytes.toByteArray()).getLong() : -1;
    }

    private static String rpcId() {
        return UUID.randomUUID().toString();
    }
}
