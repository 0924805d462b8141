import { describe, expect, it } from 'vitest';
import { REPORT_LIMITS, ScanSummariser, type ScanReport } from '../../src/report/index.js';
import type { VerdictLine, WorkInfo } from '../../src/types.js';
import { krw, line, match, offerStatement, sampleContext, unreadable } from './sample-scan.js';

const WORK_A: WorkInfo = {
  id: 'A',
  kind: 'text',
  title: { lang: 'ko', title: '달빛 아래의 정원' },
  disputed: false,
  holders: [
    { id: 'h1', name: '도서출판 한빛나래', role: 'publisher', shareBp: 6_000 },
    { id: 'h2', name: '김하늘', role: 'author', shareBp: 4_000 },
  ],
};
const WORK_B: WorkInfo = {
  id: 'B',
  kind: 'image',
  disputed: true,
  holders: [{ id: 'h2', name: '김하늘', role: 'author', shareBp: 10_000 }],
};
const WORKS = new Map([WORK_A, WORK_B].map((w) => [w.id, w]));

const offerA = offerStatement('A', krw(1_000));
const offerB = offerStatement('B', krw(50, 'per-item'));

/** Ten records, each verdict at least once, with what every count below follows from. */
const LINES: readonly VerdictLine[] = [
  line(0, 'cleared', []),
  line(1, 'license-required', [match('A', 'text', 'text-sha256')], { offers: [offerA] }),
  line(2, 'license-required', [match('A', 'text', 'minhash', 0.82), match('B', 'image', 'pdq', 0.91)], {
    offers: [offerA, offerB],
  }),
  line(3, 'blocked', [match('B', 'image', 'sha256')]),
  unreadable(4, 'invalid JSON'),
  line(5, 'unknown', [match('C', 'text', 'url')]),
  unreadable(6, 'invalid JSON'),
  unreadable(7, 'record larger than 64 MiB'),
  line(8, 'cleared', [], { reason: 'pay-later-tariff', accrual: 'rights-holders' }),
  line(9, 'license-required', [match('A', 'text', 'text-sha256')], { offers: [offerA] }),
];

function summarise(lines: Iterable<VerdictLine>): { summariser: ScanSummariser; report: ScanReport } {
  const summariser = new ScanSummariser((id) => WORKS.get(id));
  for (const l of lines) summariser.add(l);
  return { summariser, report: summariser.finish(sampleContext()) };
}

const zero = { cleared: 0, blocked: 0, 'license-required': 0, unknown: 0, unreadable: 0 };

