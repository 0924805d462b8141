/**
 * Realistic fake scan data for the report tests and the sample report: a snapshot of Korean and English works with
 * rights holders and licence offers, and verdict lines for a dataset that holds some of them. Every name is made up.
 */
import type { LicenceTerms, PreferenceStatement, ReasonCode, Statement, Use } from '@heoga/core';
import type { MatchMethod, VerdictLine, WorkInfo, WorkMatch } from '../../src/types.js';
import type { ReportContext } from '../../src/report/index.js';

export const REGISTRY = 'https://registry.heoga.example';

/** A registry statement offering a licence for `workId` on `terms`, optionally as one rights holder's own offer. */
export function offerStatement(workId: string, terms: LicenceTerms, rightsHolderId?: string): PreferenceStatement {
  return {
    kind: 'preference',
    source: {
      kind: 'registry',
      registry: REGISTRY,
      workId,
      ...(rightsHolderId === undefined ? {} : { rightsHolderId }),
    },
    uses: ['ai-train'],
    stance: { kind: 'license', terms },
    observedAt: '2026-11-24T00:00:00Z',
  };
}

export function krw(amountMinor: number, unit: LicenceTerms['unit'] = 'per-work'): LicenceTerms {
  return { price: { amountMinor, currency: 'KRW' }, unit, attribution: true };
}

export function usd(amountMinor: number, unit: LicenceTerms['unit'] = 'per-work'): LicenceTerms {
  return { price: { amountMinor, currency: 'USD' }, unit, attribution: false };
}

/** A verdict line with the fields a readable record has. */
export function line(
  index: number,
  verdict: 'cleared' | 'blocked' | 'license-required' | 'unknown',
  matches: readonly WorkMatch[],
  extra: {
    offers?: readonly Statement[];
    reason?: ReasonCode;
    accrual?: 'rights-holders' | 'unclaimed-pool';
    use?: Use;
  } = {},
): VerdictLine {
  const reason =
    extra.reason ??
    (verdict === 'cleared'
      ? 'allowed-by-rights-holder'
      : verdict === 'blocked'
        ? 'refused-by-rights-holder'
        : verdict === 'license-required'
          ? 'licence-offered'
          : 'no-permission-found');
  const use = extra.use ?? 'ai-train-genai';
  return {
    index,
    verdict,
    use,
    regime: 'permission-first',
    matches,
    evidence: [],
    reason,
    ...(extra.offers === undefined
      ? {}
      : {
          quote: {
            use,
            offers: extra.offers.map((s) => ({
              statement: s,
              terms: (s as PreferenceStatement & { stance: { kind: 'license'; terms: LicenceTerms } }).stance.terms,
            })),
          },
        }),
    ...(extra.accrual === undefined ? {} : { accrual: { basis: 'statutory-tariff', payee: extra.accrual } }),
  };
}

export function unreadable(index: number, reason: string): VerdictLine {
  return {
    index,
    verdict: 'unreadable',
    use: 'ai-train-genai',
    regime: 'permission-first',
    reason,
    matches: [],
    evidence: [],
  };
}

export function match(workId: string, kind: string, method: MatchMethod, score = 1): WorkMatch {
  return { workId, kind, method, score };
}

export function sampleContext(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    snapshot: {
      id: 'snap-2026-11-25-0900-7f3a',
      createdAt: '2026-11-25T00:00:00Z',
      registry: REGISTRY,
      works: 184_320,
      keyId: 'heoga-registry+5c1e9b07',
    },
    regime: 'permission-first',
    use: 'ai-train-genai',
    startedAt: '2026-11-25T09:00:00Z',
    finishedAt: '2026-11-25T09:12:07Z',
    input: {
      path: 'datasets/ko-web-corpus-2026-11.jsonl.zst',
      format: 'jsonl',
      compression: 'zstd',
      records: 2_400,
      bytes: 3_221_225_472,
      sha256: '9f2c4e1b7a35d08c6e91f4a2b3c5d7e9f0a1b2c3d4e5f60718293a4b5c6d7e8f',
    },
    outputs: [
      {
        name: 'cleared.jsonl',
        bytes: 1_932_735_283,
        sha256: '1b4f0e9d8c7a6b5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7',
        records: 1_320,
      },
      {
        name: 'verdicts.jsonl',
        bytes: 1_148_211,
        sha256: 'c0ffee00d15ea5e5b16b00b5deadbeef0123456789abcdef0123456789abcdef',
        records: 2_400,
      },
      { name: 'quote.json', bytes: 48_213, sha256: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' },
    ],
    scanner: { version: '0.1.0', workers: 8 },
    ...overrides,
  };
}

