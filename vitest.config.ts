import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests exercise the sources; the end-to-end tests run the built CLI (npm test builds first).
    alias: {
      '@heoga/core': src('core'),
      '@heoga/fingerprint': src('fingerprint'),
      '@heoga/reader': src('reader'),
      '@heoga/scanner': src('scanner'),
      '@heoga/registry': src('registry'),
      '@heoga/server': src('server'),
      '@heoga/cli': src('cli'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
