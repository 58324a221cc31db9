// The composite resources, sObject Collections, queryAll and Bulk API 2.0 as jsforce uses them: create/update/
// upsert/retrieve/destroy of arrays go through /composite/sobjects, conn.requestPost('/composite') sends a composite
// request, conn.bulk2 loads CSV and queries through ingest and query jobs, polling until the job completes.
import assert from 'node:assert/strict';

export const checks = {
  async 'arrays of records are created, upserted, retrieved and destroyed through sObject Collections'(sf) {
    const conn = await sf.connect();
    const name = sf.unique('Jsforce Coll');
    const created = await conn.sobject('Account').create([{ Name: `${name} A` }, { Name: `${name} B` }, { Industry: 'x' }]);
    assert.deepEqual(created.map((r) => r.success), [true, true, false]);
    assert.equal(created[2].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
    const ids = created.slice(0, 2).map((r) => r.id);

    const updated = await conn.sobject('Account').update(ids.map((Id) => ({ Id, Phone: '42' })));
    assert.deepEqual(updated.map((r) => r.success), [true, true]);
    const key = sf.unique('K').replace(/\W/g, '');
    const upserted = await conn.sobject('Account').upsert(
      [{ ERP_Customer_Number__c: key, Name: `${name} C` }], 'ERP_Customer_Number__c');
    assert.equal(upserted[0].created, true);

    const read = await conn.sobject('Account').retrieve(ids, { fields: ['Name', 'Phone'] });
    assert.deepEqual(read.map((r) => r.Phone), ['42', '42']);

    const destroyed = await conn.sobject('Account').destroy([...ids, upserted[0].id]);
    assert.deepEqual(destroyed.map((r) => r.success), [true, true, true]);
    const live = await conn.query(`SELECT Id FROM Account WHERE Id = '${ids[0]}'`);
    assert.equal(live.totalSize, 0);
    const all = await conn.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${ids[0]}'`, { scanAll: true });
    assert.equal(all.records[0].IsDeleted, true);
  },

  async 'more than 200 records in one collection call are refused with EXCEEDED_ID_LIMIT'(sf) {
    const conn = await sf.connect();
    const records = Array.from({ length: 201 }, (_, i) => ({ Name: `Over ${i}` }));
    const error = await sf.rejection(conn.sobject('Account').create(records));
    assert.equal(error.errorCode, 'EXCEEDED_ID_LIMIT');
  },

  async 'a composite request chains references and reports each subrequest'(sf) {
    const conn = await sf.connect();
    const name = sf.unique('Jsforce Composite');
    const result = await conn.requestPost('/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `/services/data/v${sf.version}/sobjects/Account`, referenceId: 'acct', body: { Name: name } },
        { method: 'GET', url: `/services/data/v${sf.version}/sobjects/Account/@{acct.id}?fields=Name`, referenceId: 'read' },
      ],
    });
    assert.deepEqual(result.compositeResponse.map((r) => r.httpStatusCode), [201, 200]);
    assert.equal(result.compositeResponse[1].body.Name, name);
  },

  async 'bulk2 loads CSV rows, reporting each failed row, and queries them back'(sf) {
    const conn = await sf.connect();
    conn.bulk2.pollInterval = 200;
    const industry = sf.unique('Bulk2').replace(/\W/g, '');
    const rows = [{ Name: 'Bulk "quoted", name', Industry: industry }, { Name: 'Plain', Industry: industry },
      { Name: '', Industry: industry }];
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: rows });
    assert.equal(results.successfulResults.length, 2);
    assert.equal(results.failedResults.length, 1);
    assert.match(results.failedResults[0].sf__Error, /^REQUIRED_FIELD_MISSING/);

    const queried = await (await conn.bulk2.query(`SELECT Id, Name FROM Account WHERE Industry = '${industry}'`)).toArray();
    assert.deepEqual(queried.map((r) => r.Name).sort(), ['Bulk "quoted", name', 'Plain']);
  },
};
