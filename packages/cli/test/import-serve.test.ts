import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo } from '@heoga/cli';
import { createNoteVerifier, openCheckpoint, parseVerifierKey } from '@heoga/core';
import {
  createRegistry,
  defaultDeps,
  openDatabase,
  type Actor,
  type Registry,
  type RegistryDatabase,
} from '@heoga/registry';
import { buildApp, loadServerConfig } from '@heoga/server';
import { memoryIo } from './memory-io.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** A CliIo over the real file system, for commands that open databases and read catalogs. */
function diskIo(vars: Record<string, string> = {}): CliIo & { stdoutText(): string; stderrText(): string } {
  const base = memoryIo({});
  return { ...base, readFile: async (path) => new Uint8Array(await readFile(path)), vars };
}

describe('heoga import', () => {
  let dir: string;
  let database: RegistryDatabase;
  let registry: Registry;
  let orgId: string;
  let holderId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heoga-cli-import-'));
    database = await openDatabase({ engine: 'sqlite', file: join(dir, 'data', 'heoga.sqlite') });
    registry = createRegistry(database, defaultDeps());
    const admin = await registry.accounts.signUp({
      email: 'admin@org.example',
      password: 'a long passphrase',
      displayName: 'Admin',
      role: 'org-admin',
    });
    const actor: Actor = { accountId: admin.id, role: 'org-admin', scopes: ['read', 'write', 'import'], via: 'local' };
    const org = await registry.organisations.createOrganisation(actor, { name: 'Writers' });
    orgId = org.id;
    holderId = (
      await registry.organisations.createRightsHolder(actor, { kind: 'person', name: 'Author', organisationId: org.id })
    ).id;
    await database.close();
    writeFileSync(join(dir, 'cover.jpg'), 'not really a jpeg');
    writeFileSync(
      join(dir, 'catalog.csv'),
      [
        'external_id,kind,title:ko,isbn,rights_holders,ai-train,search,price,currency,unit,attribution,file',
        `A-1,text,첫 작품,978-0-306-40615-7,${holderId}:author:100,license,allow,50000,KRW,per-work,yes,`,
        `A-2,image,표지,,name=Illustrator Kim:illustrator:100,deny,allow,,,,,cover.jpg`,
        '',
      ].join('\n'),
    );
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('dry-runs, imports, and re-imports idempotently against the local data directory', async () => {
    const args = [
      'import',
      join(dir, 'catalog.csv'),
      '--org',
      orgId,
      '--as',
      'admin@org.example',
      '--data',
      join(dir, 'data'),
      '--json',
    ];
    const dry = diskIo();
    expect(await runCli([...args, '--dry-run'], dry)).toBe(EXIT.ok);
    expect(JSON.parse(dry.stdoutText())).toMatchObject({ outcome: 'dry-run', created: 2, rejected: 0 });
    const first = diskIo();
    expect(await runCli(args, first)).toBe(EXIT.ok);
    expect(JSON.parse(first.stdoutText())).toMatchObject({ outcome: 'committed', created: 2 });
    const again = diskIo();
    expect(await runCli(args, again)).toBe(EXIT.ok);
    expect(JSON.parse(again.stdoutText())).toMatchObject({ outcome: 'committed', created: 0, unchanged: 2 });
    // The file was fingerprinted locally: its SHA-256 is stored, not its bytes.
    const db = await openDatabase({ engine: 'sqlite', file: join(dir, 'data', 'heoga.sqlite') });
    try {
      const rows = await db.db.selectFrom('fingerprints').select(['algorithm', 'file_sha256']).execute();
      const expected = createHash('sha256').update('not really a jpeg').digest('hex');
      expect(rows).toEqual([{ algorithm: 'sha256', file_sha256: expected }]);
    } finally {
      await db.close();
    }
  });

  it('reports invalid rows with line numbers and exits 3, writing nothing', async () => {
    writeFileSync(
      join(dir, 'bad.csv'),
      [
        'external_id,kind,title:ko,isbn,rights_holders',
        `B-1,text,좋은 행,,${holderId}:author:100`,
        `B-2,text,나쁜 행,978-0-306-40615-8,${holderId}:author:100`,
        '',
      ].join('\n'),
    );
    const io = diskIo();
    const code = await runCli(
      ['import', join(dir, 'bad.csv'), '--org', orgId, '--as', 'admin@org.example', '--data', join(dir, 'data')],
      io,
    );
    expect(code).toBe(EXIT.invalidInput);
    expect(io.stdoutText()).toContain('rejected: nothing imported');
    expect(io.stdoutText()).toMatch(/line 3: identifiers\[0\]\.value/);
  });

  it('refuses an account that does not administer the organisation (exit 6)', async () => {
    const db = await openDatabase({ engine: 'sqlite', file: join(dir, 'data', 'heoga.sqlite') });
    await createRegistry(db, defaultDeps()).accounts.signUp({
      email: 'other@org.example',
      password: 'a long passphrase',
      displayName: 'Other',
      role: 'org-admin',
    });
    await db.close();
    const io = diskIo();
    expect(
      await runCli(
        ['import', join(dir, 'catalog.csv'), '--org', orgId, '--as', 'other@org.example', '--data', join(dir, 'data')],
        io,
      ),
    ).toBe(EXIT.denied);
    expect(io.stderrText()).toContain('FORBIDDEN');
  });

  it('imports into a running server with an API key read from a file, hashing files locally', async () => {
    const remoteDir = mkdtempSync(join(tmpdir(), 'heoga-cli-remote-'));
    const remoteDb = await openDatabase({ engine: 'sqlite', file: join(remoteDir, 'heoga.sqlite') });
    const remote = createRegistry(remoteDb, defaultDeps());
    const admin = await remote.accounts.signUp({
      email: 'admin@org.example',
      password: 'a long passphrase',
      displayName: 'Admin',
      role: 'org-admin',
    });
    const actor: Actor = {
      accountId: admin.id,
      role: 'org-admin',
      scopes: ['read', 'write', 'import'],
      via: 'session',
    };
    const org = await remote.organisations.createOrganisation(actor, { name: 'Writers' });
    const holder = await remote.organisations.createRightsHolder(actor, {
      kind: 'person',
      name: 'Author',
      organisationId: org.id,
    });
    const { key } = await remote.accounts.createApiKey(actor, { name: 'import', scopes: ['import'] });
    writeFileSync(join(remoteDir, 'key'), `${key}\n`);
    writeFileSync(join(remoteDir, 'cover.jpg'), 'bytes that never leave this machine');
    writeFileSync(
      join(remoteDir, 'catalog.csv'),
      [
        'external_id,kind,title:en,rights_holders,ai-train,file',
        `R-1,image,Cover,${holder.id}:author:100,deny,cover.jpg`,
        '',
      ].join('\n'),
    );
    const app = await buildApp({ registry: remote, config: loadServerConfig({}, { demo: false }), logger: false });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const io = diskIo();
      const code = await runCli(
        [
          'import',
          join(remoteDir, 'catalog.csv'),
          '--org',
          org.id,
          '--server',
          address,
          '--api-key-file',
          join(remoteDir, 'key'),
          '--json',
        ],
        io,
      );
      expect(io.stderrText()).toBe('');
      expect(code).toBe(EXIT.ok);
      expect(JSON.parse(io.stdoutText())).toMatchObject({ outcome: 'committed', created: 1 });
      const fp = await remoteDb.db.selectFrom('fingerprints').select('file_sha256').executeTakeFirstOrThrow();
      expect(fp.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await app.close();
      await remoteDb.close();
      rmSync(remoteDir, { recursive: true, force: true });
    }
  });
});

