import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import {
  sha256Hex,
  type Actor,
  type ImportOptions,
  type Organisation,
  type Registry,
  type Work,
} from '../src/index.js';
import { describeEachEngine } from './engines.js';
import { eventTypesOf, expectRegistryError, freshIsbn, newAccount, type TestAccount } from './helpers.js';

/*
 * CSV catalogs (packages/registry/src/services/catalog-format.ts), one work per row after a header line:
 *
 * - `external_id`: the organisation's own id for the work; re-imports update by it (required on every row);
 * - `kind`: text | image | audio | video;
 * - `title:<lang>`: one column per language tag (`title:en`, `title:ko`, `title:zh-Hant`); empty cells are skipped;
 * - identifiers: `isbn`, `issn`, `isrc`, `iswc`, `isan`, `uci`, `kcc`, `url`, `url_prefix` (scheme `url-prefix`),
 *   several values in one cell separated by `|`;
 * - `rights_holders`: `|`-separated entries `id:role:share` (an existing rights holder) or `name=Name:role:share`
 *   (a rights holder known by name: found among those the organisation represents, or created with a mandate to it);
 * - `fingerprints`: `|`-separated `algorithm:value`; `sha256`: a file's SHA-256 (a sha256 fingerprint with its file
 *   hash); `file`: a local file to hash instead (only with the `readFile` import option);
 * - the five use columns `ai-train`, `ai-train-genai`, `ai-input`, `ai-index`, `search`: allow | deny | license |
 *   unknown (empty: unknown); `license` takes its terms from `price` (major units, `2.50`), `currency` (ISO 4217),
 *   `unit` (default per-work) and `attribution` (yes/true/required).
 *
 * JSON Lines catalogs have one work per line as the API takes it (`externalId`, `kind`, `titles`, …), plus `file`,
 * and rights holders given as `{ "name": "…", "role", "share" }`.
 */

const USE_COLUMNS = ['ai-train', 'ai-train-genai', 'ai-input', 'ai-index', 'search'] as const;
const HEADER = [
  'external_id',
  'kind',
  'title:en',
  'title:ko',
  'isbn',
  'isrc',
  'url',
  'url_prefix',
  'rights_holders',
  'fingerprints',
  'sha256',
  ...USE_COLUMNS,
  'price',
  'currency',
  'unit',
  'attribution',
] as const;