describe('ScanSummariser', () => {
  const { report } = summarise(LINES);

  it('counts records by verdict, matches, works and holders', () => {
    expect(report.format).toBe('heoga-scan-report/1');
    expect(report.totals).toEqual({
      records: 10,
      verdicts: { cleared: 2, blocked: 1, 'license-required': 3, unknown: 1, unreadable: 3 },
      matchedRecords: 5,
      matches: 6,
      works: 3,
      unknownWorks: 1,
      holders: 2,
    });
  });

  it('counts reasons, most first, ties by code, and accruals', () => {
    expect(report.reasons).toEqual([
      { reason: 'licence-offered', records: 3 },
      { reason: 'allowed-by-rights-holder', records: 1 },
      { reason: 'no-permission-found', records: 1 },
      { reason: 'pay-later-tariff', records: 1 },
      { reason: 'refused-by-rights-holder', records: 1 },
    ]);
    expect(report.accruals).toEqual({ rightsHolders: 1, unclaimedPool: 0 });
  });

  it('counts a record once per kind and per method, however many of its matches share it', () => {
    expect(report.kinds).toEqual([
      { kind: 'text', records: 4, matches: 4, verdicts: { ...zero, 'license-required': 3, unknown: 1 } },
      { kind: 'image', records: 2, matches: 2, verdicts: { ...zero, 'license-required': 1, blocked: 1 } },
    ]);
    const methods = Object.fromEntries(report.methods.map((m) => [m.method, [m.records, m.matches, m.exact]]));
    expect(methods).toEqual({
      sha256: [1, 1, true],
      'text-sha256': [2, 2, true],
      identifier: [0, 0, true],
      url: [1, 1, true],
      'url-prefix': [0, 0, true],
      minhash: [1, 1, false],
      containment: [0, 0, false],
      pdq: [1, 1, false],
      chromaprint: [0, 0, false],
      video: [0, 0, false],
    });
  });

  it('counts records and works per rights holder', () => {
    expect(report.holders).toEqual({
      total: 2,
      listed: [
        {
          holderId: 'h2',
          name: '김하늘',
          works: 2,
          records: 4,
          verdicts: { ...zero, 'license-required': 3, blocked: 1 },
        },
        {
          holderId: 'h1',
          name: '도서출판 한빛나래',
          works: 1,
          records: 3,
          verdicts: { ...zero, 'license-required': 3 },
        },
      ],
    });
  });

  it('lists the top works with title, holders, verdicts, best score and methods', () => {
    expect(report.topWorks.total).toBe(3);
    expect(report.topWorks.listed).toEqual([
      {
        workId: 'A',
        known: true,
        title: WORK_A.title,
        kind: 'text',
        disputed: false,
        holders: WORK_A.holders,
        records: 3,
        verdicts: { ...zero, 'license-required': 3 },
        bestScore: 1,
        methods: ['text-sha256', 'minhash'],
      },
      {
        workId: 'B',
        known: true,
        kind: 'image',
        disputed: true,
        holders: WORK_B.holders,
        records: 2,
        verdicts: { ...zero, 'license-required': 1, blocked: 1 },
        bestScore: 1,
        methods: ['sha256', 'pdq'],
      },
      {
        workId: 'C',
        known: false,
        kind: 'text',
        disputed: false,
        holders: [],
        records: 1,
        verdicts: { ...zero, unknown: 1 },
        bestScore: 1,
        methods: ['url'],
      },
    ]);
  });

  it('counts unreadable reasons with their first indexes', () => {
    expect(report.unreadable).toEqual({
      records: 3,
      distinctReasons: 2,
      otherRecords: 0,
      reasons: [
        { reason: 'invalid JSON', records: 2, firstIndexes: [4, 6] },
        { reason: 'record larger than 64 MiB', records: 1, firstIndexes: [7] },
      ],
    });
  });

  it('bins match scores, exact and near apart', () => {
    const bins = report.scores.bins;
    expect(bins).toHaveLength(REPORT_LIMITS.scoreBins);
    expect(bins[0]).toEqual({ from: 0, to: 0.05, exact: 0, near: 0 });
    expect(bins[16]).toEqual({ from: 0.8, to: 0.85, exact: 0, near: 1 });
    expect(bins[18]).toEqual({ from: 0.9, to: 0.95, exact: 0, near: 1 });
    expect(bins[19]).toEqual({ from: 0.95, to: 1, exact: 4, near: 0 });
    expect(bins.reduce((s, b) => s + b.exact + b.near, 0)).toBe(report.scores.matches);
    expect(report.scores.invalid).toBe(0);
  });

  it('summarises the quote: per-work once, per-item times records', () => {
    expect(report.quote).toEqual({
      records: 3,
      works: 2,
      offers: 2,
      complete: true,
      totals: [{ currency: 'KRW', amountMinor: 1_050, display: 'KRW 1,050', works: 2 }],
      untotalled: [],
    });
  });

  it('finishes without changing anything: twice gives equal reports, and later lines still count', () => {
    const { summariser, report: first } = summarise(LINES);
    expect(summariser.finish(sampleContext())).toEqual(first);
    summariser.add(line(10, 'cleared', []));
    expect(summariser.finish(sampleContext()).totals.records).toBe(11);
    expect(first.totals.records).toBe(10);
  });

  it('gives the same report whatever the order of the lines', () => {
    const reversed = summarise([...LINES].reverse()).report;
    expect(reversed).toEqual(report);
  });

  it('asks the snapshot about each work once', () => {
    const asked: string[] = [];
    const summariser = new ScanSummariser((id) => {
      asked.push(id);
      return WORKS.get(id);
    });
    for (const l of [...LINES, ...LINES]) summariser.add(l);
    summariser.finish(sampleContext());
    expect(asked.filter((id) => id === 'A')).toHaveLength(2); // once for the report, once for the quote
  });

  it('counts invalid scores apart and never bins them', () => {
    const { report: r } = summarise([
      line(0, 'cleared', [match('A', 'text', 'minhash', Number.NaN)]),
      line(1, 'cleared', [match('A', 'text', 'minhash', 1.5)]),
      line(2, 'cleared', [match('A', 'text', 'minhash', 0)]),
    ]);
    expect(r.scores.invalid).toBe(2);
    expect(r.scores.bins[0]!.near).toBe(1);
  });
});

