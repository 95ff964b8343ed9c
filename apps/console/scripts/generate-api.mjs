// The console's types of the hub's HTTP API, generated from the OpenAPI document the hub
// serves (GET /docs-json): `node scripts/generate-api.mjs [hub URL]` writes them;
// `--check` fails when the committed file differs from what the hub serves now.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
// The repository's own formatter (root node_modules), so that `prettier --check .` agrees.
import * as prettier from 'prettier';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'api', 'hub-schema.d.ts');
const args = process.argv.slice(2);
const check = args.includes('--check');
const hubUrl =
  args.find((a) => !a.startsWith('--')) ?? process.env.HUB_URL ?? 'http://127.0.0.1:3000';

const answer = await fetch(`${hubUrl}/docs-json`);
if (!answer.ok) throw new Error(`${hubUrl}/docs-json answered ${answer.status}`);
const document = await answer.json();
const header =
  "// Generated from the hub's OpenAPI document by scripts/generate-api.mjs; do not edit.\n";
const text = await prettier.format(
  header + astToString(await openapiTS(document, { alphabetize: true })),
  { ...(await prettier.resolveConfig(target)), filepath: target },
);

if (check) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    /* missing: differs */
  }
  if (current !== text) {
    process.stderr.write(
      `${target} is not what the hub serves: run npm run --prefix apps/console api -- <hub URL>\n`,
    );
    process.exit(1);
  }
  process.stdout.write('console API types are up to date\n');
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
