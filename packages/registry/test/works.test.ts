import { beforeAll, expect, it } from 'vitest';
import type { Actor, Registry } from '../src/index.js';
import { describeEachEngine } from './engines.js';
import { eventTypesOf, expectRegistryError, freshIsbn, newAccount, workOf, type TestAccount } from './helpers.js';

const EUR_TERMS = { price: { amountMinor: 250, currency: 'EUR' }, unit: 'per-work', attribution: true } as const;

describeEachEngine('works: registration, access, pagination, versions, policies, events', (get) => {
  let registry: Registry;
  let alice: TestAccount;
  let bob: TestAccount;
  let developer: TestAccount;
  let auditor: TestAccount;
  let operator: TestAccount;

  beforeAll(async () => {
    registry = get().registry;
    [alice, bob, developer, auditor, operator] = await Promise.all([
      newAccount(registry, 'creator', 'Alice'),
      newAccount(registry, 'creator', 'Bob'),
      newAccount(registry, 'developer'),
      newAccount(registry, 'auditor'),
      newAccount(registry, 'operator'),
    ]);
  });

  it('registers a work with normalised identifiers, shares and a full policy', async () => {
    const isbn = freshIsbn();
    const work = await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, {
        titles: [
          { lang: 'ko', title: ' 소나기 ' },
          { lang: 'zh-Hant', title: '驟雨' },
        ],
        identifiers: [
          { scheme: 'isbn', value: isbn.isbn10 },
          { scheme: 'isbn', value: isbn.isbn13 },
        ],
        rightsHolders: [
          { rightsHolderId: alice.holderId, role: 'author', share: 66.67 },
          { rightsHolderId: bob.holderId, role: 'translator', share: 33.33 },
        ],
        policy: { 'ai-train': { kind: 'license', terms: EUR_TERMS }, search: { kind: 'allow' } },
      }),
    );
    expect(work).toMatchObject({ status: 'active', version: 1, kind: 'text', externalId: null, organisationId: null });
    expect(work.titles).toEqual([
      { lang: 'ko', title: '소나기' },
      { lang: 'zh-Hant', title: '驟雨' },
    ]);
    // The ISBN-10 and ISBN-13 of the same book are one identifier.
    expect(work.identifiers.map((i) => `${i.scheme}:${i.value}`)).toEqual([`isbn:${isbn.isbn13}`]);
    expect(work.rightsHolders.map((h) => [h.name, h.role, h.share]).sort()).toEqual([
      ['Alice', 'author', 66.67],
      ['Bob', 'translator', 33.33],
    ]);
    expect(work.policy).toEqual({
      'ai-train': { kind: 'license', terms: EUR_TERMS },
      'ai-train-genai': { kind: 'unknown' },
      'ai-input': { kind: 'unknown' },
      'ai-index': { kind: 'unknown' },
      search: { kind: 'allow' },
    });
    expect(await eventTypesOf(registry, work.id)).toEqual(['work.registered']);
  });

  it('refuses shares that do not add up to 100, with the path and the total', async () => {
    const error = await expectRegistryError(
      registry.works.registerWork(
        alice.actor,
        workOf(alice.holderId, {
          rightsHolders: [
            { rightsHolderId: alice.holderId, role: 'author', share: 60 },
            { rightsHolderId: bob.holderId, role: 'translator', share: 30 },
          ],
        }),
      ),
      'VALIDATION_FAILED',
    );
    expect(error.issues).toEqual([{ path: 'rightsHolders', message: 'shares add up to 90 %, not 100 %' }]);
  });

  it('refuses a share with three decimals', async () => {
    const error = await expectRegistryError(
      registry.works.registerWork(
        alice.actor,
        workOf(alice.holderId, {
          rightsHolders: [
            { rightsHolderId: alice.holderId, role: 'author', share: 50.125 },
            { rightsHolderId: bob.holderId, role: 'translator', share: 49.875 },
          ],
        }),
      ),
      'VALIDATION_FAILED',
    );
    expect(error.issues).toContainEqual({
      path: 'rightsHolders[0].share',
      message: 'a share has at most two decimals',
    });
    expect(error.issues).toContainEqual({
      path: 'rightsHolders[1].share',
      message: 'a share has at most two decimals',
    });
  });

  it('refuses an ISBN with a wrong check digit at identifiers[0].value', async () => {
    const { isbn13 } = freshIsbn();
    const wrong = isbn13.slice(0, 12) + String((Number(isbn13.at(12)) + 1) % 10);
    const error = await expectRegistryError(
      registry.works.registerWork(
        alice.actor,
        workOf(alice.holderId, { identifiers: [{ scheme: 'isbn', value: wrong }] }),
      ),
      'VALIDATION_FAILED',
    );
    expect(error.issues).toEqual([
      { path: 'identifiers[0].value', message: `ISBN-13 check character is ${isbn13.at(12)}, not ${wrong.at(12)}` },
    ]);
  });

  it('refuses an unknown rights holder, an unknown title language format, and the same holder twice in one role', async () => {
    const unknown = await expectRegistryError(
      registry.works.registerWork(alice.actor, workOf('rh_nobody')),
      'VALIDATION_FAILED',
    );
    expect(unknown.issues).toEqual([{ path: 'rightsHolders', message: 'unknown rights holder rh_nobody' }]);

    const language = await expectRegistryError(
      registry.works.registerWork(
        alice.actor,
        workOf(alice.holderId, { titles: [{ lang: 'English', title: 'The Shower' }] }),
      ),
      'VALIDATION_FAILED',
    );
    expect(language.issues.map((i) => i.path)).toEqual(['titles[0].lang']);

    const twice = await expectRegistryError(
      registry.works.registerWork(
        alice.actor,
        workOf(alice.holderId, {
          rightsHolders: [
            { rightsHolderId: alice.holderId, role: 'author', share: 50 },
            { rightsHolderId: alice.holderId, role: 'author', share: 50 },
          ],
        }),
      ),
      'VALIDATION_FAILED',
    );
    expect(twice.issues.map((i) => i.path)).toEqual(['rightsHolders[1]']);
    // Refused registrations leave neither works nor events behind.
    const works = await registry.database.db
      .selectFrom('works')
      .select('id')
      .where('created_by', '=', alice.account.id)
      .execute();
    const events = await registry.database.db
      .selectFrom('events')
      .select('id')
      .where('type', '=', 'work.registered')
      .where('actor_id', '=', alice.account.id)
      .execute();
    expect(events).toHaveLength(works.length);
  });

  it('lets a creator register only works naming a rights holder they speak for', async () => {
    await expectRegistryError(registry.works.registerWork(alice.actor, workOf(bob.holderId)), 'FORBIDDEN');
    // Naming oneself alongside another holder is fine.
    const shared = await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, {
        rightsHolders: [
          { rightsHolderId: bob.holderId, role: 'author', share: 99.99 },
          { rightsHolderId: alice.holderId, role: 'illustrator', share: 0.01 },
        ],
      }),
    );
    expect(shared.rightsHolders).toHaveLength(2);
    // An organisation named on the work must be one the creator administers (creators administer none).
    const admin = await newAccount(registry, 'org-admin');
    const org = await registry.organisations.createOrganisation(admin.actor, { name: 'Some Press' });
    await expectRegistryError(
      registry.works.registerWork(alice.actor, workOf(alice.holderId, { organisationId: org.id })),
      'FORBIDDEN',
    );
  });

  it('does not let developers or auditors register works, nor a credential without the write scope', async () => {
    await expectRegistryError(registry.works.registerWork(developer.actor, workOf(alice.holderId)), 'FORBIDDEN');
    await expectRegistryError(registry.works.registerWork(auditor.actor, workOf(alice.holderId)), 'FORBIDDEN');
    const readOnly: Actor = { ...alice.actor, scopes: ['read', 'check'], via: 'api-key' };
    await expectRegistryError(registry.works.registerWork(readOnly, workOf(alice.holderId)), 'FORBIDDEN');
    // An operator may register anything.
    const work = await registry.works.registerWork(operator.actor, workOf(bob.holderId));
    expect(work.rightsHolders[0]?.rightsHolderId).toBe(bob.holderId);
  });

  it('refuses a second work with the same external id (CONFLICT)', async () => {
    await registry.works.registerWork(alice.actor, workOf(alice.holderId, { externalId: 'alice-ext-1' }));
    await expectRegistryError(
      registry.works.registerWork(alice.actor, workOf(alice.holderId, { externalId: 'alice-ext-1' })),
      'CONFLICT',
    );
  });

  it('shows a work’s full record to its rights holder, auditors and operators only', async () => {
    const work = await registry.works.registerWork(alice.actor, workOf(alice.holderId));
    expect((await registry.works.getWorkOrThrow(alice.actor, work.id)).id).toBe(work.id);
    expect((await registry.works.getWorkOrThrow(auditor.actor, work.id)).id).toBe(work.id);
    expect((await registry.works.getWorkOrThrow(operator.actor, work.id)).id).toBe(work.id);
    await expectRegistryError(registry.works.getWorkOrThrow(bob.actor, work.id), 'FORBIDDEN');
    await expectRegistryError(registry.works.getWorkOrThrow(developer.actor, work.id), 'FORBIDDEN');
    await expectRegistryError(registry.works.getWorkOrThrow(alice.actor, 'w_missing'), 'NOT_FOUND');
    await expectRegistryError(
      registry.works.getWorkOrThrow({ ...alice.actor, scopes: ['check'] }, work.id),
      'FORBIDDEN',
    );
    // Anyone may read the public view.
    const open = await registry.works.getPublicWorkOrThrow(work.id);
    expect(open).not.toHaveProperty('rightsHolders');
    await expectRegistryError(registry.works.getPublicWorkOrThrow('w_missing'), 'NOT_FOUND');
  });

  it('pages through a creator’s works with a cursor, newest first, without duplicates or gaps', async () => {
    const carol = await newAccount(registry, 'creator', 'Carol');
    const registered: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const work = await registry.works.registerWork(
        carol.actor,
        workOf(carol.holderId, { titles: [{ lang: 'en', title: `Carol ${i}` }] }),
      );
      registered.push(work.id);
    }
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await registry.works.listWorks(carol.actor, { limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((w) => w.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...registered].reverse());

    // The limit is clamped to 1…500.
    expect((await registry.works.listWorks(carol.actor, { limit: 0 })).items.map((w) => w.id)).toEqual([
      registered.at(-1),
    ]);
    // Exactly a page's worth leaves no cursor behind.
    const all = await registry.works.listWorks(carol.actor, { limit: 7 });
    expect(all.items).toHaveLength(7);
    expect(all.nextCursor).toBeUndefined();

    // Others see none of Carol's works; the auditor sees them all.
    const bobs = await registry.works.listWorks(bob.actor, { limit: 500 });
    expect(bobs.items.some((w) => registered.includes(w.id))).toBe(false);
    const audited: string[] = [];
    cursor = undefined;
    do {
      const page = await registry.works.listWorks(auditor.actor, { limit: 4, ...(cursor ? { cursor } : {}) });
      audited.push(...page.items.map((w) => w.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(new Set(audited).size).toBe(audited.length);
    expect(audited).toEqual(expect.arrayContaining(registered));
    await expectRegistryError(registry.works.listWorks(developer.actor), 'FORBIDDEN');
  });

  it('refuses a cursor it did not give out', async () => {
    const bad = [
      'not a cursor',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
    ];
    for (const cursor of bad) {
      const error = await expectRegistryError(registry.works.listWorks(alice.actor, { cursor }), 'VALIDATION_FAILED');
      expect(error.issues).toEqual([{ path: 'cursor', message: 'invalid cursor' }]);
    }
  });

  it('updates a work only at the expected version, bumping the version and recording the change', async () => {
    const work = await registry.works.registerWork(alice.actor, workOf(alice.holderId));
    const changed = workOf(alice.holderId, { titles: [{ lang: 'en', title: 'A Better Title' }] });
    await expectRegistryError(registry.works.updateWork(alice.actor, work.id, changed, 2), 'VERSION_MISMATCH');
    const v2 = await registry.works.updateWork(alice.actor, work.id, changed, 1);
    expect(v2.version).toBe(2);
    expect(v2.titles).toEqual([{ lang: 'en', title: 'A Better Title' }]);
    await expectRegistryError(registry.works.updateWork(alice.actor, work.id, changed, 1), 'VERSION_MISMATCH');
    // Without an expected version the update goes through.
    expect((await registry.works.updateWork(alice.actor, work.id, workOf(alice.holderId))).version).toBe(3);
    await expectRegistryError(registry.works.updateWork(bob.actor, work.id, changed), 'FORBIDDEN');
    await expectRegistryError(registry.works.updateWork(auditor.actor, work.id, changed), 'FORBIDDEN');
    await expectRegistryError(registry.works.updateWork(alice.actor, 'w_missing', changed), 'NOT_FOUND');
    // A creator cannot hand a work over to rights holders they do not speak for.
    await expectRegistryError(registry.works.updateWork(alice.actor, work.id, workOf(bob.holderId)), 'FORBIDDEN');
    expect((await registry.works.getWorkOrThrow(alice.actor, work.id)).version).toBe(3);

    const updates = await registry.database.db
      .selectFrom('events')
      .select(['type', 'before', 'after'])
      .where('subject_id', '=', work.id)
      .where('type', '=', 'work.updated')
      .orderBy('seq')
      .execute();
    expect(updates).toHaveLength(2);
    expect(JSON.parse(updates[0]!.before!)).toMatchObject({ titles: [{ lang: 'en', title: 'A Work' }] });
    expect(JSON.parse(updates[0]!.after!)).toMatchObject({ titles: [{ lang: 'en', title: 'A Better Title' }] });
  });

  it('records policy.set for every policy change, and licence-terms.changed when licence terms change', async () => {
    const work = await registry.works.registerWork(alice.actor, workOf(alice.holderId));
    const denied = await registry.works.setPolicy(alice.actor, work.id, 'ai-train', { kind: 'deny' }, 1);
    expect(denied.version).toBe(2);
    expect(denied.policy['ai-train']).toEqual({ kind: 'deny' });
    expect(await eventTypesOf(registry, work.id)).toEqual(['work.registered', 'policy.set']);

    await registry.works.setPolicy(alice.actor, work.id, 'ai-input', { kind: 'license', terms: EUR_TERMS });
    expect(await eventTypesOf(registry, work.id)).toEqual([
      'work.registered',
      'policy.set',
      'policy.set',
      'licence-terms.changed',
    ]);
    // The same terms again: a policy event, no terms change.
    await registry.works.setPolicy(alice.actor, work.id, 'ai-input', { kind: 'license', terms: EUR_TERMS });
    const dearer = { ...EUR_TERMS, price: { amountMinor: 500, currency: 'EUR' } };
    const v5 = await registry.works.setPolicy(alice.actor, work.id, 'ai-input', { kind: 'license', terms: dearer });
    expect(v5.version).toBe(5);
    const termEvents = await registry.database.db
      .selectFrom('events')
      .select(['type', 'before', 'after', 'actor_id'])
      .where('subject_id', '=', work.id)
      .where('type', 'in', ['policy.set', 'licence-terms.changed'])
      .orderBy('seq')
      .execute();
    expect(termEvents.map((e) => e.type)).toEqual([
      'policy.set',
      'policy.set',
      'licence-terms.changed',
      'policy.set',
      'policy.set',
      'licence-terms.changed',
    ]);
    const last = termEvents.at(-1)!;
    expect(last.actor_id).toBe(alice.account.id);
    expect(JSON.parse(last.before!)).toEqual({ use: 'ai-input', terms: EUR_TERMS });
    expect(JSON.parse(last.after!)).toEqual({ use: 'ai-input', terms: dearer });

    // Withdrawing the offer is a terms change too.
    await registry.works.setPolicy(alice.actor, work.id, 'ai-input', { kind: 'deny' });
    expect((await eventTypesOf(registry, work.id)).slice(-2)).toEqual(['policy.set', 'licence-terms.changed']);

    // A licence-terms change through updateWork is recorded as well.
    await registry.works.updateWork(
      alice.actor,
      work.id,
      workOf(alice.holderId, { policy: { search: { kind: 'license', terms: EUR_TERMS } } }),
    );
    expect((await eventTypesOf(registry, work.id)).slice(-2)).toEqual(['work.updated', 'licence-terms.changed']);
  });

  it('refuses invalid policies, stale versions and strangers in setPolicy', async () => {
    const work = await registry.works.registerWork(alice.actor, workOf(alice.holderId));
    await expectRegistryError(
      registry.works.setPolicy(alice.actor, work.id, 'ai-train', { kind: 'maybe' }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(
      registry.works.setPolicy(alice.actor, work.id, 'ai-train', {
        kind: 'license',
        terms: { ...EUR_TERMS, price: { amountMinor: 1, currency: 'XXX' } },
      }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(
      registry.works.setPolicy(alice.actor, work.id, 'ai-train', { kind: 'deny' }, 7),
      'VERSION_MISMATCH',
    );
    await expectRegistryError(registry.works.setPolicy(bob.actor, work.id, 'ai-train', { kind: 'deny' }), 'FORBIDDEN');
    await expectRegistryError(
      registry.works.setPolicy(alice.actor, 'w_missing', 'ai-train', { kind: 'deny' }),
      'NOT_FOUND',
    );
    expect(await eventTypesOf(registry, work.id)).toEqual(['work.registered']);
    expect((await registry.works.getWorkOrThrow(alice.actor, work.id)).version).toBe(1);
  });

  it('keeps events append-only: the database refuses UPDATE and DELETE on the events table', async () => {
    const db = registry.database.db;
    const before = await db.selectFrom('events').selectAll().orderBy('seq').execute();
    expect(before.length).toBeGreaterThan(0);
    await expect(db.updateTable('events').set({ type: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    await expect(
      db.updateTable('events').set({ actor_id: null }).where('seq', '=', before[0]!.seq).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('events').execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('events').where('seq', '=', before.at(-1)!.seq).execute()).rejects.toThrow(
      /append-only/,
    );
    expect(await db.selectFrom('events').selectAll().orderBy('seq').execute()).toEqual(before);
  });
});
