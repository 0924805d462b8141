import { evaluate, parseStatements, REGIME_IDS, USES, type Statement } from '@heoga/core';
import type { Benchmark } from './harness.js';

const AT = '2026-11-25T00:00:00Z';

/** A typical item in a scan: a registry entry per use, two site signals and a licence held. */
function typicalItem(i: number): Statement[] {
  const registry = { kind: 'registry' as const, registry: 'https://heoga.example', workId: `w${i}` };
  return [
    {
      kind: 'preference',
      source: registry,
      uses: ['ai-train'],
      stance: {
        kind: 'license',
        terms: { price: { amountMinor: 50_000, currency: 'KRW' }, unit: 'per-work', attribution: true },
      },
    },
    { kind: 'preference', source: registry, uses: ['ai-input'], stance: { kind: 'deny' } },
    { kind: 'preference', source: registry, uses: ['search', 'ai-index'], stance: { kind: 'allow' } },
    {
      kind: 'preference',
      source: { kind: 'site-signal', protocol: 'content-signal', url: `https://site${i % 97}.example/robots.txt` },
      uses: ['ai-train'],
      stance: { kind: 'deny' },
    },
    {
      kind: 'preference',
      source: { kind: 'site-signal', protocol: 'tdmrep', url: `https://site${i % 97}.example/.well-known/tdmrep.json` },
      uses: ['ai-all'],
      stance: { kind: 'unknown' },
    },
    {
      kind: 'licence-held',
      source: { kind: 'licence', licenceId: `lic-${i}`, issuer: 'https://heoga.example' },
      uses: ['ai-train'],
      validUntil: '2027-01-01T00:00:00Z',
    },
  ];
}

const ITEMS = Array.from({ length: 1_000 }, (_, i) => typicalItem(i));

export const benchmarks: readonly Benchmark[] = [
  {
    group: 'core',
    name: 'evaluate: 6 statements, every use × regime',
    unit: 'verdict',
    batch: ITEMS.length * USES.length * REGIME_IDS.length,
    setup: () => () => {
      for (const statements of ITEMS)
        for (const use of USES) for (const regime of REGIME_IDS) evaluate({ statements, use, regime, at: AT });
    },
  },
  {
    group: 'core',
    name: 'parseStatements: 6-statement item from JSON',
    unit: 'item',
    batch: ITEMS.length,
    setup: () => {
      const decoded = ITEMS.map((item) => JSON.parse(JSON.stringify(item)) as unknown);
      return () => {
        for (const item of decoded) if (!parseStatements(item).ok) throw new Error('bench input must parse');
      };
    },
  },
];