describe('ScanSummariser memory and size bounds', () => {
  function* stream(records: number): Generator<VerdictLine> {
    for (let i = 0; i < records; i += 1) {
      if (i % 10 === 0)
        yield unreadable(i, `bad record ${i}`); // a distinct reason per record
      else if (i % 3 === 0)
        yield line(i, 'license-required', [match('A', 'text', 'minhash', (i % 100) / 100)], {
          offers: [offerA],
        });
      else yield line(i, 'cleared', []);
    }
  }

  it('keeps the report the same size whatever the record count', () => {
    const small = summarise(stream(5_000)).report;
    const large = summarise(stream(200_000)).report;
    expect(large.totals.records).toBe(200_000);
    expect(large.unreadable.distinctReasons).toBe(REPORT_LIMITS.trackedReasons);
    expect(large.unreadable.reasons).toHaveLength(REPORT_LIMITS.unreadableReasons);
    expect(large.unreadable.otherRecords).toBe(20_000 - REPORT_LIMITS.trackedReasons);
    // Only the digits of the counts grow.
    expect(JSON.stringify(large).length - JSON.stringify(small).length).toBeLessThan(400);
  });

  it('keeps the smallest indexes of a reason whatever order the lines come in', () => {
    const indexes = [50, 3, 99, 7, 1, 42, 8, 2, 77];
    const { report: r } = summarise(indexes.map((i) => unreadable(i, 'truncated tar member')));
    expect(r.unreadable.reasons[0]).toEqual({
      reason: 'truncated tar member',
      records: indexes.length,
      firstIndexes: [1, 2, 3, 7, 8],
    });
  });

  it('cuts long reasons before counting them', () => {
    const { report: r } = summarise([unreadable(0, 'x'.repeat(10_000))]);
    expect(r.unreadable.reasons[0]!.reason).toHaveLength(REPORT_LIMITS.reasonLength + 1);
  });

  it('lists at most the top works and holders, and says how many there are', () => {
    const many = new Map<string, WorkInfo>();
    for (let i = 0; i < 300; i += 1) {
      many.set(`w${i}`, {
        id: `w${i}`,
        kind: 'text',
        disputed: false,
        holders: [{ id: `h${i}`, name: `holder ${i}`, role: 'author', shareBp: 10_000 }],
      });
    }
    const summariser = new ScanSummariser((id) => many.get(id));
    let index = 0;
    for (let i = 0; i < 300; i += 1) {
      for (let k = 0; k <= i % 7; k += 1) summariser.add(line(index++, 'blocked', [match(`w${i}`, 'text', 'url')]));
    }
    const r = summariser.finish(sampleContext());
    expect(r.topWorks.total).toBe(300);
    expect(r.topWorks.listed).toHaveLength(REPORT_LIMITS.topWorks);
    // 42 works (i % 7 === 6) have 7 records; the next 8 listed have 6.
    expect(r.topWorks.listed.map((w) => w.records)).toEqual([
      ...Array<number>(42).fill(7),
      ...Array<number>(8).fill(6),
    ]);
    expect(r.holders.total).toBe(300);
    expect(r.holders.listed).toHaveLength(REPORT_LIMITS.holders);
  });
});
