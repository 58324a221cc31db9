// Contract of the emulated Salesforce Pub/Sub API, checked with clients nobody here wrote: @grpc/grpc-js loading
// Salesforce's published pubsub_api.proto (as shipped in npm's salesforce-pubsub-api-client), avsc for Avro, and the
// salesforce-pubsub-api-client itself. PubSubNodeContractTest starts the emulator and passes, in the environment:
// SF_LOGIN_URL, PUBSUB_ENDPOINT (host:port), PUBSUB_CA (PEM of the emulator's certificate), PLATFORM_EVENT (a
// publishable /event/ topic), MANAGED_SUBSCRIPTION (developer name of a managed subscription of Account changes,
// default replay EARLIEST), KEEPALIVE_MS (the emulator's keepalive period).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import avro from 'avsc';

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} must be set`);
  return value;
};
const LOGIN_URL = env('SF_LOGIN_URL');
const ENDPOINT = env('PUBSUB_ENDPOINT');
const CA = readFileSync(env('PUBSUB_CA'));
const PLATFORM_EVENT = env('PLATFORM_EVENT');
const MANAGED = env('MANAGED_SUBSCRIPTION');
const KEEPALIVE_MS = Number(env('KEEPALIVE_MS'));
const ORG_ID = '00D000000000001AAA';

// the package does not export its proto file as a module path; it ships it at its root
const protoPath = fileURLToPath(new URL('../node_modules/salesforce-pubsub-api-client/pubsub_api.proto', import.meta.url));
const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(protoPath, {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
}));
const PubSub = pkg.eventbus.v1.PubSub;

const session = await login();

// salesforce-pubsub-api-client's close() closes its channel but leaves its subscribe stream open (grpc-js lets calls
// in progress go on), which would keep this process alive after the last test: end it once every test reported.
after(() => setTimeout(() => process.exit(), 200));

async function login() {
  const response = await fetch(`${LOGIN_URL}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password', client_id: 'sandbox-client', client_secret: 'sandbox-secret',
      username: 'integration@revops.sandbox', password: 'sandbox',
    }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

function client({ token = session.access_token, tenant = ORG_ID } = {}) {
  const metadata = new grpc.Metadata();
  metadata.add('accesstoken', token);
  metadata.add('instanceurl', session.instance_url);
  metadata.add('tenantid', tenant);
  const credentials = grpc.credentials.combineChannelCredentials(
    grpc.credentials.createSsl(CA),
    grpc.credentials.createFromMetadataGenerator((_, callback) => callback(null, metadata)));
  return new PubSub(ENDPOINT, credentials);
}

const pubsub = client();
const unary = (c, method, request) => new Promise((resolve, reject) =>
  c[method](request, (error, response) => (error ? reject(error) : resolve(response))));
const schemas = new Map();
async function schemaOf(schemaId) {
  if (!schemas.has(schemaId)) {
    const info = await unary(pubsub, 'GetSchema', { schema_id: schemaId });
    schemas.set(schemaId, { json: JSON.parse(info.schema_json), type: avro.Type.forSchema(JSON.parse(info.schema_json)) });
  }
  return schemas.get(schemaId);
}
const decode = async (event) => (await schemaOf(event.event.schema_id)).type.fromBuffer(event.event.payload);
const replayNumber = (bytes) => Buffer.from(bytes).readBigUInt64BE(0);
const replayBytes = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; };

