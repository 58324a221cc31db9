package io.revops.bridge.salesforce;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.apache.camel.component.salesforce.SalesforceLoginConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.eclipse.jetty.client.ContentResponse;

/**
 * The runtime's Salesforce session (installed by LoginOnRouteStart): camel-salesforce's own, with two changes that
 * keep the runtime logging in again after every expiry.
 *
 * 1. A login does not hold the session's lock while it waits for the token response. camel-salesforce (4.17) does:
 * a Pub/Sub auth error re-logs in through login(), which locks the session and sends the token request. A REST 401
 * re-logs in inside the HTTP client: a Jetty thread reads that token response and calls parseLoginResponse, which
 * takes the same lock. Jetty hands a connection back to its pool before it tells the listener the response is
 * complete, so the Pub/Sub token request can go out on the very connection that Jetty thread is still serving; its
 * response is then only read once that thread returns, which waits for the lock the Pub/Sub thread holds until its
 * response arrives: both wait until the token request times out (60 s), and the REST call and the subscription with
 * them, again at the next expiry (ReloginSessionTest shows the wait on camel-salesforce's own session). Here logins
 * are serialized by a lock of their own that no HTTP client thread ever takes, and the session's lock is held only
 * while the response is applied (parseLoginResponse), never across a request.
 *
 * 2. Starting the session does not log in (the routes do, see LoginOnRouteStart), yet it is started: camel-salesforce's
 * Pub/Sub client answers an auth error with attemptLoginUntilSuccessful, which does nothing on a session that was
 * never started, so the subscription would resubscribe with the expired token forever.
 *
 * The expired token is not revoked before a new login (camel-salesforce does): it is dead already, and revoking a token
 * the REST clients may still hold only sends them into a 401 and a login of their own.
 */
final class ReloginSession extends SalesforceSession {
    private final ReentrantLock loginLock = new ReentrantLock();

    ReloginSession(CamelContext context, SalesforceHttpClient httpClient, SalesforceLoginConfig config) {
        super(context, httpClient, httpClient.getTimeout(), config);
    }

    /** Logs in unless another login replaced {@code oldToken} meanwhile (then that session is the answer). */
    @Override
    public String login(String oldToken) throws SalesforceException {
        loginLock.lock();
        try {
            String current = getAccessToken();
            if (current != null && !current.equals(oldToken)) {
                return current;
            }
            ContentResponse response = getLoginRequest(null).send();
            parseLoginResponse(response, response.getContentAsString());
            return getAccessToken();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException("Login error: interrupted", e);
        } catch (TimeoutException e) {
            throw new SalesforceException("Login request timeout: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new SalesforceException("Unexpected login error: " + e.getCause().getMessage(), e.getCause());
        } finally {
            loginLock.unlock();
        }
    }

    @Override
    public void doStart() {
        // no login here: each route logs in when it starts (LoginOnRouteStart)
    }
}
