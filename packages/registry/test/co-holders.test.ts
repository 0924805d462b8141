import { expect, it } from 'vitest';
import { describeEachEngine } from './engines.js';
import { expectRegistryError, newAccount, workOf } from './helpers.js';

describeEachEngine('co-holders keep each other on a work', (get) => {
  it('an organisation under mandate cannot drop the creator from the creator’s work', async () => {
    const { registry } = get();
    const creator = await newAccount(registry, 'creator');
    const admin = await newAccount(registry, 'org-admin');
    const org = await registry.organisations.createOrganisation(admin.actor, { name: 'Press' });
    await registry.organisations.grantMandate(creator.actor, org.id, creator.holderId);
    const work = await registry.works.registerWork(creator.actor, workOf(creator.holderId));
    await expectRegistryError(
      registry.works.updateWork(
        admin.actor,
        work.id,
        workOf(org.rightsHolderId, {
          rightsHolders: [{ rightsHolderId: org.rightsHolderId, role: 'publisher', share: 100 }],
        }),
      ),
      'FORBIDDEN',
    );
    // Changing the work while keeping the creator on it is allowed.
    const updated = await registry.works.updateWork(
      admin.actor,
      work.id,
      workOf(creator.holderId, {
        titles: [{ lang: 'en', title: 'Renamed' }],
        rightsHolders: [
          { rightsHolderId: creator.holderId, role: 'author', share: 90 },
          { rightsHolderId: org.rightsHolderId, role: 'publisher', share: 10 },
        ],
      }),
    );
    expect(updated.rightsHolders.map((rh) => rh.rightsHolderId).sort()).toEqual(
      [creator.holderId, org.rightsHolderId].sort(),
    );
  });

  it('a co-author cannot remove the other co-author, nor leave the work without someone they act for', async () => {
    const { registry } = get();
    const a = await newAccount(registry, 'creator');
    const b = await newAccount(registry, 'creator');
    const both = [
      { rightsHolderId: a.holderId, role: 'author' as const, share: 50 },
      { rightsHolderId: b.holderId, role: 'author' as const, share: 50 },
    ];
    const work = await registry.works.registerWork(a.actor, workOf(a.holderId, { rightsHolders: both }));
    await expectRegistryError(
      registry.works.updateWork(
        b.actor,
        work.id,
        workOf(b.holderId, { rightsHolders: [{ rightsHolderId: b.holderId, role: 'author', share: 100 }] }),
      ),
      'FORBIDDEN',
    );
    const left = await registry.works
      .updateWork(
        a.actor,
        work.id,
        workOf(a.holderId, { rightsHolders: [{ rightsHolderId: b.holderId, role: 'author', share: 100 }] }),
      )
      .catch((e: unknown) => e);
    // A may leave, but then no longer acts for the work: the update must still name a holder A acts for.
    expect(left).toMatchObject({ code: 'FORBIDDEN' });
  });
});
