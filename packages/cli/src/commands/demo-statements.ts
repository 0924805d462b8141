import type { Statement } from '@heoga/core';

/**
 * The statements `heoga tour` evaluates: a registered Korean short story whose rights holder licenses AI training
 * for a price, refuses RAG input and allows search, and whose publisher's site refuses training with a Content
 * Signal. examples/statements.json holds the same statements (a test keeps them equal).
 */
export const DEMO_STATEMENTS: readonly Statement[] = [
  {
    kind: 'preference',
    id: 'registry-ai-train',
    source: { kind: 'registry', registry: 'https://heoga.example', workId: 'w_demo_sonagi' },
    uses: ['ai-train'],
    stance: {
      kind: 'license',
      terms: {
        price: { amountMinor: 50000, currency: 'KRW' },
        unit: 'per-work',
        attribution: true,
        validity: { durationDays: 365 },
      },
    },
    observedAt: '2026-11-01T00:00:00Z',
  },
  {
    kind: 'preference',
    id: 'registry-ai-input',
    source: { kind: 'registry', registry: 'https://heoga.example', workId: 'w_demo_sonagi' },
    uses: ['ai-input'],
    stance: { kind: 'deny' },
    observedAt: '2026-11-01T00:00:00Z',
  },
  {
    kind: 'preference',
    id: 'registry-search',
    source: { kind: 'registry', registry: 'https://heoga.example', workId: 'w_demo_sonagi' },
    uses: ['search'],
    stance: { kind: 'allow' },
    observedAt: '2026-11-01T00:00:00Z',
  },
  {
    kind: 'preference',
    id: 'site-content-signal',
    source: { kind: 'site-signal', protocol: 'content-signal', url: 'https://publisher.example/robots.txt' },
    uses: ['search'],
    stance: { kind: 'allow' },
    observedAt: '2026-11-20T08:00:00Z',
  },
];
