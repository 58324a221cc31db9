// Logging in to the sandbox org the ways jsforce does: SOAP login() (no connected app), the OAuth 2.0
// username-password flow, the identity URL and userinfo, a session that ends under jsforce (it logs in again and
// repeats the call), and logout/revoke.
import assert from 'node:assert/strict';

function connection(sf, withConnectedApp) {
  return new sf.jsforce.Connection({
    loginUrl: sf.loginUrl,
    oauth2: withConnectedApp ? { loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret } : undefined,
    version: sf.version,
  });
}

/** What the REST API answers a token with: 200 when it is a live session. */
async function restStatus(sf, token) {
  const response = await fetch(`${sf.loginUrl}/services/data/v${sf.version}/query?q=SELECT+Id+FROM+Account+LIMIT+1`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return response.status;
}

export const checks = {
  async 'SOAP login() gives a session id that works for REST'(sf) {
    const conn = connection(sf, false);
    const userInfo = await conn.login(sf.username, sf.password);
    assert.match(userInfo.id, /^005\w{15}$/);
    assert.match(userInfo.organizationId, /^00D\w{15}$/);
    assert.equal(new URL(conn.instanceUrl).origin, new URL(sf.loginUrl).origin);
    const result = await conn.query('SELECT Id FROM Account LIMIT 1');
    assert.equal(typeof result.totalSize, 'number');
  },

  async 'SOAP login() with a wrong password is INVALID_LOGIN'(sf) {
    const error = await sf.rejection(connection(sf, false).login(sf.username, 'not-the-password'));
    assert.equal(error.message, 'INVALID_LOGIN: Invalid username, password, security token; or user locked out.');
  },

  async 'OAuth 2.0 username-password flow answers with an identity URL of the org and user'(sf) {
    const oauth2 = new sf.jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret });
    const token = await oauth2.authenticate(sf.username, sf.password);
    assert.equal(token.token_type, 'Bearer');
    assert.match(token.id, /\/id\/00D\w{15}\/005\w{15}$/);
    assert.equal(token.refresh_token, undefined, 'the password flow issues no refresh token');
  },

  async 'a wrong client secret is invalid_client, an unknown client invalid_client_id'(sf) {
    const wrongSecret = new sf.jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: 'nope' });
    assert.equal((await sf.rejection(wrongSecret.authenticate(sf.username, sf.password))).name, 'invalid_client');
    const unknown = new sf.jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: 'nobody', clientSecret: sf.clientSecret });
    assert.equal((await sf.rejection(unknown.authenticate(sf.username, sf.password))).name, 'invalid_client_id');
  },

  async 'identity() describes the logged-in user'(sf) {
    const conn = await sf.connect();
    const identity = await conn.identity();
    assert.equal(identity.username, sf.username);
    assert.equal(identity.user_id, conn.userInfo.id);
    assert.equal(identity.organization_id, conn.userInfo.organizationId);
    assert.equal(identity.active, true);
    assert.equal(identity.urls.rest, `${conn.instanceUrl}/services/data/v{version}/`);
  },

  async 'identity() works for a SOAP session too'(sf) {
    const conn = connection(sf, false);
    await conn.login(sf.username, sf.password);
    assert.equal((await conn.identity()).username, sf.username);
  },

  async 'userinfo answers OpenID Connect claims'(sf) {
    const conn = await sf.connect();
    const info = await conn.request('/services/oauth2/userinfo');
    assert.equal(info.preferred_username, sf.username);
    assert.equal(info.user_id, conn.userInfo.id);
    assert.equal(info.organization_id, conn.userInfo.organizationId);
  },

  async 'a session that ended is INVALID_SESSION_ID, and jsforce logs in again and repeats the call'(sf) {
    const conn = await sf.connect();
    const ended = conn.accessToken;
    await conn.oauth2.revokeToken(ended); // as the org ends an expired session
    assert.equal(await restStatus(sf, ended), 401);
    let refreshed = false;
    conn.on('refresh', () => { refreshed = true; });
    const result = await conn.query('SELECT Id FROM Account LIMIT 1');
    assert.equal(typeof result.totalSize, 'number');
    assert.ok(refreshed, 'jsforce did not log in again');
    assert.notEqual(conn.accessToken, ended);
  },

  async 'logout() revokes an OAuth session and a SOAP session'(sf) {
    const oauth = await sf.connect();
    const oauthToken = oauth.accessToken;
    await oauth.logout();
    assert.equal(await restStatus(sf, oauthToken), 401);

    const soap = connection(sf, false);
    await soap.login(sf.username, sf.password);
    const sessionId = soap.accessToken;
    await soap.logout();
    assert.equal(await restStatus(sf, sessionId), 401);
  },

  async 'revoking an unknown token is refused with invalid_token'(sf) {
    const oauth2 = new sf.jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret });
    const error = await sf.rejection(oauth2.revokeToken('00D000000000001!made-up'));
    assert.equal(error.name, 'invalid_token');
  },
};