describe('heoga serve (as a process)', () => {
  it('serves the API on the embedded database with the demo catalog, and stops on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'heoga-serve-'));
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data], {
      env: { ...process.env, HEOGA_LOG_LEVEL: 'warn', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
          const m = /listening on (http:\/\/\S+)/.exec(err);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const health = await fetch(`${url}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const credentials = JSON.parse(readFileSync(join(data, 'demo-credentials.json'), 'utf8')) as {
        developerApiKey: string;
      };
      const check = await fetch(`${url}/v1/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credentials.developerApiKey}` },
        body: JSON.stringify({
          regime: 'permission-first',
          use: 'ai-input',
          items: [{ url: 'https://haneul.example/stories/ch-1' }],
        }),
      });
      const answer = (await check.json()) as { results: { verdict: { outcome: string } }[] };
      expect(answer.results[0]?.verdict.outcome).toBe('blocked');
      const docs = await fetch(`${url}/docs/`);
      expect(docs.status).toBe(200);
      // The transparency log: key created on first start (0600), demo events appended, checkpoint signed.
      expect(statSync(join(data, 'log-signing.key')).mode & 0o777).toBe(0o600);
      const { verifierKey } = (await (await fetch(`${url}/v1/log/key`)).json()) as { verifierKey: string };
      const checkpoint = await (await fetch(`${url}/v1/log/checkpoint`)).text();
      const parsedKey = parseVerifierKey(verifierKey);
      expect(parsedKey.ok).toBe(true);
      if (parsedKey.ok) expect(openCheckpoint(checkpoint, [createNoteVerifier(parsedKey.value)]).ok).toBe(true);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(data, { recursive: true, force: true });
    }
  });
});