/** The works of the fake snapshot. */
export const SAMPLE_WORKS: readonly WorkInfo[] = [
  {
    id: 'w-7Q2M9X',
    kind: 'text',
    title: { lang: 'ko', title: '달빛 아래의 정원' },
    disputed: false,
    holders: [
      { id: 'rh-hanbit', name: '도서출판 한빛나래', role: 'publisher', shareBp: 6_000 },
      { id: 'rh-kimhaneul', name: '김하늘', role: 'author', shareBp: 4_000 },
    ],
  },
  {
    id: 'w-3KD81P',
    kind: 'text',
    title: { lang: 'ko', title: '서울, 겨울의 기록' },
    disputed: false,
    holders: [{ id: 'rh-parkseoyeon', name: '박서연', role: 'author', shareBp: 10_000 }],
  },
  {
    id: 'w-Z81QWE',
    kind: 'image',
    title: { lang: 'ko', title: '웹툰 「밤의 정거장」 제12화 표지' },
    disputed: false,
    holders: [
      { id: 'rh-studio-nabi', name: '스튜디오 나비', role: 'producer', shareBp: 7_000 },
      { id: 'rh-leejun', name: '이준', role: 'author', shareBp: 3_000 },
    ],
  },
  {
    id: 'w-A0Y7TT',
    kind: 'audio',
    title: { lang: 'ko', title: '봄날의 기억 (Piano ver.)' },
    disputed: false,
    holders: [
      { id: 'rh-music-trust', name: '가상음악저작권신탁', role: 'organisation', shareBp: 5_000 },
      { id: 'rh-choiyuna', name: '최유나', role: 'performer', shareBp: 2_500 },
      { id: 'rh-sori-records', name: '소리레코드', role: 'phonogram-producer', shareBp: 2_500 },
    ],
  },
  {
    id: 'w-P4HH2C',
    kind: 'image',
    title: { lang: 'en', title: 'Harbour at Dawn, Busan (photograph)' },
    disputed: true,
    holders: [{ id: 'rh-jung-photo', name: 'Jung Minho Photography', role: 'author', shareBp: 10_000 }],
  },
  {
    id: 'w-N5R0LB',
    kind: 'text',
    title: { lang: 'en', title: 'The Quiet Cartographer' },
    disputed: false,
    holders: [
      { id: 'rh-northwind', name: 'Northwind Press Ltd.', role: 'publisher', shareBp: 5_000 },
      { id: 'rh-ahale', name: 'A. Hale', role: 'author', shareBp: 5_000 },
    ],
  },
  {
    id: 'w-V9VID0',
    kind: 'video',
    title: { lang: 'ko', title: '다큐멘터리 「섬마을 사람들」 1부' },
    disputed: false,
    holders: [{ id: 'rh-bada-broadcast', name: '바다방송', role: 'broadcaster', shareBp: 10_000 }],
  },
  {
    id: 'w-K2TX77',
    kind: 'text',
    title: { lang: 'ko', title: '시집 『물의 문장』' },
    disputed: false,
    holders: [{ id: 'rh-kimhaneul', name: '김하늘', role: 'author', shareBp: 10_000 }],
  },
];

