import { expect, it } from 'vitest';
import { describeEachEngine } from './engines.js';
import type { Actor } from '../src/index.js';

describeEachEngine('registry: sign up, register a work with a policy, check it', (get) => {
  it('does the whole flow and records every change as an event', async () => {
    const { registry } = get();
    const account = await registry.accounts.signUp({
      email: 'Writer@Example.com',
      password: 'correct horse battery',
      displayName: '김작가',
      role: 'creator',
    });
    expect(account.email).toBe('writer@example.com');
    expect(account.rightsHolderId).toBeDefined();
    const session = await registry.accounts.signIn('writer@example.com', 'correct horse battery');
    const found = await registry.accounts.findSession(session.token);
    expect(found?.actor.accountId).toBe(account.id);
    const actor: Actor = found!.actor;

    const work = await registry.works.registerWork(actor, {
      kind: 'text',
      titles: [
        { lang: 'ko', title: '소나기' },
        { lang: 'en', title: 'The Shower' },
      ],
      identifiers: [{ scheme: 'isbn', value: '978-0-306-40615-7' }],
      rightsHolders: [{ rightsHolderId: account.rightsHolderId!, role: 'author', share: 100 }],
      policy: {
        'ai-train': {
          kind: 'license',
          terms: { price: { amountMinor: 50000, currency: 'KRW' }, unit: 'per-work', attribution: true },
        },
        'ai-input': { kind: 'deny' },
        search: { kind: 'allow' },
      },
    });
    expect(work.version).toBe(1);
    expect(work.identifiers[0]?.value).toBe('9780306406157');
    expect(work.policy['ai-index']).toEqual({ kind: 'unknown' });

    const developer = await registry.accounts.signUp({
      email: 'dev@example.com',
      password: 'another good password',
      displayName: 'Dev',
      role: 'developer',
    });
    const devActor: Actor = { accountId: developer.id, role: 'developer', scopes: ['check', 'read'], via: 'api-key' };
    const answer = await registry.check.check(devActor, {
      regime: 'permission-first',
      use: 'ai-train-genai',
      items: [
        { id: 'a', identifier: { scheme: 'isbn', value: '0-306-40615-2' } },
        { id: 'b', url: 'https://nowhere.example/x' },
      ],
    });
    const [a, b] = answer.results;
    expect(a && 'verdict' in a && a.verdict.outcome).toBe('license-required');
    expect(a && 'verdict' in a && a.verdict.quote?.offers[0]?.terms.price.amountMinor).toBe(50000);
    expect(b && 'verdict' in b && b.verdict.outcome).toBe('unknown');

    const events = await registry.database.db.selectFrom('events').select(['seq', 'type']).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual([
      'account.created',
      'rights-holder.created',
      'work.registered',
      'account.created',
    ]);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));
  });
});
