// What SDKs and tools call when they connect (versions, describeGlobal, describe, limits) and SOQL beyond the plain
// SELECT: relationship fields, child subqueries, COUNT(), typed comparisons and ordering, and Salesforce's errors.
import assert from 'node:assert/strict';

async function accountWithOrder(sf, conn) {
  const tag = sf.unique('Soql').replace(/\W/g, '');
  const account = await conn.sobject('Account').create({ Name: `${tag} Account`, Industry: tag });
  const order = await conn.sobject('Order').create({ AccountId: account.id, Status: 'Draft', EffectiveDate: '2026-12-01' });
  for (const [quantity, price] of [[3, 10], [12, 2.5]]) {
    await conn.sobject('OrderItem').create({ OrderId: order.id, Quantity: quantity, UnitPrice: price, Product_Code__c: 'SEAT' });
  }
  return { tag, accountId: account.id, orderId: order.id };
}

export const checks = {
  async 'describeGlobal lists the org objects with their key prefixes'(sf) {
    const conn = await sf.connect();
    const global = await conn.describeGlobal();
    const account = global.sobjects.find((o) => o.name === 'Account');
    assert.equal(account.keyPrefix, '001');
    assert.ok(global.sobjects.some((o) => o.name === 'Invoice__c' && o.custom === true));
    assert.equal(global.maxBatchSize, 200);
  },

  async 'describe of Account has its fields, external id and compound address'(sf) {
    const conn = await sf.connect();
    const describe = await conn.sobject('Account').describe();
    const field = (name) => describe.fields.find((f) => f.name === name);
    assert.equal(field('Name').type, 'string');
    assert.equal(field('ERP_Customer_Number__c').externalId, true);
    assert.equal(field('BillingAddress').type, 'address');
    assert.equal(field('BillingCity').compoundFieldName, 'BillingAddress');
    assert.ok(describe.childRelationships.some((r) => r.childSObject === 'Order'));
  },

  async 'describe of an unknown object is NOT_FOUND'(sf) {
    const conn = await sf.connect();
    const error = await sf.rejection(conn.sobject('Nope__c').describe());
    assert.equal(error.errorCode, 'NOT_FOUND');
  },

  async 'limits report the daily API requests'(sf) {
    const conn = await sf.connect();
    const limits = await conn.limits();
    assert.ok(limits.DailyApiRequests.Max > 0);
    assert.ok(limits.DailyApiRequests.Remaining <= limits.DailyApiRequests.Max);
  },

  async 'a parent relationship field and a child subquery are answered'(sf) {
    const conn = await sf.connect();
    const { tag, orderId } = await accountWithOrder(sf, conn);
    const result = await conn.query(`SELECT Id, Account.Name, (SELECT Quantity FROM OrderItems ORDER BY Quantity) FROM Order WHERE Id = '${orderId}'`);
    assert.equal(result.totalSize, 1);
    const order = result.records[0];
    assert.equal(order.Account.Name, `${tag} Account`);
    assert.deepEqual(order.OrderItems.records.map((i) => i.Quantity), [3, 12]);
  },

  async 'COUNT() answers the count in totalSize with no records'(sf) {
    const conn = await sf.connect();
    const { orderId } = await accountWithOrder(sf, conn);
    const result = await conn.query(`SELECT COUNT() FROM OrderItem WHERE OrderId = '${orderId}'`);
    assert.equal(result.totalSize, 2);
    assert.deepEqual(result.records, []);
  },

  async 'numbers compare and sort as numbers; IN, LIKE and OR work'(sf) {
    const conn = await sf.connect();
    const { orderId } = await accountWithOrder(sf, conn);
    const sorted = await conn.query(`SELECT Quantity FROM OrderItem WHERE OrderId = '${orderId}' ORDER BY Quantity DESC`);
    assert.deepEqual(sorted.records.map((r) => r.Quantity), [12, 3]);
    const big = await conn.query(`SELECT Quantity FROM OrderItem WHERE OrderId = '${orderId}' AND (Quantity > 5 OR UnitPrice IN (99, 98))`);
    assert.deepEqual(big.records.map((r) => r.Quantity), [12]);
    const like = await conn.query(`SELECT Id FROM OrderItem WHERE OrderId = '${orderId}' AND Product_Code__c LIKE 'se%'`);
    assert.equal(like.totalSize, 2);
  },

  async 'lower-case names are accepted, as Salesforce is case-insensitive'(sf) {
    const conn = await sf.connect();
    const result = await conn.query('select id, name from account limit 1');
    assert.ok(result.totalSize >= 0);
  },

  async 'an unknown field is INVALID_FIELD and an unknown object INVALID_TYPE'(sf) {
    const conn = await sf.connect();
    assert.equal((await sf.rejection(conn.query('SELECT Id, Nope__c FROM Account'))).errorCode, 'INVALID_FIELD');
    assert.equal((await sf.rejection(conn.query('SELECT Id FROM Nope__c'))).errorCode, 'INVALID_TYPE');
  },
};