/** Offers per work in the fake snapshot. */
const SAMPLE_OFFERS: { readonly [workId: string]: readonly Statement[] } = {
  'w-7Q2M9X': [offerStatement('w-7Q2M9X', krw(1_250_000))],
  'w-3KD81P': [offerStatement('w-3KD81P', krw(800, 'per-item'))],
  'w-Z81QWE': [
    offerStatement('w-Z81QWE', {
      ...krw(15_000, 'per-item'),
      scope: { users: ['commercial'], territories: ['KR'] },
      validity: { durationDays: 365 },
    }),
    offerStatement('w-Z81QWE', { ...krw(6_000, 'per-item'), scope: { users: ['education'] } }),
  ],
  'w-A0Y7TT': [offerStatement('w-A0Y7TT', krw(3, 'per-1k-tokens'))],
  'w-N5R0LB': [offerStatement('w-N5R0LB', usd(250_000)), offerStatement('w-N5R0LB', usd(40_000), 'rh-ahale')],
  'w-K2TX77': [offerStatement('w-K2TX77', krw(2_000_000, 'flat-per-dataset'))],
};

/** A small deterministic generator (mulberry32), so the sample is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NEAR_METHOD: { readonly [kind: string]: MatchMethod } = {
  text: 'minhash',
  image: 'pdq',
  audio: 'chromaprint',
  video: 'video',
};

/** Verdict lines of a fake 2,400-record scan, and the snapshot's lookup. */
export function sampleScan(records = 2_400): {
  lines: VerdictLine[];
  lookupWork: (id: string) => WorkInfo | undefined;
} {
  const next = random(20261125);
  const byId = new Map(SAMPLE_WORKS.map((w) => [w.id, w]));
  // How often each work turns up, roughly: a few works are copied widely.
  const weights: readonly [string, number][] = [
    ['w-7Q2M9X', 14],
    ['w-3KD81P', 9],
    ['w-Z81QWE', 7],
    ['w-A0Y7TT', 5],
    ['w-P4HH2C', 5],
    ['w-N5R0LB', 4],
    ['w-V9VID0', 3],
    ['w-K2TX77', 2],
    ['w-UNKNOWN1', 1],
  ];
  const totalWeight = weights.reduce((s, [, w]) => s + w, 0);
  const pick = (): string => {
    let r = next() * totalWeight;
    for (const [id, w] of weights) {
      r -= w;
      if (r < 0) return id;
    }
    return weights[0]![0];
  };
  const unreadableReasons = [
    'invalid JSON: Unexpected token } in JSON at position 1834',
    'no text, URL or media field found',
    'image could not be decoded: truncated JPEG',
    'record larger than 64 MiB',
  ];
  const lines: VerdictLine[] = [];
  for (let index = 0; index < records; index += 1) {
    const r = next();
    if (r < 0.02) {
      lines.push(unreadable(index, unreadableReasons[Math.floor(next() * next() * unreadableReasons.length)]!));
      continue;
    }
    if (r < 0.72) {
      // Most records match nothing: cleared by a site signal that allows, or unknown under permission first.
      lines.push(line(index, next() < 0.68 ? 'cleared' : 'unknown', []));
      continue;
    }
    const workId = pick();
    const work = byId.get(workId);
    const kind = work?.kind ?? 'text';
    const exact = next() < 0.45;
    const score = exact ? 1 : Math.min(0.999, 0.55 + next() * 0.45);
    const method: MatchMethod = exact ? (kind === 'text' ? 'text-sha256' : 'sha256') : NEAR_METHOD[kind]!;
    const matches = [match(workId, kind, method, score)];
    if (next() < 0.08) {
      const other = pick();
      matches.push(match(other, byId.get(other)?.kind ?? 'text', 'url', 1));
    }
    const offers = matches.flatMap((m) => SAMPLE_OFFERS[m.workId] ?? []);
    if (workId === 'w-P4HH2C' || workId === 'w-V9VID0') lines.push(line(index, 'blocked', matches));
    else if (offers.length > 0) lines.push(line(index, 'license-required', matches, { offers }));
    else if (work === undefined) lines.push(line(index, 'unknown', matches));
    else lines.push(line(index, 'cleared', matches));
  }
  return { lines, lookupWork: (id) => byId.get(id) };
}
