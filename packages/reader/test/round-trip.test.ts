import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AI_CRAWLERS,
  USES,
  effectivePolicy,
  formatContentSignal,
  formatContentUsage,
  tdmPolicyFor,
  tdmrepForPolicy,
  writeAiTxt,
  writeRobotsTxt,
  writeRsl,
  writeTdmPolicy,
  writeTdmrepJson,
  type LicenceTerms,
  type PolicyByUse,
  type StanceKind,
  type Use,
} from '@heoga/core';
import { Fetcher, SignalReader } from '@heoga/reader';
import { startSite, type TestOrigin } from './site.js';

let site: Awaited<ReturnType<typeof startSite>>;
let origin: TestOrigin;

beforeAll(async () => {
  site = await startSite(1);
  origin = site.origins[0] as TestOrigin;
});

afterAll(async () => {
  await site.close();
});

/** Publishes `policy` the way `heoga signals --format all` does (packages/cli/src/commands/signals.ts), on the site. */
function publish(policy: PolicyByUse, terms: LicenceTerms): void {
  const base = origin.origin;
  const licenseUrl = `${base}/license.xml`;
  const tdmPolicyUrl = `${base}/tdm-policy.json`;
  const priced: { [U in Use]?: LicenceTerms } = {};
  for (const u of USES) if (policy[u] === 'license') priced[u] = terms;
  const crawlers = AI_CRAWLERS.filter((c) => c.tokenValid && c.uses.includes('ai-train')).map((c) => c.name);
  origin.routes.clear();
  origin.routes.set('/robots.txt', { body: writeRobotsTxt(policy, { aiCrawlers: crawlers, licenseUrl }) });
  const publication = tdmrepForPolicy(policy, { policyUrl: tdmPolicyUrl });
  origin.routes.set('/.well-known/tdmrep.json', {
    body:
      publication.reservation === 'unset'
        ? '[]\n'
        : writeTdmrepJson([
            {
              location: '/',
              reservation: publication.reservation,
              ...(publication.policyUrl ? { policyUrl: publication.policyUrl } : {}),
            },
          ]),
  });
  const tdm = tdmPolicyFor(policy, { uid: tdmPolicyUrl });
  origin.routes.set('/tdm-policy.json', { body: tdm ? writeTdmPolicy(tdm) : '{}' });
  origin.routes.set('/license.xml', {
    headers: { 'content-type': 'application/rsl+xml' },
    body: writeRsl(policy, { terms: priced, licenceUrl: 'https://heoga.example/buy/w1' }),
  });
  const training = policy['ai-train'] === 'deny' || policy['ai-train'] === 'license';
  origin.routes.set('/ai.txt', { body: writeAiTxt({ refuse: training ? 'all' : [] }) });
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
  const usage = formatContentUsage(policy);
  const signal = formatContentSignal(policy);
  if (usage) headers['content-usage'] = usage;
  if (signal) headers['content-signal'] = signal;
  if (training) headers['x-robots-tag'] = 'noai, noimageai';
  headers['link'] = `<${licenseUrl}>; rel="license"; type="application/rsl+xml"`;
  origin.routes.set('/works/1', { headers, body: '<html><head><title>w</title></head><body></body></html>' });
}

const stance = fc.constantFrom<StanceKind>('allow', 'deny', 'license', 'unknown');

describe('round trip: a policy published as every signal reads back with the same per-use answer', () => {
  it('property over random policies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ train: stance, input: stance, index: stance, search: stance }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom('KRW', 'EUR', 'USD'),
        async (s, amountMinor, currency) => {
          // Content Signals and RSL say `ai-train` for both training uses, so generative training follows training.
          const policy: PolicyByUse = {
            'ai-train': s.train,
            'ai-train-genai': s.train,
            'ai-input': s.input,
            'ai-index': s.index,
            search: s.search,
          };
          const terms: LicenceTerms = { price: { amountMinor, currency }, unit: 'per-work', attribution: false };
          publish(policy, terms);
          const fetcher = new Fetcher({ allowPrivate: true, delayMs: 0 });
          const reader = new SignalReader({ fetcher });
          const report = await reader.read(`${origin.origin}/works/1`);
          fetcher.close();
          const expected = effectivePolicy(policy);
          for (const use of USES) {
            const got = report.answers[use];
            const want = expected[use];
            const context = { use, policy, got: got?.answer, evidence: got?.evidence };
            if (want === 'unknown') {
              // Nothing was chosen; conservative signals (TDMRep's all-TDM reservation, noai, RSL's "only what is
              // permitted") may refuse it, but it never reads as permitted or priced.
              expect(['unknown', 'deny'], JSON.stringify(context)).toContain(got?.answer);
            } else {
              expect(got?.answer, JSON.stringify(context)).toBe(want);
            }
            if (want === 'license') expect(got?.terms?.[0]?.price).toEqual(terms.price);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
