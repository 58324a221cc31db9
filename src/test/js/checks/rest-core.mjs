// The core REST API as jsforce uses it: OAuth login, sObject CRUD, upsert by external id, SOQL with paging, and
// Salesforce's error bodies as jsforce turns them into errors.
import assert from 'node:assert/strict';

export const checks = {
  async 'OAuth 2.0 username-password login gives a token and the instance URL'(sf) {
    const conn = await sf.connect();
    assert.ok(conn.accessToken, 'no access token');
    assert.equal(new URL(conn.instanceUrl).port, new URL(sf.loginUrl).port);
    assert.match(conn.userInfo.organizationId, /^00D\w{15}$/);
  },

  async 'a wrong password is refused with invalid_grant'(sf) {
    const conn = new sf.jsforce.Connection({
      oauth2: { loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret },
      version: sf.version,
    });
    const error = await sf.rejection(conn.login(sf.username, 'not-the-password'));
    assert.equal(error.name, 'invalid_grant');
  },

  async 'create, retrieve, update and delete an Account'(sf) {
    const conn = await sf.connect();
    const name = sf.unique('Jsforce Crud');
    const created = await conn.sobject('Account').create({ Name: name, Industry: 'Energy' });
    assert.equal(created.success, true);
    assert.match(created.id, /^001\w{15}$/);
    const read = await conn.sobject('Account').retrieve(created.id);
    assert.equal(read.Name, name);
    assert.equal(read.attributes.type, 'Account');
    await conn.sobject('Account').update({ Id: created.id, Industry: 'Retail' });
    assert.equal((await conn.sobject('Account').retrieve(created.id)).Industry, 'Retail');
    await conn.sobject('Account').destroy(created.id);
    const gone = await sf.rejection(conn.sobject('Account').retrieve(created.id));
    assert.equal(gone.errorCode, 'NOT_FOUND');
  },

  async 'upsert by external id creates once, then updates the same record'(sf) {
    const conn = await sf.connect();
    const key = sf.unique('C').replace(/\W/g, '');
    const first = await conn.sobject('Account').upsert({ ERP_Customer_Number__c: key, Name: 'Upsert One' }, 'ERP_Customer_Number__c');
    assert.equal(first.created, true);
    const second = await conn.sobject('Account').upsert({ ERP_Customer_Number__c: key, Name: 'Upsert Two' }, 'ERP_Customer_Number__c');
    assert.equal(second.created, false);
    assert.equal(second.id, first.id);
    assert.equal((await conn.sobject('Account').retrieve(first.id)).Name, 'Upsert Two');
  },

  async 'a record without its required field is refused with REQUIRED_FIELD_MISSING'(sf) {
    const conn = await sf.connect();
    const error = await sf.rejection(conn.sobject('Account').create({ Industry: 'Energy' }));
    assert.equal(error.errorCode, 'REQUIRED_FIELD_MISSING');
  },

  async 'a malformed query is refused with MALFORMED_QUERY'(sf) {
    const conn = await sf.connect();
    const error = await sf.rejection(conn.query('SELEKT Id FROM Account'));
    assert.equal(error.errorCode, 'MALFORMED_QUERY');
  },
};
