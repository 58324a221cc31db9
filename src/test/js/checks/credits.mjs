// Credit__c (README: Credits and refunds) as a client nobody here wrote creates, approves and reads it.
import assert from 'node:assert/strict';

async function invoice(sf, conn) {
  const tag = sf.unique('Credit').replace(/\W/g, '');
  const account = await conn.sobject('Account').create({ Name: `${tag} Account` });
  const invoice = await conn.sobject('Invoice__c').create({ Invoice_Number__c: `KB-${tag}`, Account__c: account.id,
    Order_Number__c: tag, Total_Amount__c: 10, Balance__c: 10 });
  return { tag, accountId: account.id, invoiceId: invoice.id };
}

export const checks = {
  async 'a credit is drafted, approved and read back with its number and its invoice'(sf) {
    const conn = await sf.connect();
    const { tag, accountId, invoiceId } = await invoice(sf, conn);
    const credit = await conn.sobject('Credit__c').create({ Account__c: accountId, Type__c: 'Credit', Invoice__c: invoiceId,
      Amount__c: 4, CurrencyIsoCode: 'USD', Reason__c: 'Outage', Status__c: 'Draft' });
    assert.equal(credit.success, true);
    await conn.sobject('Credit__c').update({ Id: credit.id, Status__c: 'Approved' });
    const result = await conn.query(`SELECT Name, Type__c, Status__c, Amount__c, Invoice__r.Invoice_Number__c,
      Invoice__r.Order_Number__c FROM Credit__c WHERE Id = '${credit.id}'`);
    assert.equal(result.totalSize, 1);
    const read = result.records[0];
    assert.match(read.Name, /^\d+$/);
    assert.equal(read.Status__c, 'Approved');
    assert.equal(read.Amount__c, 4);
    assert.equal(read.Invoice__r.Invoice_Number__c, `KB-${tag}`);
    assert.equal(read.Invoice__r.Order_Number__c, tag);
  },

  async 'a credit without its type, invoice, amount or status is REQUIRED_FIELD_MISSING'(sf) {
    const conn = await sf.connect();
    const { accountId } = await invoice(sf, conn);
    const error = await sf.rejection(conn.sobject('Credit__c').create({ Account__c: accountId }));
    assert.equal(error.errorCode, 'REQUIRED_FIELD_MISSING');
  },
};
