import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../registry/test/engines.js';
import { JSON_BODY_LIMIT } from '../src/index.js';
import { call, expectProblem, makeAccount, openTestApp, type TestAccount } from './harness.js';

interface ImportReport {
  outcome: 'committed' | 'dry-run' | 'rejected';
  importId: string | null;
  organisationId: string;
  fileSha256: string;
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: { line: number; path: string; message: string }[];
}

interface Work {
  id: string;
  externalId: string | null;
  organisationId: string | null;
  version: number;
  rightsHolders: { name: string; share: number }[];
  policy: Record<string, { kind: string }>;
}

const HEADER =
  'external_id,kind,title:ko,title:en,isbn,url_prefix,rights_holders,ai-train,ai-input,search,price,currency,unit,attribution';

describeEachEngine('server: catalog import over HTTP', (get) => {
  let app: FastifyInstance;
  let admin: TestAccount;
  let organisation: { id: string; rightsHolderId: string };
  let catalog: string;

  const post = (body: string, query: string, contentType = 'text/csv', id = organisation.id) =>
    call(app, {
      method: 'POST',
      url: `/v1/organisations/${id}/imports?${query}`,
      as: { key: admin.key },
      body,
      contentType,
    });
  const works = async () => {
    const response = await call(app, { method: 'GET', url: '/v1/works?limit=500', as: { key: admin.key } });
    expect(response.statusCode).toBe(200);
    return response.json<{ items: Work[] }>().items;
  };
  const counts = async () => {
    const db = get().registry.database.db;
    const [w] = await db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute();
    const [e] = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute();
    const [r] = await db
      .selectFrom('rights_holders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute();
    return { works: Number(w?.n), events: Number(e?.n), rightsHolders: Number(r?.n) };
  };

  beforeAll(async () => {
    const { registry } = get();
    app = await openTestApp(registry);
    admin = await makeAccount(registry, 'admin@association.example', 'org-admin');
    const created = await call(app, {
      method: 'POST',
      url: '/v1/organisations',
      as: { key: admin.key },
      body: { name: '한국작가협회' },
    });
    expect(created.statusCode).toBe(201);
    organisation = created.json();
    catalog = [
      HEADER,
      'KWA-0001,text,소나기,The Shower,978-89-374-6123-1,,name=황순원:author:100,license,deny,allow,50000,KRW,per-work,yes',
      'KWA-0002,text,운수 좋은 날,A Lucky Day,,https://kwa.example/lucky/,name=현진건:author:100,deny,deny,allow,,,,',
      `KWA-0003,audio,바람의 노래,,,,name=김하늘:lyricist:50|${organisation.rightsHolderId}:publisher:50,allow,,,,,,`,
      '',
    ].join('\n');
  });
  afterAll(async () => {
    await app.close();
  });

  it('imports a CSV catalog: a committed report, and the works are there', async () => {
    const response = await post(catalog, 'format=csv');
    expect(response.statusCode).toBe(200);
    const report = response.json<ImportReport>();
    expect(report).toMatchObject({
      outcome: 'committed',
      organisationId: organisation.id,
      fileSha256: createHash('sha256').update(catalog).digest('hex'),
      rowsTotal: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
    });
    expect(report.importId).toEqual(expect.any(String));

    const imported = await works();
    expect(imported.map((w) => w.externalId).sort()).toEqual(['KWA-0001', 'KWA-0002', 'KWA-0003']);
    expect(imported.every((w) => w.organisationId === organisation.id)).toBe(true);
    const song = imported.find((w) => w.externalId === 'KWA-0003');
    expect(song?.rightsHolders.map((h) => [h.name, h.share]).sort()).toEqual([
      ['김하늘', 50],
      ['한국작가협회', 50],
    ]);

    // The named people are now rights holders the organisation represents.
    const holders = await call(app, { method: 'GET', url: '/v1/rights-holders', as: { key: admin.key } });
    expect(holders.json<{ items: { name: string }[] }>().items.map((h) => h.name)).toEqual(
      expect.arrayContaining(['황순원', '현진건', '김하늘']),
    );

    // And developers see the policy through the check endpoint.
    const developer = await makeAccount(get().registry, 'dev@example.com', 'developer');
    const check = await call(app, {
      method: 'POST',
      url: '/v1/check',
      as: { key: developer.key },
      body: {
        regime: 'permission-first',
        use: 'ai-train',
        items: [
          { identifier: { scheme: 'isbn', value: '9788937461231' } },
          { url: 'https://kwa.example/lucky/chapter-1' },
        ],
      },
    });
    const outcomes = check
      .json<{ results: { verdict: { outcome: string } }[] }>()
      .results.map((r) => r.verdict.outcome);
    expect(outcomes).toEqual(['license-required', 'blocked']);
  });

  it('re-posting the same catalog changes nothing: every row unchanged, no duplicates', async () => {
    const before = await works();
    const beforeCounts = await counts();
    const response = await post(catalog, 'format=csv');
    expect(response.statusCode).toBe(200);
    expect(response.json<ImportReport>()).toMatchObject({
      outcome: 'committed',
      rowsTotal: 3,
      created: 0,
      updated: 0,
      unchanged: 3,
      rejected: 0,
    });
    expect(await works()).toEqual(before);
    // Only the import itself is recorded (one event): no new rights holders or works.
    expect(await counts()).toEqual({ ...beforeCounts, events: beforeCounts.events + 1 });
  });

  it('dryRun=true reports what would happen and writes nothing', async () => {
    const changed = catalog
      .replace('deny,deny,allow,,,,', 'allow,deny,allow,,,,')
      .concat('KWA-0004,image,새벽,,,,name=황순원:author:100,deny,deny,deny,,,,\n');
    const before = await works();
    const beforeCounts = await counts();
    const response = await post(changed, 'format=csv&dryRun=true');
    expect(response.statusCode).toBe(200);
    expect(response.json<ImportReport>()).toMatchObject({
      outcome: 'dry-run',
      importId: null,
      rowsTotal: 4,
      created: 1,
      updated: 1,
      unchanged: 2,
      rejected: 0,
    });
    expect(await counts()).toEqual(beforeCounts);
    expect(await works()).toEqual(before);
    expect(before.find((w) => w.externalId === 'KWA-0002')?.policy['ai-train']).toEqual({ kind: 'deny' });
  });

  it("invalid rows are 422 IMPORT_REJECTED, each error's path starting with its line; nothing is written", async () => {
    const bad = [
      HEADER,
      'KWA-0101,text,좋은 줄,,,,name=황순원:author:100,deny,,,,,,',
      'KWA-0102,text,나쁜 ISBN,,978-89-374-6123-2,,name=황순원:author:100,deny,,,,,,',
      'KWA-0103,text,나쁜 지분,,,,name=황순원:author:60,deny,,,,,,',
      'KWA-0104,poem,나쁜 종류,,,,name=황순원:author:100,deny,,,,,,',
      'KWA-0105,text,나쁜 값,,,,name=황순원:author:100,license,,,fifty,KRW,per-work,yes',
      '',
    ].join('\n');
    const beforeCounts = await counts();
    const response = await post(bad, 'format=csv');
    const problem = expectProblem(response, 'IMPORT_REJECTED');
    const paths = problem.errors?.map((e) => e.path) ?? [];
    expect(paths.length).toBeGreaterThanOrEqual(4);
    for (const path of paths) expect(path).toMatch(/^line \d+: /);
    expect(paths.some((p) => p.startsWith('line 3: identifiers'))).toBe(true);
    expect(paths.some((p) => p.startsWith('line 4: rightsHolders'))).toBe(true);
    expect(paths.some((p) => p.startsWith('line 5: kind'))).toBe(true);
    expect(paths.some((p) => p.startsWith('line 6: '))).toBe(true);
    expect(paths.some((p) => p.startsWith('line 2: '))).toBe(false);
    expect(await counts()).toEqual(beforeCounts);

    // partial=true writes the valid row and reports the others.
    const partial = await post(bad, 'format=csv&partial=true');
    expect(partial.statusCode).toBe(200);
    const report = partial.json<ImportReport>();
    expect(report).toMatchObject({ outcome: 'committed', rowsTotal: 5, created: 1, rejected: 4 });
    expect([...new Set(report.errors.map((e) => e.line))]).toEqual([3, 4, 5, 6]);
    expect((await works()).some((w) => w.externalId === 'KWA-0101')).toBe(true);
  });

  it('imports JSON Lines, and reports a line that is not JSON by its number', async () => {
    const lines = [
      JSON.stringify({
        externalId: 'KWA-J1',
        kind: 'text',
        titles: [{ lang: 'ko', title: '메밀꽃 필 무렵' }],
        rightsHolders: [{ name: '이효석', role: 'author', share: 100 }],
        policy: { 'ai-train': { kind: 'deny' } },
      }),
      '',
    ].join('\n');
    const response = await post(lines, 'format=jsonl', 'application/x-ndjson');
    expect(response.statusCode).toBe(200);
    expect(response.json<ImportReport>()).toMatchObject({ outcome: 'committed', created: 1 });

    const broken = await post(`${lines}{"externalId": \n`, 'format=jsonl', 'application/jsonl');
    const problem = expectProblem(broken, 'IMPORT_REJECTED');
    expect(problem.errors?.map((e) => e.path)).toEqual(['line 2: (line)']);
  });

  it('a catalog in the wrong format, or sent as JSON, is refused', async () => {
    expectProblem(await post(catalog, 'format=jsonl'), 'IMPORT_REJECTED');
    expectProblem(await post(JSON.stringify({ rows: [] }), 'format=csv', 'application/json'), 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await post(catalog, 'format=csv', 'text/plain'), 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await post(catalog, 'format=csv', 'text/csv', 'org_nowhere'), 'NOT_FOUND');
    expectProblem(await post(catalog, 'format=csv&dryRun=yes'), 'REQUEST_INVALID');
  });

  it('takes catalogs larger than the JSON limit, and caps the errors it returns', async () => {
    const title = '가'.repeat(400);
    const rows = Array.from({ length: 1100 }, (_, i) => `BIG-${i},poem,${title},,,,name=황순원:author:100,deny,,,,,,`);
    const body = [HEADER, ...rows, ''].join('\n');
    expect(Buffer.byteLength(body)).toBeGreaterThan(JSON_BODY_LIMIT);
    const beforeCounts = await counts();
    const response = await post(body, 'format=csv&dryRun=true');
    expect(response.statusCode).toBe(200);
    const report = response.json<ImportReport>();
    expect(report).toMatchObject({ outcome: 'dry-run', rowsTotal: 1100, rejected: 1100 });
    const rejected = await post(body, 'format=csv');
    expect(expectProblem(rejected, 'IMPORT_REJECTED').errors).toHaveLength(100);
    expect(await counts()).toEqual(beforeCounts);
  });
});
