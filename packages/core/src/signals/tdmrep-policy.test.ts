import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyByUse } from '../policy/protocol-vocabulary.js';
import { parseTdmPolicy, tdmPolicyFor, writeTdmPolicy, type TdmPolicy } from './tdmrep-policy.js';

// research/signals.md §1, "Examples (ours)".
const DIGEST_POLICY = `{ "@context": ["http://www.w3.org/ns/odrl.jsonld", "http://www.w3.org/ns/tdmrep.jsonld"],
  "@type": "Offer", "profile": "http://www.w3.org/ns/tdmrep",
  "uid": "https://clearing.example/policies/artist-42",
  "assigner": { "vcard:fn": "Jane Roe", "vcard:hasURL": "https://clearing.example/license/artist-42" },
  "permission": [{ "action": "tdm:mine", "duty": [{ "action": "compensate" }],
                   "constraint": [{ "leftOperand": "purpose", "operator": "eq", "rightOperand": "tdm:non-research" }] }] }`;

describe('parseTdmPolicy', () => {
  it('reads the digest example', () => {
    expect(parseTdmPolicy(DIGEST_POLICY)).toEqual({
      ok: true,
      value: {
        uid: 'https://clearing.example/policies/artist-42',
        assigner: { name: 'Jane Roe', url: 'https://clearing.example/license/artist-42' },
        permissions: [{ duties: ['compensate'], purpose: 'non-research' }],
      },
      warnings: [],
    });
  });

  it.each([
    ['another action', DIGEST_POLICY.replace('tdm:mine', 'odrl:use')],
    ['another type', DIGEST_POLICY.replace('"Offer"', '"Set"')],
    ['another duty', DIGEST_POLICY.replace('"compensate"', '"attribute"')],
    ['another constraint', DIGEST_POLICY.replace('"purpose"', '"spatial"')],
    ['a prohibition', DIGEST_POLICY.replace('"uid"', '"prohibition": [], "uid"')],
    ['no uid', DIGEST_POLICY.replace('"uid"', '"id"')],
    ['an array', `[${DIGEST_POLICY}]`],
    ['not JSON', '{'],
  ])('refuses %s', (_name, text) => {
    expect(parseTdmPolicy(text).ok).toBe(false);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        parseTdmPolicy(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('writeTdmPolicy', () => {
  const text = fc.string({ maxLength: 12 });
  const policy: fc.Arbitrary<TdmPolicy> = fc.record(
    {
      uid: fc.webUrl(),
      assigner: fc.record(
        {
          name: text,
          nickname: text,
          email: text.map((t) => `mailto:${t}`),
          telephone: text.map((t) => `tel:${t}`),
          url: fc.webUrl(),
          address: fc.record(
            { streetAddress: text, postalCode: text, locality: text, countryName: text },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
      permissions: fc.array(
        fc.record(
          {
            target: fc.webUrl(),
            duties: fc.subarray(['obtainConsent', 'compensate'] as const),
            purpose: fc.constantFrom('research' as const, 'non-research' as const),
          },
          { requiredKeys: ['duties'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['uid', 'permissions'] },
  );

  it('parse(write(policy)) gives back the policy', () => {
    fc.assert(
      fc.property(policy, (p) => {
        expect(parseTdmPolicy(writeTdmPolicy(p))).toEqual({ ok: true, value: p, warnings: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('writes a compensate duty for a priced use', () => {
    const byUse: PolicyByUse = {
      'ai-train': 'license',
      'ai-train-genai': 'license',
      'ai-input': 'deny',
      'ai-index': 'deny',
      search: 'allow',
    };
    const written = tdmPolicyFor(byUse, {
      uid: 'https://clearing.example/policies/artist-42',
      assigner: { name: 'Jane Roe' },
    });
    expect(written?.permissions).toEqual([{ duties: ['compensate'] }]);
    expect(JSON.parse(writeTdmPolicy(written!))).toMatchObject({
      permission: [{ action: 'tdm:mine', duty: [{ action: 'compensate' }] }],
    });
    expect(tdmPolicyFor({ ...byUse, 'ai-train': 'deny', 'ai-train-genai': 'deny' }, { uid: 'urn:x' })).toBeUndefined();
    expect(
      tdmPolicyFor({ ...byUse, 'ai-train': 'allow', 'ai-train-genai': 'deny' }, { uid: 'urn:x' })?.permissions,
    ).toEqual([{ duties: ['obtainConsent'] }]);
  });
});
