// What a check knows about the sandbox org it runs against, and a jsforce connection logged in the way most
// integrations log in (the OAuth 2.0 username-password flow of a connected app).
import jsforce from 'jsforce';
import assert from 'node:assert/strict';

export function sandbox() {
  const env = process.env;
  const settings = {
    loginUrl: env.SF_LOGIN_URL,
    clientId: env.SF_CLIENT_ID,
    clientSecret: env.SF_CLIENT_SECRET,
    username: env.SF_USERNAME,
    password: env.SF_PASSWORD,
    version: env.SF_API_VERSION || '59.0',
  };
  return {
    ...settings,
    jsforce,
    /** A new connection, logged in with the OAuth 2.0 username-password flow. */
    async connect() {
      const conn = new jsforce.Connection({
        oauth2: { loginUrl: settings.loginUrl, clientId: settings.clientId, clientSecret: settings.clientSecret },
        version: settings.version,
      });
      await conn.login(settings.username, settings.password);
      return conn;
    },
    /** The error a promise rejects with; fails when it resolves. */
    async rejection(promise) {
      try {
        await promise;
      } catch (e) {
        return e;
      }
      assert.fail('expected the call to be refused, but it succeeded');
    },
    /** A name no other check (or earlier run) uses. */
    unique(prefix) {
      return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
    },
  };
}
