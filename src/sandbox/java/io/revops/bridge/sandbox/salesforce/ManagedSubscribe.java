package io.revops.bridge.sandbox.salesforce;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.Error;
import com.salesforce.eventbus.protobuf.PubSubGrpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * ManagedSubscribe of Salesforce's pubsub_api.proto: a subscription the server keeps (a ManagedEventSubscription
 * record, which a real org gets from the Tooling or Metadata API and the sandbox from {@link #define}), found by its
 * id or developer name in the first ManagedFetchRequest. The server resumes it after the replay id last committed
 * with a CommitReplayRequest (or at its default replay, LATEST or EARLIEST, before any commit), delivers with the
 * same flow control and keepalive as Subscribe, and answers each commit with a CommitReplayResponse. camel-salesforce
 * 4.17 ships stubs generated before ManagedSubscribe existed, so its messages are encoded here by field number.
 */
final class ManagedSubscribe {
    /** A ManagedEventSubscription: what a Tooling API record of that type defines. */
    record Definition(String id, String developerName, String topic, boolean earliest, AtomicLong committed) {
    }

    /** ErrorCode.COMMIT of the current proto; camel's older stubs know only UNKNOWN and PUBLISH. */
    private static final int COMMIT_ERROR = 2;

    private final EventBus bus;
    private final PubSubService service;
    private final Map<String, Definition> byName = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    ManagedSubscribe(EventBus bus, PubSubService service) {
        this.bus = bus;
        this.service = service;
    }

    /** Defines a managed subscription of a topic; returns its id. defaultReplay is LATEST or EARLIEST. */
    String define(String developerName, String topic, String defaultReplay) {
        if (!bus.exists(topic)) {
            throw new IllegalArgumentException("no topic " + topic);
        }
        boolean earliest = switch (defaultReplay.toUpperCase(Locale.ROOT)) {
            case "EARLIEST" -> true;
            case "LATEST" -> false;
            default -> throw new IllegalArgumentException("defaultReplay must be LATEST or EARLIEST: " + defaultReplay);
        };
        String id = String.format("18x%012dAAA", sequence.incrementAndGet());
        byName.put(developerName, new Definition(id, developerName, topic, earliest, new AtomicLong(-1)));
        return id;
    }

    /** The replay id last committed for a managed subscription, or -1. */
    long committed(String developerName) {
        Definition definition = byName.get(developerName);
        return definition == null ? -1 : definition.committed().get();
    }

    ServerMethodDefinition<Request, Response> method() {
        MethodDescriptor<Request, Response> descriptor = MethodDescriptor.<Request, Response>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(PubSubGrpc.SERVICE_NAME, "ManagedSubscribe"))
                .setRequestMarshaller(new Codec<>(Request::parse)).setResponseMarshaller(new Codec<>(null)).build();
        return ServerMethodDefinition.create(descriptor, ServerCalls.asyncBidiStreamingCall(
                response -> new Stream((ServerCallStreamObserver<Response>) response)));
    }

    /** One ManagedSubscribe stream. */
    private final class Stream extends Delivery<Response> implements StreamObserver<Request> {
        private Definition definition;

        Stream(ServerCallStreamObserver<Response> stream) {
            super(stream, bus, service.keepalive());
        }

        @Override
        public void onNext(Request request) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (definition == null && !start(request)) {
                    return;
                }
                if (request.commit() != null) {
                    commit(request.commit());
                }
                request(request.numRequested());
            }
            eventsAvailable();
        }

        private boolean start(Request request) {
            definition = byName.values().stream()
                    .filter(d -> d.id().equals(request.subscriptionId()) || d.developerName().equals(request.developerName()))
                    .findFirst().orElse(null);
            if (definition == null) {
                String named = request.subscriptionId().isEmpty() ? request.developerName() : request.subscriptionId();
                fail(PubSubErrors.error(Status.NOT_FOUND, "The managed event subscription " + named
                        + " doesn't exist. Ensure that a ManagedEventSubscription with this ID or developer name exists.",
                        null, rpcId));
                return false;
            }
            long committed = definition.committed().get();
            long start = committed >= 0 ? committed : definition.earliest() ? 0 : bus.latest(definition.topic());
            start(definition.topic(), start, service.scheduler());
            return true;
        }

        private void commit(Commit commit) {
            long replayId = PubSubService.replayId(commit.replayId());
            CommitResponse.Builder answer = new CommitResponse.Builder(commit.commitRequestId(), commit.replayId());
            if (replayId < 0 || bus.find(topic, replayId).isEmpty()) {
                answer.error(Error.newBuilder().setCodeValue(COMMIT_ERROR)
                        .setMsg("The replay ID to commit isn't a replay ID of the topic " + topic + ".").build());
            } else {
                definition.committed().set(replayId);
            }
            stream.onNext(new Response(List.of(), PubSubService.replay(Math.max(cursor, 0)), rpcId, pending,
                    answer.build()));
        }

        @Override
        protected void send(List<EventBus.StoredEvent> events, long latestReplayId, int pendingNumRequested) {
            stream.onNext(new Response(events.stream().map(PubSubService::consumerEvent).toList(),
                    PubSubService.replay(latestReplayId), rpcId, pendingNumRequested, null));
        }
    }

    /** ManagedFetchRequest: subscription_id = 1, developer_name = 2, num_requested = 3, commit_replay_id_request = 5. */
    record Request(String subscriptionId, String developerName, int numRequested, Commit commit) {
        static Request parse(CodedInputStream in) throws IOException {
            String subscriptionId = "";
            String developerName = "";
            int numRequested = 0;
            Commit commit = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> subscriptionId = in.readStringRequireUtf8();
                    case 2 -> developerName = in.readStringRequireUtf8();
                    case 3 -> numRequested = in.readInt32();
                    case 5 -> commit = Commit.parse(CodedInputStream.newInstance(in.readBytes().toByteArray()));
                    default -> in.skipField(tag);
                }
            }
            return new Request(subscriptionId, developerName, numRequested, commit);
        }
    }

    /** CommitReplayRequest: commit_request_id = 1, replay_id = 2. */
    record Commit(String commitRequestId, ByteString replayId) {
        static Commit parse(CodedInputStream in) throws IOException {
            String id = "";
            ByteString replayId = ByteString.EMPTY;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> id = in.readStringRequireUtf8();
                    case 2 -> replayId = in.readBytes();
                    default -> in.skipField(tag);
                }
            }
            return new Commit(id, replayId);
        }
    }

    /** CommitReplayResponse: commit_request_id = 1, replay_id = 2, error = 3, process_time = 4 (epoch ms). */
    record CommitResponse(String commitRequestId, ByteString replayId, Error error, long processTime) {
        static final class Builder {
            private final String commitRequestId;
            private final ByteString replayId;
            private Error error;

            Builder(String commitRequestId, ByteString replayId) {
                this.commitRequestId = commitRequestId;
                this.replayId = replayId;
            }

            void error(Error error) {
                this.error = error;
            }

            CommitResponse build() {
                return new CommitResponse(commitRequestId, replayId, error, System.currentTimeMillis());
            }
        }

        byte[] toByteArray() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeString(1, commitRequestId);
            out.writeBytes(2, replayId);
            if (error != null) {
                out.writeMessage(3, error);
            }
            out.writeInt64(4, processTime);
            out.flush();
            return bytes.toByteArray();
        }
    }

    /**
     * ManagedFetchResponse: events = 1, latest_replay_id = 2, rpc_id = 3, pending_num_requested = 4,
     * commit_response = 5.
     */
    record Response(List<ConsumerEvent> events, ByteString latestReplayId, String rpcId, int pendingNumRequested,
            CommitResponse commitResponse) {
        byte[] toByteArray() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            for (ConsumerEvent event : events) {
                out.writeMessage(1, event);
            }
            out.writeBytes(2, latestReplayId);
            out.writeString(3, rpcId);
            out.writeInt32(4, pendingNumRequested);
            if (commitResponse != null) {
                out.writeByteArray(5, commitResponse.toByteArray());
            }
            out.flush();
            return bytes.toByteArray();
        }
    }

    private interface Parser<T> {
        T parse(CodedInputStream in) throws IOException;
    }

    /** gRPC marshaller of the hand-encoded messages (requests parsed, responses written). */
    private static final class Codec<T> implements MethodDescriptor.Marshaller<T> {
        private final Parser<T> parser;

        Codec(Parser<T> parser) {
            this.parser = parser;
        }

        @Override
        public InputStream stream(T value) {
            try {
                return new ByteArrayInputStream(((Response) value).toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public T parse(InputStream stream) {
            try {
                return parser.parse(CodedInputStream.newInstance(stream));
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("malformed ManagedFetchRequest").withCause(e).asRuntimeException();
            }
        }
    }
}
