import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_CHECK_ITEMS,
  type Actor,
  type CheckInput,
  type CheckResult,
  type Registry,
  type Work,
} from '../src/index.js';
import { describeEachEngine } from './engines.js';
import { expectRegistryError, freshIsbn, newAccount, workOf, type TestAccount } from './helpers.js';

type Regime = CheckInput['regime'];
type Use = CheckInput['use'];

function verdictOf(result: CheckResult | undefined) {
  if (!result || !('verdict' in result)) throw new Error(`expected a verdict, got ${JSON.stringify(result)}`);
  return result;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describeEachEngine('check: matching items to works and evaluating regimes', (get) => {
  let registry: Registry;
  let creator: TestAccount;
  let checker: Actor;

  beforeAll(async () => {
    registry = get().registry;
    creator = await newAccount(registry, 'creator');
    const developer = await newAccount(registry, 'developer');
    checker = { accountId: developer.account.id, role: 'developer', scopes: ['check'], via: 'api-key' };
  });

  const check = (regime: Regime, use: Use, items: CheckInput['items']) =>
    registry.check.check(checker, { regime, use, items });

  it('matches every identifier scheme in any accepted spelling, ISBN-10 and ISBN-13 alike', async () => {
    const isbn = freshIsbn();
    const work = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, {
        identifiers: [
          { scheme: 'isbn', value: isbn.isbn13 },
          { scheme: 'issn', value: '0317-8471' },
          { scheme: 'isrc', value: 'US-S1Z-99-00001' },
          { scheme: 'iswc', value: 'T-034.524.680-1' },
          { scheme: 'isan', value: '0000-3BAB-9352-0000-G-0000-0000-Q' },
          { scheme: 'uci', value: 'I700-2987098' },
          { scheme: 'kcc', value: 'C-2020-026202' },
          { scheme: 'url', value: 'https://Example.COM:443/a%7eb?q=1#top' },
        ],
        policy: { 'ai-train': { kind: 'deny' } },
      }),
    );
    expect(work.identifiers.find((i) => i.scheme === 'url')?.value).toBe('https://example.com/a~b?q=1');
    const spellings: CheckInput['items'] = [
      { id: 'isbn10', identifier: { scheme: 'isbn', value: isbn.isbn10 } },
      { id: 'isbn13', identifier: { scheme: 'isbn', value: `ISBN ${isbn.isbn13}` } },
      { id: 'issn', identifier: { scheme: 'issn', value: 'ISSN 03178471' } },
      { id: 'isrc', identifier: { scheme: 'isrc', value: 'ISRC us-s1z-99-00001' } },
      { id: 'iswc', identifier: { scheme: 'iswc', value: 'T0345246801' } },
      { id: 'isan', identifier: { scheme: 'isan', value: 'urn:isan:0000-3bab-9352-0000-g-0000-0000-q' } },
      { id: 'uci', identifier: { scheme: 'uci', value: 'urn:uci:I700-2987098' } },
      { id: 'kcc', identifier: { scheme: 'kcc', value: '제C-2020-026202호' } },
      { id: 'url-identifier', identifier: { scheme: 'url', value: 'https://example.com/a~b?q=1' } },
    ];
    const answer = await check('opt-out', 'ai-train-genai', spellings);
    expect(answer).toMatchObject({ regime: 'opt-out', use: 'ai-train-genai' });
    for (const [i, result] of answer.results.entries()) {
      const { id, matches, verdict } = verdictOf(result);
      expect(id).toBe(spellings[i]!.id);
      expect(matches, id).toEqual([{ workId: work.id, via: 'identifier' }]);
      // ai-train refused restricts ai-train-genai too.
      expect(verdict.outcome, id).toBe('blocked');
      expect(verdict.evidence[0]?.statement).toMatchObject({
        source: { kind: 'registry', registry: 'https://heoga.test', workId: work.id },
      });
    }
  });

  it('matches a URL exactly, after normalisation', async () => {
    const work = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, { identifiers: [{ scheme: 'url', value: 'https://news.example/2026/story' }] }),
    );
    const answer = await check('opt-out', 'search', [
      { url: 'HTTPS://NEWS.example:443/2026/story#comments' },
      { url: 'https://news.example/2026/story/' },
      { url: 'https://news.example/2026/story?page=2' },
    ]);
    expect(answer.results.map((r) => verdictOf(r).matches)).toEqual([[{ workId: work.id, via: 'url' }], [], []]);
  });

  it('matches a registered URL prefix at path boundaries only', async () => {
    const work = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, {
        identifiers: [{ scheme: 'url-prefix', value: 'https://site.example/books/' }],
        policy: { 'ai-input': { kind: 'deny' } },
      }),
    );
    const answer = await check('opt-out', 'ai-input', [
      { id: 'child', url: 'https://site.example/books/1?x=2' },
      { id: 'deep', url: 'https://site.example/books/a/b/c.html' },
      { id: 'itself', url: 'https://site.example/books/' },
      { id: 'other-path', url: 'https://site.example/music/1' },
      { id: 'sibling', url: 'https://site.example/booksale/1' },
      { id: 'parent', url: 'https://site.example/' },
      { id: 'other-host', url: 'https://other.example/books/1' },
    ]);
    const outcome = Object.fromEntries(
      answer.results.map((r) => {
        const v = verdictOf(r);
        return [v.id, [v.matches.map((m) => `${m.via}:${m.workId}`).join(), v.verdict.outcome]];
      }),
    );
    expect(outcome).toEqual({
      child: [`url-prefix:${work.id}`, 'blocked'],
      deep: [`url-prefix:${work.id}`, 'blocked'],
      itself: [`url-prefix:${work.id}`, 'blocked'],
      'other-path': ['', 'cleared'],
      sibling: ['', 'cleared'],
      parent: ['', 'cleared'],
      'other-host': ['', 'cleared'],
    });
  });

  it('lets the longest registered prefix win, and an exact URL count beside it', async () => {
    const broad = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, { identifiers: [{ scheme: 'url-prefix', value: 'https://press.example/' }] }),
    );
    const narrow = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, { identifiers: [{ scheme: 'url-prefix', value: 'https://press.example/series/' }] }),
    );
    const exact = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, { identifiers: [{ scheme: 'url', value: 'https://press.example/series/7' }] }),
    );
    const answer = await check('opt-out', 'search', [
      { url: 'https://press.example/series/7' },
      { url: 'https://press.example/series/8' },
      { url: 'https://press.example/other' },
    ]);
    expect(answer.results.map((r) => verdictOf(r).matches)).toEqual([
      [
        { workId: exact.id, via: 'url' },
        { workId: narrow.id, via: 'url-prefix' },
      ],
      [{ workId: narrow.id, via: 'url-prefix' }],
      [{ workId: broad.id, via: 'url-prefix' }],
    ]);
  });

  it('matches a SHA-256 through a fingerprint’s file hash or a sha256 fingerprint, in any letter case', async () => {
    const fileHash = sha256(`file ${Math.random()}`);
    const direct = sha256(`direct ${Math.random()}`);
    const byFile = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, {
        kind: 'image',
        fingerprints: [{ algorithm: 'pdq', value: 'f'.repeat(64), fileSha256: fileHash }],
      }),
    );
    const byValue = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, { kind: 'image', fingerprints: [{ algorithm: 'sha256', value: direct }] }),
    );
    const answer = await check('opt-out', 'ai-train', [
      { sha256: fileHash.toUpperCase() },
      { sha256: direct },
      { sha256: sha256('unregistered') },
    ]);
    expect(answer.results.map((r) => verdictOf(r).matches)).toEqual([
      [{ workId: byFile.id, via: 'sha256' }],
      [{ workId: byValue.id, via: 'sha256' }],
      [],
    ]);
  });

  it('reports an unreadable identifier in its own item without failing the others', async () => {
    const isbn = freshIsbn();
    const work = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, { identifiers: [{ scheme: 'isbn', value: isbn.isbn13 }] }),
    );
    const wrong = isbn.isbn13.slice(0, 12) + String((Number(isbn.isbn13.at(12)) + 1) % 10);
    const answer = await check('permission-first', 'search', [
      { id: 'bad-isbn', identifier: { scheme: 'isbn', value: wrong } },
      { id: 'good', identifier: { scheme: 'isbn', value: isbn.isbn13 } },
      { id: 'bad-url', url: 'ftp://files.example/x' },
      { id: 'no-host', identifier: { scheme: 'url', value: 'https://' } },
    ]);
    expect(answer.results[0]).toEqual({
      id: 'bad-isbn',
      error: { code: 'IDENTIFIER_INVALID', message: expect.stringContaining('check character') },
    });
    expect(verdictOf(answer.results[1]).matches).toEqual([{ workId: work.id, via: 'identifier' }]);
    expect(answer.results[2]).toMatchObject({ id: 'bad-url', error: { code: 'IDENTIFIER_INVALID' } });
    expect(answer.results[3]).toMatchObject({ id: 'no-host', error: { code: 'IDENTIFIER_INVALID' } });
  });

  it('refuses malformed requests as a whole', async () => {
    const items = Array.from({ length: MAX_CHECK_ITEMS + 1 }, (_, i) => ({ url: `https://bulk.example/${i}` }));
    const tooMany = await expectRegistryError(check('opt-out', 'search', items), 'VALIDATION_FAILED');
    expect(tooMany.issues.map((i) => i.path)).toEqual(['items']);
    await expectRegistryError(check('opt-out', 'search', []), 'VALIDATION_FAILED');
    const twoKeys = await expectRegistryError(
      check('opt-out', 'search', [{ url: 'https://a.example/', sha256: sha256('a') }]),
      'VALIDATION_FAILED',
    );
    expect(twoKeys.issues.map((i) => i.path)).toEqual(['items[0]']);
    await expectRegistryError(check('opt-out', 'search', [{ sha256: 'abc' }]), 'VALIDATION_FAILED');
    await expectRegistryError(
      check('somewhere' as Regime, 'search', [{ url: 'https://a.example/' }]),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(check('opt-out', 'ai-all' as Use, [{ url: 'https://a.example/' }]), 'VALIDATION_FAILED');
    // The largest request allowed is answered in full.
    const full = await check('opt-out', 'search', items.slice(0, MAX_CHECK_ITEMS));
    expect(full.results).toHaveLength(MAX_CHECK_ITEMS);
  });

  it('requires the check scope', async () => {
    const readOnly: Actor = { ...checker, scopes: ['read', 'write', 'import'] };
    await expectRegistryError(
      registry.check.check(readOnly, { regime: 'opt-out', use: 'search', items: [{ url: 'https://a.example/' }] }),
      'FORBIDDEN',
    );
  });

  describe('regimes', () => {
    // A work that refuses AI training, offers AI input on terms, allows search and says nothing about AI indexing.
    let work: Work;
    let url: string;

    beforeAll(async () => {
      url = `https://regimes.example/${freshIsbn().isbn13}`;
      work = await registry.works.registerWork(
        creator.actor,
        workOf(creator.holderId, {
          identifiers: [{ scheme: 'url', value: url }],
          policy: {
            'ai-train': { kind: 'deny' },
            'ai-input': {
              kind: 'license',
              terms: { price: { amountMinor: 1200, currency: 'USD' }, unit: 'per-1k-tokens', attribution: true },
            },
            search: { kind: 'allow' },
            'ai-index': { kind: 'unknown' },
          },
        }),
      );
    });
    const outcomes: Record<Regime, Record<Use, string>> = {
      'permission-first': {
        'ai-train': 'blocked',
        'ai-train-genai': 'blocked',
        'ai-input': 'license-required',
        'ai-index': 'unknown',
        search: 'cleared',
      },
      'opt-out': {
        'ai-train': 'blocked',
        'ai-train-genai': 'blocked',
        'ai-input': 'license-required',
        'ai-index': 'cleared',
        search: 'cleared',
      },
      'use-first-pay-later': {
        'ai-train': 'blocked',
        'ai-train-genai': 'blocked',
        'ai-input': 'cleared',
        'ai-index': 'cleared',
        search: 'cleared',
      },
      'jp-30-4': {
        'ai-train': 'blocked',
        'ai-train-genai': 'blocked',
        'ai-input': 'license-required',
        'ai-index': 'cleared',
        search: 'cleared',
      },
    };
    // What nobody registered yields under each regime.
    const unmatched: Record<Regime, Record<Use, string>> = {
      'permission-first': {
        'ai-train': 'unknown',
        'ai-train-genai': 'unknown',
        'ai-input': 'unknown',
        'ai-index': 'unknown',
        search: 'unknown',
      },
      'opt-out': {
        'ai-train': 'cleared',
        'ai-train-genai': 'cleared',
        'ai-input': 'cleared',
        'ai-index': 'cleared',
        search: 'cleared',
      },
      'use-first-pay-later': {
        'ai-train': 'cleared',
        'ai-train-genai': 'cleared',
        'ai-input': 'cleared',
        'ai-index': 'cleared',
        search: 'cleared',
      },
      'jp-30-4': {
        'ai-train': 'cleared',
        'ai-train-genai': 'cleared',
        'ai-input': 'unknown',
        'ai-index': 'cleared',
        search: 'cleared',
      },
    };

    it('gives every regime’s expected outcome for a registered work and an unmatched URL, for every use', async () => {
      const got: Record<string, Record<string, string>> = {};
      const gotUnmatched: Record<string, Record<string, string>> = {};
      for (const regime of Object.keys(outcomes) as Regime[]) {
        for (const use of Object.keys(outcomes[regime]) as Use[]) {
          const answer = await check(regime, use, [{ url }, { url: 'https://unregistered.example/x' }]);
          const [registered, unknown] = answer.results.map(verdictOf);
          expect(registered!.matches).toEqual([{ workId: work.id, via: 'url' }]);
          expect(unknown!.matches).toEqual([]);
          (got[regime] ??= {})[use] = registered!.verdict.outcome;
          (gotUnmatched[regime] ??= {})[use] = unknown!.verdict.outcome;
        }
      }
      expect(got).toEqual(outcomes);
      expect(gotUnmatched).toEqual(unmatched);
    });

    it('quotes the terms when a licence is required', async () => {
      const answer = await check('permission-first', 'ai-input', [{ url }]);
      const { verdict } = verdictOf(answer.results[0]);
      expect(verdict.reason).toBe('licence-offered');
      expect(verdict.quote?.offers.map((o) => o.terms)).toEqual([
        { price: { amountMinor: 1200, currency: 'USD' }, unit: 'per-1k-tokens', attribution: true },
      ]);
      expect(verdict.evaluatedAt).toBe(answer.at);
    });

    it('accrues remuneration under use-first-pay-later: to rights holders when registered, else the unclaimed pool', async () => {
      const accruals = async (use: Use) => {
        const answer = await check('use-first-pay-later', use, [{ url }, { url: 'https://unregistered.example/y' }]);
        return answer.results.map((r) => {
          const { verdict } = verdictOf(r);
          return [verdict.reason, verdict.accrual?.payee ?? null, verdict.flags];
        });
      };
      expect(await accruals('ai-input')).toEqual([
        ['pay-later-tariff', 'rights-holders', ['pay-later-remuneration-owed']],
        ['pay-later-unidentified', 'unclaimed-pool', ['pay-later-remuneration-owed']],
      ]);
      expect(await accruals('ai-index')).toEqual([
        ['pay-later-unidentified', 'rights-holders', ['pay-later-remuneration-owed']],
        ['pay-later-unidentified', 'unclaimed-pool', ['pay-later-remuneration-owed']],
      ]);
      expect(await accruals('search')).toEqual([
        ['allowed-by-rights-holder', null, []],
        ['pay-later-unidentified', 'unclaimed-pool', ['pay-later-remuneration-owed']],
      ]);
      expect((await accruals('ai-train'))[0]).toEqual(['refused-by-rights-holder', null, []]);
    });

    it('gives the Japanese regime’s reasons and flags', async () => {
      const reasons = async (use: Use) => {
        const answer = await check('jp-30-4', use, [{ url }, { url: 'https://unregistered.example/z' }]);
        return answer.results.map((r) => [verdictOf(r).verdict.reason, verdictOf(r).verdict.flags]);
      };
      expect(await reasons('ai-train')).toEqual([
        ['jp-proviso-refusal', ['jp-proviso']],
        ['jp-non-enjoyment', []],
      ]);
      expect(await reasons('ai-train-genai')).toEqual([
        ['jp-proviso-refusal', ['jp-proviso']],
        ['jp-non-enjoyment', ['jp-enjoyment-purpose-risk']],
      ]);
      expect(await reasons('ai-input')).toEqual([
        ['licence-offered', []],
        ['jp-outside-exception', ['jp-rag-outside-30-4']],
      ]);
      expect(await reasons('search')).toEqual([
        ['allowed-by-rights-holder', []],
        ['jp-search-47-5', []],
      ]);
    });
  });
});