async function rest(method, path, body, headers = {}) {
  const response = await fetch(`${session.instance_url}/services/data/v59.0${path}`, {
    method,
    headers: { Authorization: `Bearer ${session.access_token}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? null : response.json();
}

/** Rejects with the error a call or stream ends with. */
const failure = (call) => new Promise((resolve) => { call.on('error', resolve); call.on('data', () => {}); });
function assertSalesforceError(error, code, errorCode) {
  assert.equal(error.code, grpc.status[code], `${error.code} ${error.details}`);
  const rpcId = error.metadata.get('rpc-id')[0];
  assert.match(String(rpcId), /^[0-9a-f-]{36}$/, 'rpc-id trailer');
  assert.ok(error.details.endsWith(`rpcId: ${rpcId}`), `"${error.details}" ends with its rpc id`);
  if (errorCode) {
    assert.equal(error.metadata.get('error-code')[0], errorCode);
  }
}

/** Subscribes and collects events (decoded) until `until` holds; resolves with all responses and events. */
function subscribe(request, until, c = pubsub) {
  const call = c.Subscribe();
  const responses = [];
  const events = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { call.cancel(); reject(new Error(`timed out: ${JSON.stringify(responses.length)} responses`)); }, 15000);
    call.on('data', async (response) => {
      responses.push(response);
      for (const e of response.events) {
        events.push({ replayId: replayNumber(e.replay_id), schemaId: e.event.schema_id, value: await decode(e) });
      }
      if (until(events, responses)) {
        clearTimeout(timer);
        call.cancel();
        resolve({ responses, events });
      }
    });
    call.on('error', (error) => { if (error.code !== grpc.status.CANCELLED) { clearTimeout(timer); reject(error); } });
    call.write(request);
  });
}

test('GetTopic answers for an object channel, /data/ChangeEvents (no schema of its own) and a platform event', async () => {
  const account = await unary(pubsub, 'GetTopic', { topic_name: '/data/AccountChangeEvent' });
  assert.ok(account.schema_id.length > 0);
  assert.equal(account.can_subscribe, true);
  assert.equal(account.can_publish, false);
  assert.equal(account.tenant_guid, ORG_ID);
  const all = await unary(pubsub, 'GetTopic', { topic_name: '/data/ChangeEvents' });
  assert.equal(all.schema_id, '');
  assert.equal(all.can_subscribe, true);
  const platform = await unary(pubsub, 'GetTopic', { topic_name: PLATFORM_EVENT });
  assert.equal(platform.can_publish, true);
  const error = await unary(pubsub, 'GetTopic', { topic_name: '/data/NoSuchChangeEvent' }).catch((e) => e);
  assertSalesforceError(error, 'NOT_FOUND');
  assert.match(error.details, /topic \/data\/NoSuchChangeEvent not found/);
});

test('change events: ChangeType enum, epoch datetimes, changeOrigin naming the REST client, on both channels', async () => {
  const schemaJson = (await schemaOf((await unary(pubsub, 'GetTopic', { topic_name: '/data/AccountChangeEvent' })).schema_id)).json;
  const header = schemaJson.fields[0].type;
  const changeType = header.fields.find((f) => f.name === 'changeType').type;
  assert.equal(changeType.type, 'enum');
  assert.equal(changeType.name, 'ChangeType');
  assert.ok(['CREATE', 'UPDATE', 'DELETE', 'UNDELETE', 'GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE', 'GAP_OVERFLOW']
    .every((s) => changeType.symbols.includes(s)));
  assert.deepEqual(schemaJson.fields.find((f) => f.name === 'CreatedDate').type, ['null', 'long']);

  const named = (await rest('POST', '/sobjects/Account', { Name: `Named ${randomUUID()}` },
    { 'Sforce-Call-Options': 'client=contract-test' })).id;
  const plain = (await rest('POST', '/sobjects/Account', { Name: `Plain ${randomUUID()}` })).id;
  const order = (await rest('POST', '/sobjects/Order', { AccountId: plain, Status: 'Draft', EffectiveDate: '2026-12-01' })).id;
  const byRecord = (events, id) => events.find((e) => e.value.ChangeEventHeader.recordIds.includes(id));

  const { events } = await subscribe({ topic_name: '/data/ChangeEvents', replay_preset: 'EARLIEST', num_requested: 1000 },
    (all) => [named, plain, order].every((id) => byRecord(all, id)));
  const namedEvent = byRecord(events, named).value.ChangeEventHeader;
  assert.equal(namedEvent.changeType, 'CREATE');
  assert.equal(namedEvent.changeOrigin, 'com/salesforce/api/rest/59.0;client=contract-test');
  assert.equal(byRecord(events, plain).value.ChangeEventHeader.changeOrigin, 'com/salesforce/api/rest/59.0');
  assert.equal(typeof byRecord(events, plain).value.CreatedDate, 'number');
  assert.ok(Math.abs(byRecord(events, plain).value.CreatedDate - Date.now()) < 60000, 'CreatedDate in epoch ms');
  // one channel, each event with its own object's schema
  assert.notEqual(byRecord(events, order).schemaId, byRecord(events, plain).schemaId);
  assert.equal(byRecord(events, order).value.ChangeEventHeader.entityName, 'Order');

  const own = await subscribe({ topic_name: '/data/AccountChangeEvent', replay_preset: 'EARLIEST', num_requested: 1000 },
    (all) => byRecord(all, named));
  assert.equal(byRecord(own.events, named).replayId, byRecord(events, named).replayId, 'same event, same replay id');
});

async function platformEvent(text) {
  const topic = await unary(pubsub, 'GetTopic', { topic_name: PLATFORM_EVENT });
  const { type } = await schemaOf(topic.schema_id);
  const payload = type.toBuffer({ CreatedDate: Date.now(), CreatedById: '005000000000001AAA', Order_Number__c: text });
  return { id: randomUUID(), schema_id: topic.schema_id, payload };
}

test('Publish answers per event: replay id and correlation key, or an error for a schema that does not fit', async () => {
  const good = await platformEvent('P-1');
  const wrongSchema = { ...(await platformEvent('P-2')), schema_id: 'AAAAAAAAAAAAAAAAAAAAAA' };
  const garbage = { ...(await platformEvent('P-3')), payload: Buffer.from([0xff, 0xff, 0xff]) };
  const response = await unary(pubsub, 'Publish', { topic_name: PLATFORM_EVENT, events: [good, wrongSchema, garbage] });
  assert.match(response.rpc_id, /^[0-9a-f-]{36}$/);
  assert.equal(response.results.length, 3);
  assert.equal(response.results[0].correlation_key, good.id);
  assert.equal(response.results[0].replay_id.length, 8);
  assert.equal(response.results[0].error, null);
  assert.equal(response.results[1].correlation_key, wrongSchema.id);
  assert.equal(response.results[1].error.code, 'PUBLISH');
  assert.equal(response.results[2].error.code, 'PUBLISH');
  const { events } = await subscribe({ topic_name: PLATFORM_EVENT, replay_preset: 'EARLIEST', num_requested: 100 },
    (all) => all.some((e) => e.value.Order_Number__c === 'P-1'));
  assert.equal(events.filter((e) => ['P-2', 'P-3'].includes(e.value.Order_Number__c)).length, 0, 'refused events are not published');

  const cdc = await unary(pubsub, 'Publish', { topic_name: '/data/AccountChangeEvent', events: [good] }).catch((e) => e);
  assertSalesforceError(cdc, 'PERMISSION_DENIED');
  const unknown = await unary(pubsub, 'Publish', { topic_name: '/event/Nope__e', events: [good] }).catch((e) => e);
  assertSalesforceError(unknown, 'NOT_FOUND');
});

test('PublishStream answers every batch with its results under the stream rpc id; a second topic is refused', async () => {
  const call = pubsub.PublishStream();
  const responses = [];
  const done = new Promise((resolve, reject) => {
    call.on('data', (r) => { responses.push(r); if (responses.length === 2) call.end(); });
    call.on('end', resolve);
    call.on('error', reject);
  });
  const first = [await platformEvent('S-1'), await platformEvent('S-2')];
  const second = [await platformEvent('S-3')];
  call.write({ topic_name: PLATFORM_EVENT, events: first });
  call.write({ events: second });
  await done;
  assert.equal(responses[0].rpc_id, responses[1].rpc_id);
  assert.deepEqual(responses[0].results.map((r) => r.correlation_key), first.map((e) => e.id));
  assert.deepEqual(responses[1].results.map((r) => r.correlation_key), second.map((e) => e.id));
  assert.ok(responses.flatMap((r) => r.results).every((r) => r.error === null && r.replay_id.length === 8));

  const other = pubsub.PublishStream();
  const error = failure(other);
  other.write({ topic_name: PLATFORM_EVENT, events: [await platformEvent('S-4')] });
  other.write({ topic_name: '/event/Other__e', events: [await platformEvent('S-5')] });
  assertSalesforceError(await error, 'INVALID_ARGUMENT');
});

function managedStream(first) {
  const call = pubsub.ManagedSubscribe();
  const responses = [];
  const waiters = [];
  call.on('data', (r) => { responses.push(r); waiters.forEach((w) => w()); });
  call.on('error', () => {});
  call.write(first);
  const until = (predicate) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting on ManagedSubscribe')), 15000);
    const check = () => { if (predicate(responses)) { clearTimeout(timer); resolve(responses); } };
    waiters.push(check);
    check();
  });
  return { call, responses, until };
}

test('ManagedSubscribe delivers, commits replay ids and resumes after the last commit', async () => {
  const firstAccount = (await rest('POST', '/sobjects/Account', { Name: `Managed ${randomUUID()}` })).id;
  const one = managedStream({ developer_name: MANAGED, num_requested: 1000 });
  const ids = async (responses) => (await Promise.all(responses.flatMap((r) => r.events).map(decode)))
    .flatMap((e) => e.ChangeEventHeader.recordIds);
  let delivered;
  await one.until((rs) => rs.some((r) => r.events.length > 0));
  for (let i = 0; !(await ids(one.responses)).includes(firstAccount); i++) {
    await one.until((rs) => rs.length > i + 1);
  }
  delivered = one.responses.flatMap((r) => r.events);
  const last = delivered[delivered.length - 1].replay_id;
  one.call.write({ commit_replay_id_request: { commit_request_id: 'commit-1', replay_id: last } });
  const committed = (await one.until((rs) => rs.some((r) => r.commit_response))).find((r) => r.commit_response);
  assert.equal(committed.commit_response.commit_request_id, 'commit-1');
  assert.deepEqual(Buffer.from(committed.commit_response.replay_id), Buffer.from(last));
  assert.equal(committed.commit_response.error, null);
  assert.ok(Number(committed.commit_response.process_time) > 0);
  one.call.write({ commit_replay_id_request: { commit_request_id: 'commit-bad', replay_id: Buffer.from([1, 2]) } });
  const refused = (await one.until((rs) => rs.some((r) => r.commit_response?.commit_request_id === 'commit-bad')))
    .find((r) => r.commit_response?.commit_request_id === 'commit-bad');
  assert.equal(refused.commit_response.error.code, 'COMMIT');
  one.call.cancel();

  const later = (await rest('POST', '/sobjects/Account', { Name: `After commit ${randomUUID()}` })).id;
  const topic = await unary(pubsub, 'GetTopic', { topic_name: '/data/AccountChangeEvent' });
  assert.ok(topic.schema_id);
  const two = managedStream({ developer_name: MANAGED, num_requested: 1 });
  const resumed = await two.until((rs) => rs.some((r) => r.events.length > 0));
  two.call.cancel();
  const firstResumed = await decode(resumed.find((r) => r.events.length > 0).events[0]);
  assert.deepEqual(firstResumed.ChangeEventHeader.recordIds, [later], 'resumes right after the committed replay id');

  const unknown = pubsub.ManagedSubscribe();
  const error = failure(unknown);
  unknown.write({ developer_name: 'No_Such_Subscription', num_requested: 1 });
  assertSalesforceError(await error, 'NOT_FOUND');
});

test('keepalive: a quiet subscription with pending requests gets an empty response with the latest replay id', async () => {
  const started = Date.now();
  const { responses } = await subscribe({ topic_name: '/data/Invoice__ChangeEvent', replay_preset: 'LATEST', num_requested: 7 },
    (_, all) => all.length > 0);
  const keepalive = responses[0];
  assert.equal(keepalive.events.length, 0);
  assert.equal(keepalive.pending_num_requested, 7);
  assert.equal(keepalive.latest_replay_id.length, 8);
  assert.ok(Date.now() - started >= KEEPALIVE_MS * 0.9, 'not before the keepalive period');
});

test('errors carry rpc-id and Salesforce error codes: corrupted replay id, bad token, another org', async () => {
  const corrupted = pubsub.Subscribe();
  const replayError = failure(corrupted);
  corrupted.write({ topic_name: '/data/AccountChangeEvent', replay_preset: 'CUSTOM', replay_id: Buffer.from([9, 9, 9]), num_requested: 1 });
  assertSalesforceError(await replayError, 'INVALID_ARGUMENT', 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted');

  const badToken = await unary(client({ token: '00D000000000001!forged' }), 'GetTopic', { topic_name: PLATFORM_EVENT }).catch((e) => e);
  assertSalesforceError(badToken, 'UNAUTHENTICATED', 'sfdc.platform.eventbus.grpc.service.auth.error');
  const otherOrg = await unary(client({ tenant: '00D000000000002AAA' }), 'GetTopic', { topic_name: PLATFORM_EVENT }).catch((e) => e);
  assertSalesforceError(otherOrg, 'UNAUTHENTICATED', 'sfdc.platform.eventbus.grpc.service.auth.error');
  const otherOrgStream = client({ tenant: '00D000000000002AAA' }).Subscribe();
  const streamError = failure(otherOrgStream);
  otherOrgStream.write({ topic_name: '/data/AccountChangeEvent', num_requested: 1 });
  assertSalesforceError(await streamError, 'UNAUTHENTICATED', 'sfdc.platform.eventbus.grpc.service.auth.error');
});

test("Salesforce's own Node client (salesforce-pubsub-api-client) subscribes with user-supplied auth", async () => {
  const { default: PubSubApiClient } = await import('salesforce-pubsub-api-client');
  const sf = new PubSubApiClient({
    // the client insists on an https instance URL; it only passes it on as the instanceurl header, and the
    // sandbox's REST API is still plain HTTP. The org id it takes from the token: the 15-character form.
    authType: 'user-supplied', accessToken: session.access_token,
    instanceUrl: session.instance_url.replace(/^http:/, 'https:'),
    pubSubEndpoint: ENDPOINT, rejectUnauthorizedSsl: false,
  }, { debug() {}, info() {}, warn() {}, error() {} });
  await sf.connect();
  try {
    const id = (await rest('POST', '/sobjects/Account', { Name: `Pozil ${randomUUID()}` })).id;
    await rest('PATCH', `/sobjects/Account/${id}`, { BillingCity: 'Lyon', Phone: '+33 1 00 00 00 00' });
    const update = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no update event')), 15000);
      sf.subscribeFromEarliestEvent('/data/AccountChangeEvent', (subscription, callbackType, data) => {
        if (callbackType === 'error') { clearTimeout(timer); reject(data); }
        if (callbackType === 'event' && data.payload.ChangeEventHeader.recordIds.includes(id)
            && data.payload.ChangeEventHeader.changeType === 'UPDATE') {
          clearTimeout(timer);
          resolve(data.payload);
        }
      }, 1000);
    });
    // the client decodes the bitmaps by the documented rules: compound fields by their nested names
    assert.ok(update.ChangeEventHeader.changedFields.includes('BillingAddress.City'), JSON.stringify(update.ChangeEventHeader));
    assert.ok(update.ChangeEventHeader.changedFields.includes('Phone'));
    assert.equal(update.BillingAddress.City, 'Lyon');
  } finally {
    sf.close();
  }
});
