import { fingerprint } from '@heoga/core';
import type { Actor, Registry } from '@heoga/registry';
import { DEMO_STORY } from './demo-story.js';

/** The demo accounts' shared password: a demo catalog is for trying heoga on one machine, never for production. */
export const DEMO_PASSWORD = 'heoga-demo-password';

/** What the demo loader made, for the start-up message and the credentials file. */
export interface DemoCredentials {
  readonly note: string;
  readonly password: string;
  readonly accounts: readonly { readonly email: string; readonly role: string }[];
  readonly developerApiKey: string;
  readonly workIds: readonly string[];
}

/**
 * Loads a small, clearly labelled demo catalog into an empty registry: a creator with three works (text, image,
 * music) and different stances, an organisation with a mandate, and a developer with an API key. Does nothing when
 * the registry already has accounts.
 */
export async function loadDemoCatalog(registry: Registry): Promise<DemoCredentials | undefined> {
  const any = await registry.database.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
  if (any) return undefined;
  const creator = await registry.accounts.signUp({
    email: 'demo.creator@heoga.example',
    password: DEMO_PASSWORD,
    displayName: '[DEMO] 김하늘 (Kim Haneul)',
    role: 'creator',
  });
  const orgAdmin = await registry.accounts.signUp({
    email: 'demo.org@heoga.example',
    password: DEMO_PASSWORD,
    displayName: '[DEMO] Writers association admin',
    role: 'org-admin',
  });
  const developer = await registry.accounts.signUp({
    email: 'demo.developer@heoga.example',
    password: DEMO_PASSWORD,
    displayName: '[DEMO] Model trainer',
    role: 'developer',
  });
  const as = (account: { id: string; role: Actor['role'] }): Actor => ({
    accountId: account.id,
    role: account.role,
    scopes: ['read', 'write', 'check', 'import'],
    via: 'local',
  });
  const holder = creator.rightsHolderId!;
  const organisation = await registry.organisations.createOrganisation(as(orgAdmin), {
    name: '[DEMO] 한국작가협회 Korean Writers Association',
  });
  await registry.organisations.grantMandate(as(creator), organisation.id, holder);
  const works = [
    await registry.works.registerWork(as(creator), {
      kind: 'text',
      titles: [
        { lang: 'ko', title: '[DEMO] 봄비 내리는 골목' },
        { lang: 'en', title: '[DEMO] The Alley in Spring Rain' },
      ],
      identifiers: [
        { scheme: 'isbn', value: '978-89-374-6123-1' },
        { scheme: 'url-prefix', value: 'https://haneul.example/stories/' },
      ],
      rightsHolders: [{ rightsHolderId: holder, role: 'author', share: 100 }],
      // The story's own fingerprints, computed as a creator's device would: a scan finds copies and excerpts of it.
      fingerprints: fingerprint(new TextEncoder().encode(DEMO_STORY), 'text').fingerprints.map((f) => ({
        algorithm: f.algorithm,
        value: f.value,
      })),
      policy: {
        'ai-train': {
          kind: 'license',
          terms: {
            price: { amountMinor: 50_000, currency: 'KRW' },
            unit: 'per-work',
            attribution: true,
            validity: { durationDays: 365 },
          },
        },
        'ai-input': { kind: 'deny' },
        'ai-index': { kind: 'deny' },
        search: { kind: 'allow' },
      },
    }),
    await registry.works.registerWork(as(creator), {
      kind: 'image',
      titles: [{ lang: 'ko', title: '[DEMO] 한강의 새벽 (사진)' }],
      identifiers: [{ scheme: 'url', value: 'https://haneul.example/photos/dawn.jpg' }],
      rightsHolders: [{ rightsHolderId: holder, role: 'author', share: 100 }],
      fingerprints: [{ algorithm: 'sha256', value: 'a'.repeat(64), fileSha256: 'a'.repeat(64) }],
      policy: {
        'ai-train': { kind: 'deny' },
        'ai-input': { kind: 'deny' },
        'ai-index': { kind: 'deny' },
        search: { kind: 'allow' },
      },
    }),
    await registry.works.registerWork(as(creator), {
      kind: 'audio',
      titles: [
        { lang: 'ko', title: '[DEMO] 바람의 노래' },
        { lang: 'en', title: '[DEMO] Song of the Wind' },
      ],
      identifiers: [{ scheme: 'isrc', value: 'KR-A01-26-00001' }],
      rightsHolders: [
        { rightsHolderId: holder, role: 'lyricist', share: 50 },
        { rightsHolderId: organisation.rightsHolderId, role: 'publisher', share: 50 },
      ],
      policy: {
        'ai-train': { kind: 'allow' },
        'ai-train-genai': {
          kind: 'license',
          terms: { price: { amountMinor: 20, currency: 'KRW' }, unit: 'per-1k-tokens', attribution: false },
        },
        'ai-input': { kind: 'allow' },
        'ai-index': { kind: 'allow' },
        search: { kind: 'allow' },
      },
    }),
  ];
  const { key } = await registry.accounts.createApiKey(
    { ...as(developer), via: 'local' },
    { name: 'demo', scopes: ['read', 'check'] },
  );
  return {
    note: 'DEMO data for trying heoga locally. Start with --no-demo (or HEOGA_DEMO=0) for a real deployment.',
    password: DEMO_PASSWORD,
    accounts: [
      { email: 'demo.creator@heoga.example', role: 'creator' },
      { email: 'demo.org@heoga.example', role: 'org-admin' },
      { email: 'demo.developer@heoga.example', role: 'developer' },
    ],
    developerApiKey: key,
    workIds: works.map((w) => w.id),
  };
}
