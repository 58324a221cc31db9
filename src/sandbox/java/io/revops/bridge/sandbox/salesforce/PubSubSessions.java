package io.revops.bridge.sandbox.salesforce;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Pub/Sub API calls stay bound to the session of their accesstoken header ({@link PubSubService#authentication}
 * refuses a call that starts without one): a Subscribe stream whose session expires or is revoked ends with the auth
 * error at its next response, so the client logs in again and resubscribes from its last replay id.
 */
final class PubSubSessions implements ServerInterceptor {
    private static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER);

    private final Sessions sessions;

    PubSubSessions(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SessionBoundCall<Q, R> bound = new SessionBoundCall<>(call, headers.get(ACCESS_TOKEN));
        ServerCall.Listener<Q> listener = next.startCall(bound, headers);
        bound.listener = listener;
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                if (!bound.expired) {
                    super.onComplete();
                }
            }
        };
    }

    /** Checks the session before every response; on expiry closes with the auth error and cancels the service side. */
    private final class SessionBoundCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final String token;
        private volatile ServerCall.Listener<Q> listener;
        private volatile boolean expired;

        SessionBoundCall(ServerCall<Q, R> call, String token) {
            super(call);
            this.token = token;
        }

        @Override
        public void sendMessage(R message) {
            boolean endNow;
            synchronized (this) {
                if (expired) {
                    return;
                }
                endNow = !sessions.valid(token);
                if (endNow) {
                    expired = true;
                    String rpcId = PubSubErrors.newRpcId();
                    super.close(Status.UNAUTHENTICATED.withDescription("Invalid or expired access token rpcId: " + rpcId),
                            PubSubErrors.trailers(PubSubErrors.AUTH_ERROR, rpcId));
                } else {
                    super.sendMessage(message);
                }
            }
            if (endNow && listener != null) {
                listener.onCancel(); // the service stops delivering, as when a client goes away
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!expired) {
                super.close(status, trailers);
            }
        }
    }
}
