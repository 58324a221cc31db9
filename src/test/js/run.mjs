// Runs the checks in checks/*.mjs against the Salesforce sandbox and prints one JSON line per check:
// {"check": "<file>: <name>", "ok": true|false, "error": "..."}. JsforceContractTest turns each line into a test.
// Every check gets a fresh context; the sandbox's address and credentials come from the environment.
import { readdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { sandbox } from './sandbox.mjs';

const only = process.env.CHECKS_MATCHING ? new RegExp(process.env.CHECKS_MATCHING) : null;
const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'checks');
for (const file of (await readdir(dir)).filter((f) => f.endsWith('.mjs')).sort()) {
  const { checks } = await import(pathToFileURL(path.join(dir, file)).href);
  for (const [name, check] of Object.entries(checks)) {
    const id = `${file.replace(/\.mjs$/, '')}: ${name}`;
    if (only && !only.test(id)) continue;
    try {
      await check(sandbox());
      console.log(JSON.stringify({ check: id, ok: true }));
    } catch (e) {
      const detail = e && e.errorCode ? `${e.errorCode}: ${e.message}` : String(e && e.stack ? e.stack : e);
      console.log(JSON.stringify({ check: id, ok: false, error: detail }));
    }
  }
}