type Column = (typeof HEADER)[number] | 'file';
type Row = Partial<Record<Column, string>>;

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV catalog with the usual header (and `file` when a row has one), one line per row unless a cell has one. */
function csvOf(rows: readonly Row[]): string {
  const columns: readonly Column[] = rows.some((r) => r.file !== undefined) ? [...HEADER, 'file'] : HEADER;
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c] ?? '')).join(','))];
  return `${lines.join('\n')}\n`;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describeEachEngine('catalog import', (get) => {
  let registry: Registry;
  let admin: TestAccount;
  let otherAdmin: TestAccount;
  let creator: TestAccount;
  let outsider: TestAccount;
  let developer: TestAccount;

  beforeAll(async () => {
    registry = get().registry;
    [admin, otherAdmin, creator, outsider, developer] = await Promise.all([
      newAccount(registry, 'org-admin', 'Press Admin'),
      newAccount(registry, 'org-admin', 'Other Admin'),
      newAccount(registry, 'creator', 'Mandating Author'),
      newAccount(registry, 'creator', 'Unrepresented Author'),
      newAccount(registry, 'developer'),
    ]);
  });

  /** A fresh organisation of `admin`, which `creator` has given a mandate. */
  async function newOrg(): Promise<Organisation> {
    const org = await registry.organisations.createOrganisation(admin.actor, {
      name: `Press ${randomBytes(3).toString('hex')}`,
    });
    await registry.organisations.grantMandate(creator.actor, org.id, creator.holderId);
    return org;
  }

  const importInto = (
    org: Organisation,
    text: string,
    options: Partial<ImportOptions> = {},
    actor: Actor = admin.actor,
  ) => registry.imports.importCatalog(actor, org.id, bytes(text), { format: 'csv', ...options });

  async function worksOf(org: Organisation): Promise<Work[]> {
    const rows = await registry.database.db
      .selectFrom('works')
      .select('id')
      .where('organisation_id', '=', org.id)
      .orderBy('external_id')
      .execute();
    return Promise.all(rows.map((r) => registry.works.getWorkOrThrow(admin.actor, r.id)));
  }

  async function importsOf(org: Organisation) {
    return registry.database.db
      .selectFrom('imports')
      .selectAll()
      .where('organisation_id', '=', org.id)
      .orderBy('created_at')
      .execute();
  }

  async function holdersNamed(name: string) {
    return registry.database.db.selectFrom('rights_holders').selectAll().where('name', '=', name).execute();
  }

  it('imports a CSV catalog: every column, both rights-holder forms, licence terms, events and an import record', async () => {
    const org = await newOrg();
    const [a, b, c] = [freshIsbn(), freshIsbn(), freshIsbn()];
    const fileHash = sha256Hex(`cover ${org.id}`);
    const heir = `Heir ${org.id}`;
    const text = csvOf([
      {
        external_id: 'b-1',
        kind: 'text',
        'title:en': 'The Shower',
        'title:ko': '소나기',
        isbn: `${a.isbn13} | ${b.isbn10}`,
        url: `https://pub.example/${org.id}/b1`,
        url_prefix: `https://pub.example/${org.id}/b1/`,
        rights_holders: `${org.rightsHolderId}:publisher:40|${creator.holderId}:author:59.5|name=${heir}:other:0.5`,
        fingerprints: `minhash-c5-128:${org.id}-mh|pdq:${org.id}-pdq`,
        sha256: fileHash.toUpperCase(),
        'ai-train': 'deny',
        'ai-input': 'license',
        search: 'allow',
        price: '2.50',
        currency: 'EUR',
        unit: 'per-1k-tokens',
        attribution: 'yes',
      },
      {
        external_id: 'b-2',
        kind: 'text',
        'title:en': 'Title, with "quotes" and a comma',
        isbn: c.isbn13,
        rights_holders: `${creator.holderId}:author:100`,
        'ai-train': 'allow',
        'ai-train-genai': 'unknown',
        'ai-index': 'deny',
      },
    ]);
    const report = await importInto(org, text);
    expect(report).toEqual({
      outcome: 'committed',
      importId: expect.stringMatching(/^imp_/),
      organisationId: org.id,
      fileSha256: sha256Hex(bytes(text)),
      rowsTotal: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
    });

    const [b1, b2] = await worksOf(org);
    expect(b1).toMatchObject({ externalId: 'b-1', organisationId: org.id, kind: 'text', version: 1, status: 'active' });
    expect(b1!.titles).toEqual([
      { lang: 'en', title: 'The Shower' },
      { lang: 'ko', title: '소나기' },
    ]);
    expect(b1!.identifiers.map((i) => `${i.scheme}:${i.value}`).sort()).toEqual(
      [
        `isbn:${a.isbn13}`,
        `isbn:${b.isbn13}`,
        `url:https://pub.example/${org.id}/b1`,
        `url-prefix:https://pub.example/${org.id}/b1/`,
      ].sort(),
    );
    const heirs = await holdersNamed(heir);
    expect(heirs).toHaveLength(1);
    expect(b1!.rightsHolders.map((h) => [h.rightsHolderId, h.role, h.share]).sort()).toEqual(
      [
        [org.rightsHolderId, 'publisher', 40],
        [creator.holderId, 'author', 59.5],
        [heirs[0]!.id, 'other', 0.5],
      ].sort(),
    );
    expect(b1!.fingerprints.map((f) => [f.algorithm, f.value, f.fileSha256]).sort()).toEqual(
      [
        ['minhash-c5-128', `${org.id}-mh`, null],
        ['pdq', `${org.id}-pdq`, null],
        ['sha256', fileHash, fileHash],
      ].sort(),
    );
    expect(b1!.policy).toEqual({
      'ai-train': { kind: 'deny' },
      'ai-train-genai': { kind: 'unknown' },
      'ai-input': {
        kind: 'license',
        terms: { price: { amountMinor: 250, currency: 'EUR' }, unit: 'per-1k-tokens', attribution: true },
      },
      'ai-index': { kind: 'unknown' },
      search: { kind: 'allow' },
    });
    expect(b2).toMatchObject({
      externalId: 'b-2',
      titles: [{ lang: 'en', title: 'Title, with "quotes" and a comma' }],
    });
    expect(b2!.policy['ai-index']).toEqual({ kind: 'deny' });

    // The named rights holder is new, and represented by the organisation.
    const mandates = await registry.database.db
      .selectFrom('mandates')
      .selectAll()
      .where('rights_holder_id', '=', heirs[0]!.id)
      .execute();
    expect(mandates).toEqual([expect.objectContaining({ organisation_id: org.id, revoked_at: null })]);

    const [record] = await importsOf(org);
    expect(record).toMatchObject({
      id: report.importId,
      actor_id: admin.account.id,
      file_sha256: report.fileSha256,
      rows_total: 2,
      rows_imported: 2,
      rows_rejected: 0,
    });
    const events = await registry.database.db
      .selectFrom('events')
      .select(['type', 'subject_id', 'after'])
      .where('type', 'in', ['catalog.imported', 'work.registered'])
      .where('subject_id', 'in', [org.id, b1!.id, b2!.id])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.type, e.subject_id])).toEqual([
      ['work.registered', b1!.id],
      ['work.registered', b2!.id],
      ['catalog.imported', org.id],
    ]);
    expect(JSON.parse(events[2]!.after!)).toMatchObject({ importId: report.importId, created: 2, unchanged: 0 });

    // The check finds imported works by every identifier.
    const check = await registry.check.check(
      { ...developer.actor, scopes: ['check'] },
      {
        regime: 'opt-out',
        use: 'ai-train',
        items: [
          { identifier: { scheme: 'isbn', value: b.isbn10 } },
          { url: `https://pub.example/${org.id}/b1/chapter-2` },
          { sha256: fileHash },
        ],
      },
    );
    for (const result of check.results) {
      expect(result).toMatchObject({ matches: [{ workId: b1!.id }], verdict: { outcome: 'blocked' } });
    }
  });

  it('imports a JSON Lines catalog, skipping blank lines', async () => {
    const org = await newOrg();
    const lyricist = `Lyricist ${org.id}`;
    const fileHash = sha256Hex(`audio ${org.id}`);
    const lines = [
      JSON.stringify({
        externalId: 'j-1',
        kind: 'audio',
        titles: [{ lang: 'ko', title: '노래' }],
        identifiers: [
          { scheme: 'isrc', value: `KR-A12-26-${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` },
        ],
        rightsHolders: [
          { rightsHolderId: creator.holderId, role: 'composer', share: 50 },
          { name: ` ${lyricist} `, role: 'lyricist', share: 50 },
        ],
        policy: { 'ai-train': { kind: 'deny' } },
      }),
      '',
      '   ',
      JSON.stringify({
        externalId: 'j-2',
        kind: 'image',
        titles: [{ lang: 'en', title: 'Cover' }],
        rightsHolders: [{ name: lyricist, role: 'illustrator', share: 100 }],
        fingerprints: [{ algorithm: 'sha256', value: fileHash, fileSha256: fileHash }],
      }),
    ];
    const report = await importInto(org, `${lines.join('\r\n')}\r\n`, { format: 'jsonl' });
    expect(report).toMatchObject({ outcome: 'committed', rowsTotal: 2, created: 2, rejected: 0, errors: [] });
    const [j1, j2] = await worksOf(org);
    const [holder] = await holdersNamed(lyricist);
    expect(j1).toMatchObject({ externalId: 'j-1', kind: 'audio', policy: { 'ai-train': { kind: 'deny' } } });
    expect(j1!.rightsHolders.map((h) => h.rightsHolderId).sort()).toEqual([creator.holderId, holder!.id].sort());
    expect(j2!.rightsHolders).toEqual([
      { rightsHolderId: holder!.id, name: lyricist, role: 'illustrator', share: 100 },
    ]);
    expect(j2!.fingerprints).toEqual([{ algorithm: 'sha256', value: fileHash, fileSha256: fileHash }]);
    expect(await holdersNamed(lyricist)).toHaveLength(1);
  });

  it('reports CSV row errors with the line each row starts on, counting multi-line cells', async () => {
    const org = await newOrg();
    const good = freshIsbn();
    const wrong = freshIsbn().isbn13.replace(/.$/, (d) => String((Number(d) + 1) % 10));
    const holders = `${creator.holderId}:author:100`;
    const text = csvOf([
      // Lines 2–4: a title with two line breaks.
      { external_id: 'l-1', kind: 'text', 'title:en': 'First line\nsecond line\nthird line', rights_holders: holders },
      // Line 5: a wrong check digit.
      { external_id: 'l-2', kind: 'text', 'title:en': 'Bad ISBN', isbn: wrong, rights_holders: holders },
      // Line 6: fine.
      { external_id: 'l-3', kind: 'text', 'title:en': 'Fine', isbn: good.isbn13, rights_holders: holders },
      // Line 7: an unknown kind.
      { external_id: 'l-4', kind: 'novel', 'title:en': 'Bad kind', rights_holders: holders },
      // Line 8: a price with more decimals than the currency has.
      {
        external_id: 'l-5',
        kind: 'text',
        'title:en': 'Bad price',
        rights_holders: holders,
        'ai-train': 'license',
        price: '1.005',
        currency: 'EUR',
      },
      // Line 9: no rights holder the organisation represents.
      { external_id: 'l-6', kind: 'text', 'title:en': 'Not ours', rights_holders: `${outsider.holderId}:author:100` },
      // Line 10: a rights holder that does not exist.
      {
        external_id: 'l-7',
        kind: 'text',
        'title:en': 'Nobody',
        rights_holders: `${creator.holderId}:author:50|rh_nobody:author:50`,
      },
      // Line 11: no external id.
      { kind: 'text', 'title:en': 'Anonymous', rights_holders: holders },
      // Line 12: an unknown stance.
      { external_id: 'l-9', kind: 'text', 'title:en': 'Maybe', rights_holders: holders, search: 'maybe' },
    ]);
    const report = await importInto(org, text);
    expect(report.outcome).toBe('rejected');
    expect(report.importId).toBeNull();
    expect(report.rowsTotal).toBe(9);
    expect(report.rejected).toBe(7);
    expect(report.created).toBe(0);
    expect(report.errors.map((e) => [e.line, e.path])).toEqual([
      [5, 'identifiers[0].value'],
      [7, 'kind'],
      [8, 'price'],
      [9, 'rightsHolders'],
      [10, 'rightsHolders'],
      [11, 'externalId'],
      [12, 'policy.search'],
    ]);
    expect(report.errors.find((e) => e.line === 10)?.message).toBe('unknown rights holder rh_nobody');
    expect(report.errors.find((e) => e.line === 9)?.message).toMatch(/mandate/);
    // Nothing was written.
    expect(await worksOf(org)).toEqual([]);
    expect(await importsOf(org)).toEqual([]);
    const events = await registry.database.db
      .selectFrom('events')
      .select('type')
      .where('subject_id', '=', org.id)
      .where('type', '=', 'catalog.imported')
      .execute();
    expect(events).toEqual([]);
  });

  // csv-parse skips blank lines; the reported line must still be the row's real line.
  it('reports the right line for rows after blank lines in a CSV', async () => {
    const org = await newOrg();
    const holders = `${creator.holderId}:author:100`;
    const text = [
      HEADER.slice(0, 3).concat('rights_holders').join(','),
      `e-1,text,Fine,${holders}`,
      '',
      `e-2,poem,Bad kind,${holders}`,
    ].join('\n');
    const report = await importInto(org, text);
    expect(report.errors.map((e) => [e.line, e.path])).toEqual([[4, 'kind']]);
  });

  it('reports JSON Lines errors with their line numbers', async () => {
    const org = await newOrg();
    const ok = {
      kind: 'text',
      titles: [{ lang: 'en', title: 'T' }],
      rightsHolders: [{ name: 'Somebody', role: 'author', share: 100 }],
    };
    const text = [
      JSON.stringify({ ...ok, externalId: 'x-1' }),
      '',
      '{"externalId": "x-3", ',
      '["an", "array"]',
      JSON.stringify({ ...ok, externalId: 'x-5', rightsHolders: [{ name: 'Somebody', role: 'author', share: 50 }] }),
      JSON.stringify({ ...ok, externalId: 'x-6', file: 42 }),
      JSON.stringify({ ...ok, externalId: 'x-7', colour: 'blue' }),
      'null',
    ].join('\n');
    const report = await importInto(org, text, { format: 'jsonl', partial: true });
    expect(report.errors.map((e) => [e.line, e.path])).toEqual([
      [3, '(line)'],
      [4, '(line)'],
      [5, 'rightsHolders'],
      [6, 'file'],
      [7, '(row)'],
      [8, '(line)'],
    ]);
    expect(report).toMatchObject({ outcome: 'committed', created: 1, rejected: 6, rowsTotal: 7 });
    expect((await worksOf(org)).map((w) => w.externalId)).toEqual(['x-1']);
  });

  it('commits the valid rows and reports the rest with partial', async () => {
    const org = await newOrg();
    const holders = `${creator.holderId}:author:100`;
    const text = csvOf([
      { external_id: 'p-1', kind: 'text', 'title:en': 'One', rights_holders: holders },
      { external_id: 'p-2', kind: 'text', 'title:en': 'Two', rights_holders: `${creator.holderId}:author:101` },
      { external_id: 'p-3', kind: 'text', 'title:en': 'Three', rights_holders: holders, 'ai-train': 'deny' },
    ]);
    const report = await importInto(org, text, { partial: true });
    expect(report).toMatchObject({ outcome: 'committed', rowsTotal: 3, created: 2, rejected: 1 });
    expect(report.errors.map((e) => e.line)).toEqual([3]);
    expect((await worksOf(org)).map((w) => w.externalId)).toEqual(['p-1', 'p-3']);
    expect(await importsOf(org)).toEqual([
      expect.objectContaining({ id: report.importId, rows_total: 3, rows_imported: 2, rows_rejected: 1 }),
    ]);
  });

  it('writes nothing on a dry run, valid or not, and reports what would happen', async () => {
    const org = await newOrg();
    const named = `Dry Heir ${org.id}`;
    const text = csvOf([
      { external_id: 'd-1', kind: 'text', 'title:en': 'One', rights_holders: `name=${named}:author:100` },
      { external_id: 'd-2', kind: 'text', 'title:en': 'Two', rights_holders: `${creator.holderId}:author:100` },
      { external_id: 'd-3', kind: 'text', rights_holders: `${creator.holderId}:author:100` },
    ]);
    const eventsBefore = await registry.database.db.selectFrom('events').select('seq').execute();
    const report = await importInto(org, text, { dryRun: true });
    expect(report).toMatchObject({ outcome: 'dry-run', importId: null, rowsTotal: 3, created: 2, rejected: 1 });
    expect(report.errors.map((e) => [e.line, e.path])).toEqual([[4, 'titles']]);
    expect(await worksOf(org)).toEqual([]);
    expect(await importsOf(org)).toEqual([]);
    expect(await holdersNamed(named)).toEqual([]);
    expect(await registry.database.db.selectFrom('events').select('seq').execute()).toHaveLength(eventsBefore.length);
    // A dry run with partial still writes nothing.
    expect((await importInto(org, text, { dryRun: true, partial: true })).outcome).toBe('dry-run');
    expect(await worksOf(org)).toEqual([]);
  });

  it('is idempotent: a re-import creates nothing and keeps work ids; a changed row is updated to version 2', async () => {
    const org = await newOrg();
    const named = `Reused Heir ${org.id}`;
    const [a, b] = [freshIsbn(), freshIsbn()];
    const rows: Row[] = [
      {
        external_id: 'r-1',
        kind: 'text',
        'title:en': 'One',
        'title:ko': '하나',
        isbn: a.isbn10,
        url_prefix: `https://r.example/${org.id}/`,
        rights_holders: `${creator.holderId}:author:50|name=${named}:translator:50`,
        fingerprints: 'pdq:0011',
        sha256: sha256Hex(`r-1 ${org.id}`),
        'ai-train': 'license',
        search: 'allow',
        price: '1,000',
        currency: 'KRW',
        attribution: 'no',
      },
      {
        external_id: 'r-2',
        kind: 'image',
        'title:en': 'Two',
        isbn: b.isbn13,
        rights_holders: `name=${named}:illustrator:100`,
        'ai-input': 'deny',
      },
      { external_id: 'r-3', kind: 'video', 'title:en': 'Three', rights_holders: `${org.rightsHolderId}:producer:100` },
    ];
    const first = await importInto(org, csvOf(rows));
    expect(first).toMatchObject({ outcome: 'committed', created: 3, updated: 0, unchanged: 0 });
    const before = await worksOf(org);
    expect(before[0]!.policy['ai-train']).toEqual({
      kind: 'license',
      terms: { price: { amountMinor: 1000, currency: 'KRW' }, unit: 'per-work', attribution: false },
    });
    const holders = await holdersNamed(named);
    expect(holders).toHaveLength(1);

    const again = await importInto(org, csvOf(rows));
    expect(again).toMatchObject({ outcome: 'committed', created: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect(again.importId).not.toBe(first.importId);
    const after = await worksOf(org);
    expect(after.map((w) => [w.id, w.version])).toEqual(before.map((w) => [w.id, 1]));
    expect(after).toEqual(before);
    expect(await holdersNamed(named)).toEqual(holders);
    expect(await importsOf(org)).toHaveLength(2);

    // Changing one row updates that work only.
    const changed = rows.map((r) => (r.external_id === 'r-2' ? { ...r, 'title:en': 'Two, revised' } : r));
    const third = await importInto(org, csvOf(changed));
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const latest = await worksOf(org);
    expect(latest.map((w) => [w.externalId, w.version])).toEqual([
      ['r-1', 1],
      ['r-2', 2],
      ['r-3', 1],
    ]);
    expect(latest.map((w) => w.id)).toEqual(before.map((w) => w.id));
    expect(latest[1]!.titles).toEqual([{ lang: 'en', title: 'Two, revised' }]);
    const updates = await registry.database.db
      .selectFrom('events')
      .select('subject_id')
      .where('type', '=', 'work.updated')
      .where(
        'subject_id',
        'in',
        before.map((w) => w.id),
      )
      .execute();
    expect(updates).toEqual([{ subject_id: before[1]!.id }]);
  });

  it('refuses a second row with the same external id in one file, on the later line', async () => {
    const org = await newOrg();
    const holders = `${creator.holderId}:author:100`;
    const text = csvOf([
      { external_id: 'dup', kind: 'text', 'title:en': 'First', rights_holders: holders },
      { external_id: 'other', kind: 'text', 'title:en': 'Other', rights_holders: holders },
      { external_id: ' dup ', kind: 'text', 'title:en': 'Second', rights_holders: holders },
    ]);
    const rejected = await importInto(org, text);
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.errors).toEqual([{ line: 4, path: 'externalId', message: 'external id dup is also on line 2' }]);
    const partial = await importInto(org, text, { partial: true });
    expect(partial).toMatchObject({ created: 2, rejected: 1 });
    expect((await worksOf(org)).map((w) => [w.externalId, w.titles[0]?.title])).toEqual([
      ['dup', 'First'],
      ['other', 'Other'],
    ]);
  });

  it('creates a named rights holder once per organisation, with a mandate, and reuses it', async () => {
    const org = await newOrg();
    const name = `Kim Heir ${org.id}`;
    const coName = `Co Writer ${org.id}`;
    const text = csvOf([
      { external_id: 'n-1', kind: 'text', 'title:en': 'One', rights_holders: `name=${name}:author:100` },
      {
        external_id: 'n-2',
        kind: 'text',
        'title:en': 'Two',
        rights_holders: `name=${name}:author:60|name=${coName}:translator:40`,
      },
    ]);
    await importInto(org, text);
    const [heir] = await holdersNamed(name);
    const [co] = await holdersNamed(coName);
    expect(heir).toMatchObject({ kind: 'person', account_id: null });
    expect(await holdersNamed(name)).toHaveLength(1);
    for (const holder of [heir!, co!]) {
      const mandates = await registry.database.db
        .selectFrom('mandates')
        .select(['organisation_id', 'granted_by', 'revoked_at'])
        .where('rights_holder_id', '=', holder.id)
        .execute();
      expect(mandates).toEqual([{ organisation_id: org.id, granted_by: admin.account.id, revoked_at: null }]);
      expect(await eventTypesOf(registry, holder.id)).toEqual(['rights-holder.created']);
    }
    // A later catalog naming the same person finds them.
    const later = csvOf([
      { external_id: 'n-3', kind: 'text', 'title:en': 'Three', rights_holders: `name=${name}:author:100` },
    ]);
    expect(await importInto(org, later)).toMatchObject({ created: 1 });
    expect(await holdersNamed(name)).toHaveLength(1);
    const works = await worksOf(org);
    expect(works.every((w) => w.rightsHolders.some((h) => h.rightsHolderId === heir!.id))).toBe(true);
    // The organisation admin may act for the new rights holders like any mandated one.
    expect((await registry.organisations.listRightsHolders(admin.actor)).map((h) => h.id)).toEqual(
      expect.arrayContaining([heir!.id, co!.id]),
    );
  });

  it('lets only the organisation’s admins (and operators) import', async () => {
    const org = await newOrg();
    const text = csvOf([
      { external_id: 'f-1', kind: 'text', 'title:en': 'One', rights_holders: `${creator.holderId}:author:100` },
    ]);
    for (const actor of [otherAdmin.actor, creator.actor, developer.actor]) {
      await expectRegistryError(importInto(org, text, {}, actor), 'FORBIDDEN');
    }
    const { key } = await registry.accounts.createApiKey(admin.actor, { name: 'no import', scopes: ['read', 'write'] });
    const keyActor = await registry.accounts.findApiKey(key);
    if (!keyActor) throw new Error('the new API key is not found');
    await expectRegistryError(importInto(org, text, {}, keyActor), 'FORBIDDEN');
    await expectRegistryError(
      registry.imports.importCatalog(admin.actor, 'org_missing', bytes(text), { format: 'csv' }),
      'NOT_FOUND',
    );
    expect(await worksOf(org)).toEqual([]);
    const operator = await newAccount(registry, 'operator');
    expect(await importInto(org, text, {}, operator.actor)).toMatchObject({ outcome: 'committed', created: 1 });
  });

  it('hashes a row’s file with readFile, and reports it as a row error without', async () => {
    const org = await newOrg();
    const content = bytes(`the book's text ${org.id}`);
    const expected = createHash('sha256').update(content).digest('hex');
    const read: string[] = [];
    const readFile = (path: string) => {
      read.push(path);
      if (path === 'covers/missing.png') {
        return Promise.reject(Object.assign(new Error('no such file'), { code: 'ENOENT' }));
      }
      return Promise.resolve(content);
    };
    const holders = `${creator.holderId}:author:100`;
    const text = csvOf([
      { external_id: 'h-1', kind: 'text', 'title:en': 'With file', rights_holders: holders, file: 'texts/book.txt' },
      { external_id: 'h-2', kind: 'image', 'title:en': 'Missing', rights_holders: holders, file: 'covers/missing.png' },
      { external_id: 'h-3', kind: 'text', 'title:en': 'No file', rights_holders: holders },
    ]);
    const without = await importInto(org, text);
    expect(without.outcome).toBe('rejected');
    expect(without.errors.map((e) => [e.line, e.path])).toEqual([
      [2, 'file'],
      [3, 'file'],
    ]);

    const withFiles = await importInto(org, text, { readFile, partial: true });
    expect(read).toEqual(['texts/book.txt', 'covers/missing.png']);
    expect(withFiles.errors).toEqual([{ line: 3, path: 'file', message: 'cannot read covers/missing.png: ENOENT' }]);
    const [h1, h3] = await worksOf(org);
    expect(h1!.fingerprints).toEqual([{ algorithm: 'sha256', value: expected, fileSha256: expected }]);
    expect(h3!.fingerprints).toEqual([]);
  });

  it('refuses a file that is not UTF-8, and reports a CSV that cannot be read as a whole', async () => {
    const org = await newOrg();
    await expectRegistryError(
      registry.imports.importCatalog(admin.actor, org.id, new Uint8Array([0x65, 0xff, 0xfe, 0x0a]), { format: 'csv' }),
      'VALIDATION_FAILED',
    );
    const ragged = `${HEADER.join(',')}\nq-1,text\n`;
    const report = await importInto(org, ragged, { partial: true });
    expect(report.errors).toEqual([{ line: 2, path: '(file)', message: expect.stringMatching(/^not valid CSV/) }]);
    expect(report.created).toBe(0);
    expect(await worksOf(org)).toEqual([]);
  });
});
