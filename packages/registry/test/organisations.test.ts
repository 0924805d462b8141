import { beforeAll, expect, it } from 'vitest';
import type { Registry } from '../src/index.js';
import { describeEachEngine } from './engines.js';
import { eventTypesOf, expectRegistryError, newAccount, uniqueEmail, workOf, type TestAccount } from './helpers.js';

describeEachEngine('organisations, members, rights holders and mandates', (get) => {
  let registry: Registry;
  let admin: TestAccount;
  let otherAdmin: TestAccount;
  let creator: TestAccount;
  let developer: TestAccount;
  let operator: TestAccount;

  beforeAll(async () => {
    registry = get().registry;
    [admin, otherAdmin, creator, developer, operator] = await Promise.all([
      newAccount(registry, 'org-admin', 'Admin'),
      newAccount(registry, 'org-admin', 'Other Admin'),
      newAccount(registry, 'creator', 'Creator'),
      newAccount(registry, 'developer'),
      newAccount(registry, 'operator'),
    ]);
  });

  it('lets an organisation admin create an organisation and become its admin', async () => {
    const org = await registry.organisations.createOrganisation(admin.actor, { name: ' Hanbit Press ' });
    expect(org.name).toBe('Hanbit Press');
    const membership = await registry.database.db
      .selectFrom('memberships')
      .selectAll()
      .where('organisation_id', '=', org.id)
      .execute();
    expect(membership).toEqual([expect.objectContaining({ account_id: admin.account.id, role: 'admin' })]);
    const holder = await registry.database.db
      .selectFrom('rights_holders')
      .selectAll()
      .where('id', '=', org.rightsHolderId)
      .executeTakeFirstOrThrow();
    expect(holder).toMatchObject({ kind: 'organisation', name: 'Hanbit Press', account_id: null });
    expect((await registry.organisations.listOrganisations(admin.actor)).map((o) => o.id)).toContain(org.id);
    expect((await registry.organisations.listOrganisations(otherAdmin.actor)).map((o) => o.id)).not.toContain(org.id);
    expect((await registry.organisations.listOrganisations(operator.actor)).map((o) => o.id)).toContain(org.id);
    expect(await eventTypesOf(registry, org.id)).toEqual(['organisation.created']);

    await expectRegistryError(registry.organisations.createOrganisation(creator.actor, { name: 'X' }), 'FORBIDDEN');
    await expectRegistryError(registry.organisations.createOrganisation(developer.actor, { name: 'X' }), 'FORBIDDEN');
    await expectRegistryError(
      registry.organisations.createOrganisation(admin.actor, { name: ' ' }),
      'VALIDATION_FAILED',
    );
  });

  it('lets the admin act for a creator’s works under mandate, and no longer once it is revoked', async () => {
    const org = await registry.organisations.createOrganisation(admin.actor, { name: 'Mandated Press' });
    const otherOrg = await registry.organisations.createOrganisation(otherAdmin.actor, { name: 'Rival Press' });
    const before = await registry.works.registerWork(creator.actor, workOf(creator.holderId));

    // Before any mandate the admin can do nothing with the creator's works.
    await expectRegistryError(registry.works.getWorkOrThrow(admin.actor, before.id), 'FORBIDDEN');
    await expectRegistryError(registry.works.registerWork(admin.actor, workOf(creator.holderId)), 'FORBIDDEN');

    // Only the rights holder (or an operator) grants a mandate.
    await expectRegistryError(registry.organisations.grantMandate(admin.actor, org.id, creator.holderId), 'FORBIDDEN');
    await expectRegistryError(
      registry.organisations.grantMandate(creator.actor, org.id, org.rightsHolderId),
      'FORBIDDEN',
    );
    await expectRegistryError(
      registry.organisations.grantMandate(creator.actor, 'org_missing', creator.holderId),
      'NOT_FOUND',
    );
    const mandate = await registry.organisations.grantMandate(creator.actor, org.id, creator.holderId);
    expect(mandate).toMatchObject({ organisationId: org.id, rightsHolderId: creator.holderId, revokedAt: null });
    expect(await eventTypesOf(registry, mandate.id)).toEqual(['mandate.granted']);

    // Now the admin reads and updates the creator's existing work, and registers new ones for them.
    expect((await registry.works.getWorkOrThrow(admin.actor, before.id)).id).toBe(before.id);
    const updated = await registry.works.updateWork(
      admin.actor,
      before.id,
      workOf(creator.holderId, { titles: [{ lang: 'en', title: 'Edited by the press' }] }),
      1,
    );
    expect(updated.version).toBe(2);
    const registered = await registry.works.registerWork(
      admin.actor,
      workOf(creator.holderId, {
        rightsHolders: [
          { rightsHolderId: creator.holderId, role: 'author', share: 70 },
          { rightsHolderId: org.rightsHolderId, role: 'publisher', share: 30 },
        ],
      }),
    );
    expect(await registry.works.setPolicy(admin.actor, registered.id, 'ai-train', { kind: 'deny' })).toMatchObject({
      version: 2,
    });
    const listed = await registry.works.listWorks(admin.actor, { limit: 500 });
    expect(listed.items.map((w) => w.id)).toEqual(expect.arrayContaining([before.id, registered.id]));
    expect((await registry.organisations.listRightsHolders(admin.actor)).map((h) => h.id)).toEqual(
      expect.arrayContaining([creator.holderId, org.rightsHolderId]),
    );
    // The creator still owns the work the press registered.
    expect((await registry.works.getWorkOrThrow(creator.actor, registered.id)).id).toBe(registered.id);

    // The admin of another organisation gets nothing.
    await expectRegistryError(registry.works.getWorkOrThrow(otherAdmin.actor, before.id), 'FORBIDDEN');
    await expectRegistryError(
      registry.works.updateWork(otherAdmin.actor, before.id, workOf(creator.holderId)),
      'FORBIDDEN',
    );
    await expectRegistryError(
      registry.works.setPolicy(otherAdmin.actor, before.id, 'search', { kind: 'deny' }),
      'FORBIDDEN',
    );
    await expectRegistryError(registry.works.registerWork(otherAdmin.actor, workOf(creator.holderId)), 'FORBIDDEN');
    await expectRegistryError(
      registry.works.registerWork(otherAdmin.actor, workOf(otherOrg.rightsHolderId, { organisationId: org.id })),
      'FORBIDDEN',
    );
    expect((await registry.works.listWorks(otherAdmin.actor, { limit: 500 })).items.map((w) => w.id)).not.toContain(
      before.id,
    );

    // Only the rights holder (or an operator) revokes; then the admin is refused again.
    await expectRegistryError(registry.organisations.revokeMandate(admin.actor, mandate.id), 'FORBIDDEN');
    await registry.organisations.revokeMandate(creator.actor, mandate.id);
    await expectRegistryError(registry.organisations.revokeMandate(creator.actor, mandate.id), 'NOT_FOUND');
    expect(await eventTypesOf(registry, mandate.id)).toEqual(['mandate.granted', 'mandate.revoked']);
    await expectRegistryError(registry.works.getWorkOrThrow(admin.actor, before.id), 'FORBIDDEN');
    await expectRegistryError(registry.works.updateWork(admin.actor, before.id, workOf(creator.holderId)), 'FORBIDDEN');
    await expectRegistryError(
      registry.works.setPolicy(admin.actor, before.id, 'search', { kind: 'deny' }),
      'FORBIDDEN',
    );
    await expectRegistryError(registry.works.registerWork(admin.actor, workOf(creator.holderId)), 'FORBIDDEN');
    expect((await registry.organisations.listRightsHolders(admin.actor)).map((h) => h.id)).not.toContain(
      creator.holderId,
    );
    // The work naming the organisation's own rights holder stays the organisation's to read.
    expect((await registry.works.getWorkOrThrow(admin.actor, registered.id)).id).toBe(registered.id);
  });

  // Withdrawing a mandate withdraws the organisation's control of the work, catalog or not.
  it('refuses policy changes to a catalog work after its creator revoked the mandate', async () => {
    const org = await registry.organisations.createOrganisation(admin.actor, { name: 'Catalog Press' });
    const mandate = await registry.organisations.grantMandate(creator.actor, org.id, creator.holderId);
    const work = await registry.works.registerWork(
      admin.actor,
      workOf(creator.holderId, { organisationId: org.id, policy: { 'ai-train': { kind: 'deny' } } }),
    );
    await registry.organisations.revokeMandate(creator.actor, mandate.id);
    await expectRegistryError(registry.works.updateWork(admin.actor, work.id, workOf(creator.holderId)), 'FORBIDDEN');
    await expectRegistryError(
      registry.works.setPolicy(admin.actor, work.id, 'ai-train', { kind: 'allow' }),
      'FORBIDDEN',
    );
  });

  it('lets an operator grant and revoke mandates for anyone', async () => {
    const org = await registry.organisations.createOrganisation(admin.actor, { name: 'Operated Press' });
    const mandate = await registry.organisations.grantMandate(operator.actor, org.id, creator.holderId);
    expect(mandate.grantedBy).toBe(operator.account.id);
    await registry.organisations.revokeMandate(operator.actor, mandate.id);
    await expectRegistryError(registry.organisations.revokeMandate(operator.actor, 'mnd_missing'), 'NOT_FOUND');
  });

  it('requires an organisation when an organisation admin creates a rights holder, and records a mandate', async () => {
    const org = await registry.organisations.createOrganisation(admin.actor, { name: 'Heirs Agency' });
    const otherOrg = await registry.organisations.createOrganisation(otherAdmin.actor, { name: 'Other Agency' });
    const missing = await expectRegistryError(
      registry.organisations.createRightsHolder(admin.actor, { kind: 'person', name: 'Heir' }),
      'VALIDATION_FAILED',
    );
    expect(missing.issues).toEqual([{ path: 'organisationId', message: 'required' }]);
    await expectRegistryError(
      registry.organisations.createRightsHolder(admin.actor, {
        kind: 'person',
        name: 'Heir',
        organisationId: otherOrg.id,
      }),
      'FORBIDDEN',
    );
    await expectRegistryError(
      registry.organisations.createRightsHolder(admin.actor, {
        kind: 'person',
        name: 'Heir',
        organisationId: 'org_missing',
      }),
      'NOT_FOUND',
    );
    await expectRegistryError(
      registry.organisations.createRightsHolder(creator.actor, { kind: 'person', name: 'Heir' }),
      'FORBIDDEN',
    );
    await expectRegistryError(
      registry.organisations.createRightsHolder(admin.actor, {
        kind: 'robot' as never,
        name: 'Heir',
        organisationId: org.id,
      }),
      'VALIDATION_FAILED',
    );

    const heir = await registry.organisations.createRightsHolder(admin.actor, {
      kind: 'person',
      name: ' Heir of Kim ',
      organisationId: org.id,
    });
    expect(heir).toMatchObject({ kind: 'person', name: 'Heir of Kim', hasAccount: false });
    const mandates = await registry.database.db
      .selectFrom('mandates')
      .selectAll()
      .where('rights_holder_id', '=', heir.id)
      .execute();
    expect(mandates).toEqual([
      expect.objectContaining({ organisation_id: org.id, granted_by: admin.account.id, revoked_at: null }),
    ]);
    expect(await eventTypesOf(registry, heir.id)).toEqual(['rights-holder.created']);
    expect(await eventTypesOf(registry, mandates[0]!.id)).toEqual(['mandate.granted']);

    // The admin may now register works of the new rights holder; the other organisation's admin may not.
    const work = await registry.works.registerWork(admin.actor, workOf(heir.id, { organisationId: org.id }));
    expect(work.organisationId).toBe(org.id);
    await expectRegistryError(registry.works.registerWork(otherAdmin.actor, workOf(heir.id)), 'FORBIDDEN');

    // An operator creates rights holders without an organisation.
    const free = await registry.organisations.createRightsHolder(operator.actor, {
      kind: 'organisation',
      name: 'Estate',
    });
    expect(free.kind).toBe('organisation');
    expect(
      await registry.database.db.selectFrom('mandates').select('id').where('rights_holder_id', '=', free.id).execute(),
    ).toEqual([]);
  });

  it('adds members: admins only, existing accounts only, and organisation admins only as admins', async () => {
    const org = await registry.organisations.createOrganisation(admin.actor, { name: 'Members Guild' });
    await registry.organisations.addMember(admin.actor, org.id, {
      email: developer.account.email.toUpperCase(),
      role: 'member',
    });
    expect((await registry.organisations.listOrganisations(developer.actor)).map((o) => o.id)).toContain(org.id);

    const notAdmin = await expectRegistryError(
      registry.organisations.addMember(admin.actor, org.id, { email: creator.account.email, role: 'admin' }),
      'VALIDATION_FAILED',
    );
    expect(notAdmin.issues.map((i) => i.path)).toEqual(['role']);
    await expectRegistryError(
      registry.organisations.addMember(admin.actor, org.id, { email: uniqueEmail('nobody'), role: 'member' }),
      'NOT_FOUND',
    );
    await expectRegistryError(
      registry.organisations.addMember(admin.actor, org.id, { email: 'not-an-email', role: 'member' }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(
      registry.organisations.addMember(otherAdmin.actor, org.id, { email: otherAdmin.account.email, role: 'admin' }),
      'FORBIDDEN',
    );
    await expectRegistryError(
      registry.organisations.addMember(developer.actor, org.id, { email: developer.account.email, role: 'member' }),
      'FORBIDDEN',
    );
    await expectRegistryError(
      registry.organisations.addMember(admin.actor, 'org_missing', { email: developer.account.email, role: 'member' }),
      'NOT_FOUND',
    );

    // A second admin can administer the organisation: create its rights holders and add members.
    const second = await newAccount(registry, 'org-admin', 'Second Admin');
    await registry.organisations.addMember(admin.actor, org.id, { email: second.account.email, role: 'member' });
    await expectRegistryError(
      registry.organisations.createRightsHolder(second.actor, { kind: 'person', name: 'P', organisationId: org.id }),
      'FORBIDDEN',
    );
    await registry.organisations.addMember(admin.actor, org.id, { email: second.account.email, role: 'admin' });
    const holder = await registry.organisations.createRightsHolder(second.actor, {
      kind: 'person',
      name: 'P',
      organisationId: org.id,
    });
    expect(holder.name).toBe('P');
    await registry.organisations.addMember(second.actor, org.id, { email: creator.account.email, role: 'member' });

    const members = await registry.database.db
      .selectFrom('memberships')
      .select(['account_id', 'role'])
      .where('organisation_id', '=', org.id)
      .execute();
    expect(members.map((m) => `${m.account_id}:${m.role}`).sort()).toEqual(
      [
        `${admin.account.id}:admin`,
        `${developer.account.id}:member`,
        `${second.account.id}:admin`,
        `${creator.account.id}:member`,
      ].sort(),
    );
    const events = await registry.database.db
      .selectFrom('events')
      .select(['before', 'after'])
      .where('subject_id', '=', org.id)
      .where('type', '=', 'membership.added')
      .orderBy('seq')
      .execute();
    expect(events).toHaveLength(4);
    // Promoting a member records the role it had.
    expect(JSON.parse(events[2]!.before!)).toEqual({ accountId: second.account.id, role: 'member' });
    expect(JSON.parse(events[2]!.after!)).toEqual({ accountId: second.account.id, role: 'admin' });
  });
});
