import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApiDocument, VERSION } from '../src/index.js';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('server: the committed OpenAPI document and the version', () => {
  it('openapi.json equals the document generated from the route schemas (run `npm run openapi` when not)', async () => {
    const committed = read('../../../openapi.json');
    const generated = await generateOpenApiDocument();
    expect(committed).toBe(generated);
    const document = JSON.parse(generated) as { openapi: string; info: { version: string }; paths: object };
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe(VERSION);
  });

  it("the server's package.json version equals VERSION", () => {
    const pkg = JSON.parse(read('../package.json')) as { version: string };
    expect(pkg.version).toBe(VERSION);
  });
});
