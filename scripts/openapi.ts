// `npm run openapi` writes openapi.json from the route schemas; `npm run openapi:check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateOpenApiDocument } from '@heoga/server';

const file = fileURLToPath(new URL('../openapi.json', import.meta.url));
const generated = await generateOpenApiDocument();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== generated) {
    process.stderr.write('openapi.json is stale: run `npm run openapi` and commit the result\n');
    process.exit(1);
  }
  process.stdout.write('openapi.json is up to date\n');
} else {
  writeFileSync(file, generated);
  process.stdout.write(`wrote ${file}\n`);
}
