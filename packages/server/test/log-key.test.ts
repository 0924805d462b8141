import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadOrCreateLogKey } from '../src/index.js';

describe('the log signing key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heoga-log-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created on first start with mode 0600, then reused unchanged', () => {
    const file = join(dir, 'nested', 'log-signing.key');
    const first = loadOrCreateLogKey(file, 'heoga.test/log');
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^PRIVATE\+KEY\+heoga\.test\/log\+[0-9a-f]{8}\+/);
    const second = loadOrCreateLogKey(file, 'heoga.test/log');
    expect(second.created).toBe(false);
    expect(second.verifierKey).toBe(first.verifierKey);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('refuses a key named for another origin, and a file that is not a key', () => {
    const file = join(dir, 'other.key');
    loadOrCreateLogKey(file, 'heoga.test/log');
    expect(() => loadOrCreateLogKey(file, 'elsewhere.example/log')).toThrow(ConfigError);
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, 'not a key\n');
    expect(() => loadOrCreateLogKey(junk, 'heoga.test/log')).toThrow(ConfigError);
  });
});
