import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '@heoga/registry';
import { openSnapshot, SnapshotIndex } from '@heoga/scanner';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../registry/test/engines.js';
import { call, expectProblem, makeAccount, openTestApp, workBody, type TestAccount } from './harness.js';

describeEachEngine('server: GET /v1/index/snapshot', (get) => {
  let app: FastifyInstance;
  let registry: Registry;
  let developer: TestAccount;
  let writer: TestAccount;
  let dataDir: string;

  beforeAll(async () => {
    registry = get().registry;
    dataDir = mkdtempSync(join(tmpdir(), 'heoga-snapshot-route-'));
    app = await openTestApp(registry, { dataDir });
    const creator = await makeAccount(registry, `snap-creator-${Date.now()}@example.com`, 'creator');
    developer = await makeAccount(registry, `snap-dev-${Date.now()}@example.com`, 'developer', ['check']);
    writer = await makeAccount(registry, `snap-writer-${Date.now()}@example.com`, 'creator', ['read', 'write']);
    await registry.works.registerWork(
      creator.actor,
      workBody(creator.account.rightsHolderId!, {
        identifiers: [{ scheme: 'url-prefix', value: `https://snapshot-route-${Date.now()}.example/` }],
      }),
    );
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a snapshot signed with the log key, the same bytes while nothing changes', async () => {
    const first = await call(app, { method: 'GET', url: '/v1/index/snapshot', as: { key: developer.key } });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/vnd.heoga.index');
    const path = join(dataDir, 'downloaded.heoga');
    writeFileSync(path, first.rawPayload);
    const key = await call(app, { method: 'GET', url: '/v1/log/key' });
    const snapshot = openSnapshot(path, { trustedKey: key.json<{ verifierKey: string }>().verifierKey });
    const count = await registry.matchData.count(developer.actor);
    expect(snapshot.manifest.counts.works).toBe(count);
    const index = SnapshotIndex.attach(snapshot);
    expect(index.work(0).info.id).toMatch(/./);
    index.close();
    const second = await call(app, { method: 'GET', url: '/v1/index/snapshot', as: { key: developer.key } });
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it('needs a credential with the check scope', async () => {
    expectProblem(await call(app, { method: 'GET', url: '/v1/index/snapshot' }), 'UNAUTHENTICATED');
    expectProblem(await call(app, { method: 'GET', url: '/v1/index/snapshot', as: { key: writer.key } }), 'FORBIDDEN');
  });
});
