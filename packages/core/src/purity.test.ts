import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// DESIGN §4.1: core is pure and isomorphic. It runs in the browser, so it may import only its own files and the
// pure packages listed here; never node:*, fs, process, or an I/O package. ESLint enforces the same rule.
const ALLOWED_PACKAGES = new Set(['zod', '@noble/hashes', '@noble/curves']);
// A package's subpath exports ('@noble/hashes/sha2.js') are allowed with the package.
const isAllowedSpecifier = (spec: string): boolean =>
  [...ALLOWED_PACKAGES].some((pkg) => spec === pkg || spec.startsWith(`${pkg}/`));
const root = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('core purity', () => {
  const files = sourceFiles(root);

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [f.slice(root.length)]))('%s imports nothing with I/O', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1] ?? m[2] ?? '');
    for (const spec of specifiers) {
      if (spec.startsWith('./') || spec.startsWith('../')) continue;
      expect(isAllowedSpecifier(spec), `${file} imports ${spec}`).toBe(true);
    }
    expect(text).not.toMatch(/\bprocess\.|\brequire\(|\bBuffer\b|\bglobalThis\.process\b/);
  });

  it('declares no dependency beyond the allowed pure packages', () => {
    const pkg = JSON.parse(readFileSync(join(root, '..', 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) expect(ALLOWED_PACKAGES.has(dep), dep).toBe(true);
  });
});
