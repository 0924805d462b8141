import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '@heoga/cli';
import {
  createRegistry,
  defaultDeps,
  openDatabase,
  type Actor,
  type Registry,
  type RegistryDatabase,
} from '@heoga/registry';
import { buildApp, loadOrCreateLogKey, loadServerConfig } from '@heoga/server';
import type { FastifyInstance } from 'fastify';
import { memoryIo } from './memory-io.js';

function diskIo(): CliIo & { stdoutText(): string; stderrText(): string } {
  return { ...memoryIo({}), readFile: async (path) => new Uint8Array(await readFile(path)) };
}

describe('heoga verify and verify-order, on receipts from a running server', () => {
  let dir: string;
  let database: RegistryDatabase;
  let registry: Registry;
  let app: FastifyInstance;
  let url: string;
  let vkey: string;
  const files: Record<string, string> = {};

  async function receiptFile(
    name: string,
    query: string,
    pick: (items: { entry: string }[]) => unknown,
  ): Promise<string> {
    const response = await fetch(`${url}/v1/log/receipts?${query}`);
    const { items } = (await response.json()) as { items: { entry: string }[] };
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(pick(items)));
    return file;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heoga-verify-'));
    database = await openDatabase({ engine: 'sqlite', file: join(dir, 'heoga.sqlite') });
    const identity = loadOrCreateLogKey(join(dir, 'log.key'), 'heoga.test/log');
    vkey = identity.verifierKey;
    registry = createRegistry(database, defaultDeps(), { log: identity });
    app = await buildApp({ registry, config: loadServerConfig({}, { demo: false }), logger: false });
    url = await app.listen({ host: '127.0.0.1', port: 0 });

    const creator = await registry.accounts.signUp({
      email: 'c@example.com',
      password: 'a long passphrase',
      displayName: 'C',
      role: 'creator',
    });
    const actor: Actor = { accountId: creator.id, role: 'creator', scopes: ['read', 'write'], via: 'session' };
    const work = await registry.works.registerWork(actor, {
      kind: 'text',
      titles: [{ lang: 'ko', title: '허락' }],
      rightsHolders: [{ rightsHolderId: creator.rightsHolderId!, role: 'author', share: 100 }],
      policy: {
        'ai-train': {
          kind: 'license',
          terms: { price: { amountMinor: 1000, currency: 'KRW' }, unit: 'per-work', attribution: true },
        },
      },
    });
    // The permission (registration with its terms) is logged and its receipt taken before the later change.
    files['permission'] = await receiptFile('permission', `subjectType=work&subjectId=${work.id}`, (items) => items[0]);
    await registry.works.setPolicy(actor, work.id, 'ai-train', { kind: 'allow' });
    files['later'] = await receiptFile('later', `subjectType=work&subjectId=${work.id}`, (items) => items.at(-1));
    const tampered = JSON.parse(await readFile(files['permission'], 'utf8')) as { entry: string };
    tampered.entry = tampered.entry.replace('"license"', '"allow"');
    files['tampered'] = join(dir, 'tampered.json');
    writeFileSync(files['tampered'], JSON.stringify(tampered));
  });

  afterAll(async () => {
    await app.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a receipt offline with the log key', async () => {
    const io = diskIo();
    expect(await runCli(['verify', files['permission']!, '--log-key', vkey], io)).toBe(EXIT.ok);
    expect(io.stdoutText()).toMatch(/verified: entry \d+ of \d+ in heoga\.test\/log: work\.registered of work w_/);
  });

  it('refuses a tampered receipt and a wrong key, saying which check failed (exit 5)', async () => {
    const tampered = diskIo();
    expect(await runCli(['verify', files['tampered']!, '--log-key', vkey], tampered)).toBe(EXIT.notCleared);
    expect(tampered.stderrText()).toContain('PROOF_INVALID');
    const other = loadOrCreateLogKey(join(dir, 'other.key'), 'heoga.test/log').verifierKey;
    const wrongKey = diskIo();
    expect(await runCli(['verify', files['permission']!, '--log-key', other], wrongKey)).toBe(EXIT.notCleared);
    expect(wrongKey.stderrText()).toMatch(/SIGNATURE_INVALID|NOTE/);
  });

  it('proves that the permission precedes the later change, across two checkpoints', async () => {
    const io = diskIo();
    const code = await runCli(
      ['verify-order', files['permission']!, files['later']!, '--log-key', vkey, '--log', url],
      io,
    );
    expect(io.stderrText()).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(io.stdoutText()).toContain('verified order');
    const reversed = diskIo();
    expect(
      await runCli(['verify-order', files['later']!, files['permission']!, '--log-key', vkey, '--log', url], reversed),
    ).toBe(EXIT.notCleared);
    expect(reversed.stderrText()).toContain('NOT in that order');
    const offline = diskIo();
    expect(await runCli(['verify-order', files['permission']!, files['later']!, '--log-key', vkey], offline)).toBe(
      EXIT.usage,
    );
  });
});
