import { beforeAll, expect, it } from 'vitest';
import type { Actor, CheckResult, Registry } from '../src/index.js';
import { describeEachEngine } from './engines.js';
import { eventTypesOf, expectRegistryError, freshIsbn, newAccount, workOf, type TestAccount } from './helpers.js';

function verdictOf(result: CheckResult | undefined) {
  if (!result || !('verdict' in result)) throw new Error(`expected a verdict, got ${JSON.stringify(result)}`);
  return result;
}

describeEachEngine('disputes: colliding claims, the most restrictive stance, resolution', (get) => {
  let registry: Registry;
  let alice: TestAccount;
  let bob: TestAccount;
  let operator: TestAccount;
  let checker: Actor;

  beforeAll(async () => {
    registry = get().registry;
    [alice, bob, operator] = await Promise.all([
      newAccount(registry, 'creator', 'Alice'),
      newAccount(registry, 'creator', 'Bob'),
      newAccount(registry, 'operator'),
    ]);
    checker = { accountId: operator.account.id, role: 'developer', scopes: ['check'], via: 'api-key' };
  });

  async function checkIsbn(isbn: string, use: 'ai-train' | 'search', regime: 'opt-out' | 'permission-first') {
    const answer = await registry.check.check(checker, {
      regime,
      use,
      items: [{ identifier: { scheme: 'isbn', value: isbn } }],
    });
    return verdictOf(answer.results[0]);
  }

  it('opens one dispute when two creators register the same ISBN, and applies the most restrictive stance', async () => {
    const isbn = freshIsbn();
    const first = await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, {
        identifiers: [{ scheme: 'isbn', value: isbn.isbn13 }],
        policy: { 'ai-train': { kind: 'allow' }, search: { kind: 'allow' }, 'ai-input': { kind: 'deny' } },
      }),
    );
    expect(first.status).toBe('active');
    expect((await checkIsbn(isbn.isbn13, 'ai-train', 'opt-out')).verdict.outcome).toBe('cleared');

    const second = await registry.works.registerWork(
      bob.actor,
      workOf(bob.holderId, {
        identifiers: [{ scheme: 'isbn', value: isbn.isbn10 }],
        policy: {
          'ai-train': { kind: 'deny' },
          search: {
            kind: 'license',
            terms: { price: { amountMinor: 1000, currency: 'KRW' }, unit: 'per-work', attribution: false },
          },
        },
      }),
    );
    expect(second.status).toBe('disputed');
    expect((await registry.works.getWorkOrThrow(alice.actor, first.id)).status).toBe('disputed');

    const disputes = (await registry.works.listDisputes(operator.actor, { status: 'open' })).filter((d) =>
      [d.workId, d.otherWorkId].includes(first.id),
    );
    expect(disputes).toEqual([
      expect.objectContaining({
        workId: second.id,
        otherWorkId: first.id,
        claimKind: 'identifier',
        claim: `isbn:${isbn.isbn13}`,
        status: 'open',
        resolvedAt: null,
      }),
    ]);
    const dispute = disputes[0]!;
    expect(await eventTypesOf(registry, dispute.id)).toEqual(['dispute.opened']);
    // Each party sees the dispute about their work; a stranger does not.
    expect((await registry.works.listDisputes(alice.actor)).map((d) => d.id)).toContain(dispute.id);
    expect((await registry.works.listDisputes(bob.actor)).map((d) => d.id)).toContain(dispute.id);
    const carol = await newAccount(registry, 'creator', 'Carol');
    expect((await registry.works.listDisputes(carol.actor)).map((d) => d.id)).not.toContain(dispute.id);

    // The public view of both works shows, per use, the most restrictive stance of the two.
    const views = await registry.works.getPublicWorks([first.id, second.id]);
    for (const view of views) {
      expect(view.status).toBe('disputed');
      expect(view.policy['ai-train']).toEqual({ kind: 'deny' });
      expect(view.policy['ai-input']).toEqual({ kind: 'deny' });
      expect(view.policy.search.kind).toBe('license');
      expect(view.policy['ai-index']).toEqual({ kind: 'unknown' });
    }
    // The check does the same: under opt-out, one refusal blocks.
    const blocked = await checkIsbn(isbn.isbn10, 'ai-train', 'opt-out');
    expect(blocked.verdict.outcome).toBe('blocked');
    expect(blocked.matches.map((m) => m.workId).sort()).toEqual([first.id, second.id].sort());
    expect((await checkIsbn(isbn.isbn13, 'search', 'permission-first')).verdict.outcome).toBe('license-required');

    // Only an operator resolves; the claim's loser must be one of the two works.
    await expectRegistryError(
      registry.works.resolveDispute(alice.actor, dispute.id, { resolution: 'mine', removeClaimFrom: second.id }),
      'FORBIDDEN',
    );
    await expectRegistryError(
      registry.works.resolveDispute(operator.actor, dispute.id, { resolution: 'x', removeClaimFrom: 'w_stranger' }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(
      registry.works.resolveDispute(operator.actor, dispute.id, { resolution: ' ' }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(
      registry.works.resolveDispute(operator.actor, 'dsp_missing', { resolution: 'x' }),
      'NOT_FOUND',
    );

    const resolved = await registry.works.resolveDispute(operator.actor, dispute.id, {
      resolution: 'Alice holds the publishing contract for this ISBN.',
      removeClaimFrom: second.id,
    });
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolution: 'Alice holds the publishing contract for this ISBN.',
    });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(await eventTypesOf(registry, dispute.id)).toEqual(['dispute.opened', 'dispute.resolved']);
    await expectRegistryError(
      registry.works.resolveDispute(operator.actor, dispute.id, { resolution: 'again' }),
      'CONFLICT',
    );

    const winner = await registry.works.getWorkOrThrow(operator.actor, first.id);
    const loser = await registry.works.getWorkOrThrow(operator.actor, second.id);
    expect(winner.status).toBe('active');
    expect(loser.status).toBe('active');
    expect(winner.identifiers.map((i) => i.value)).toEqual([isbn.isbn13]);
    expect(loser.identifiers).toEqual([]);
    expect(loser.version).toBe(2);

    // The check now follows the winner's policy alone.
    const cleared = await checkIsbn(isbn.isbn13, 'ai-train', 'opt-out');
    expect(cleared.verdict.outcome).toBe('cleared');
    expect(cleared.matches).toEqual([{ workId: first.id, via: 'identifier' }]);
    expect((await checkIsbn(isbn.isbn13, 'search', 'permission-first')).verdict.outcome).toBe('cleared');
    expect((await registry.works.getPublicWorkOrThrow(first.id)).policy['ai-train']).toEqual({ kind: 'allow' });
    expect((await registry.works.getPublicWorkOrThrow(second.id)).policy['ai-train']).toEqual({ kind: 'deny' });
  });

  it('does not open a dispute when the same creator registers the same ISBN twice', async () => {
    const isbn = freshIsbn();
    const one = await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, { identifiers: [{ scheme: 'isbn', value: isbn.isbn13 }] }),
    );
    const two = await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, {
        identifiers: [{ scheme: 'isbn', value: isbn.isbn10 }],
        titles: [{ lang: 'en', title: 'Second edition' }],
      }),
    );
    expect(two.status).toBe('active');
    expect((await registry.works.getWorkOrThrow(alice.actor, one.id)).status).toBe('active');
    const open = await registry.database.db
      .selectFrom('disputes')
      .select('id')
      .where((eb) => eb.or([eb('work_id', 'in', [one.id, two.id]), eb('other_work_id', 'in', [one.id, two.id])]))
      .execute();
    expect(open).toEqual([]);
  });

  it('keeps a work disputed while another dispute about it is open', async () => {
    const isbn = freshIsbn();
    const url = `https://books.example/${isbn.isbn13}`;
    const first = await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, {
        identifiers: [
          { scheme: 'isbn', value: isbn.isbn13 },
          { scheme: 'url', value: url },
        ],
      }),
    );
    const second = await registry.works.registerWork(
      bob.actor,
      workOf(bob.holderId, {
        identifiers: [
          { scheme: 'isbn', value: isbn.isbn13 },
          { scheme: 'url', value: url },
        ],
      }),
    );
    const disputes = (await registry.works.listDisputes(operator.actor, { status: 'open' })).filter(
      (d) => d.workId === second.id,
    );
    expect(disputes.map((d) => d.claim).sort()).toEqual([`isbn:${isbn.isbn13}`, `url:${url}`]);
    const byIsbn = disputes.find((d) => d.claim.startsWith('isbn:'))!;
    const byUrl = disputes.find((d) => d.claim.startsWith('url:'))!;
    await registry.works.resolveDispute(operator.actor, byIsbn.id, {
      resolution: 'isbn is Alice’s',
      removeClaimFrom: second.id,
    });
    expect((await registry.works.getPublicWorkOrThrow(first.id)).status).toBe('disputed');
    await registry.works.resolveDispute(operator.actor, byUrl.id, {
      resolution: 'url is Bob’s',
      removeClaimFrom: first.id,
    });
    const [a, b] = await registry.works.getPublicWorks([first.id, second.id]);
    expect([a?.status, b?.status]).toEqual(['active', 'active']);
    expect(a?.identifiers.map((i) => i.scheme)).toEqual(['isbn']);
    expect(b?.identifiers.map((i) => i.scheme)).toEqual(['url']);
  });

  it('opens a dispute on a shared fingerprint and removes only the contested fingerprint from the loser', async () => {
    const first = await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, { fingerprints: [{ algorithm: 'pdq', value: 'f00dcafe' }] }),
    );
    const second = await registry.works.registerWork(
      bob.actor,
      workOf(bob.holderId, {
        fingerprints: [
          { algorithm: 'pdq', value: 'f00dcafe' },
          { algorithm: 'pdq', value: 'aaaa0001' },
        ],
      }),
    );
    expect(second.status).toBe('disputed');
    const [dispute] = (await registry.works.listDisputes(bob.actor, { status: 'open' })).filter(
      (d) => d.workId === second.id,
    );
    expect(dispute).toMatchObject({ claimKind: 'fingerprint', claim: 'pdq:f00dcafe', otherWorkId: first.id });
    await registry.works.resolveDispute(operator.actor, dispute!.id, { resolution: 'a', removeClaimFrom: second.id });
    const loser = await registry.works.getWorkOrThrow(bob.actor, second.id);
    expect(loser.fingerprints.map((f) => f.value)).toEqual(['aaaa0001']);
    expect(loser.status).toBe('active');
  });

  // Only the contested fingerprint goes, compared exactly, not every value that starts with it.
  it('removes only the contested fingerprint, not others that start with it', async () => {
    await registry.works.registerWork(
      alice.actor,
      workOf(alice.holderId, { fingerprints: [{ algorithm: 'pdq', value: 'beef' }] }),
    );
    const second = await registry.works.registerWork(
      bob.actor,
      workOf(bob.holderId, {
        fingerprints: [
          { algorithm: 'pdq', value: 'beef' },
          { algorithm: 'pdq', value: 'beef0123' },
        ],
      }),
    );
    const [dispute] = (await registry.works.listDisputes(bob.actor, { status: 'open' })).filter(
      (d) => d.workId === second.id,
    );
    await registry.works.resolveDispute(operator.actor, dispute!.id, { resolution: 'a', removeClaimFrom: second.id });
    const loser = await registry.works.getWorkOrThrow(bob.actor, second.id);
    expect(loser.fingerprints.map((f) => f.value)).toEqual(['beef0123']);
  });
});
