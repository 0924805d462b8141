import { evaluate, REGIME_IDS, USES, type Verdict } from '@heoga/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Style } from '../format/style.js';
import type { CliIo } from '../io.js';
import { DEMO_STATEMENTS } from './demo-statements.js';

function cell(verdict: Verdict): string {
  const money = verdict.accrual ? ` (+${verdict.accrual.payee === 'rights-holders' ? 'tariff' : 'pool'})` : '';
  return `${verdict.outcome}${money}`;
}

/**
 * `heoga tour` (what `npm start` runs for now): what heoga is, the command list, and one item evaluated for every
 * use under every regime.
 */
export function runTour(io: CliIo, style: Style, help: string): ExitCode {
  const at = io.now().toISOString();
  const out: string[] = [];
  out.push(style.bold('heoga (허가) — permission first for AI training data'));
  out.push('');
  out.push('Creators say, once, per use: allow, refuse, or license at a price. AI developers clear their data');
  out.push('against those choices under the law that applies, and anyone can check the evidence.');
  out.push('');
  out.push(help.trimEnd());
  out.push('');
  out.push(style.bold('Example: one registered short story, evaluated for every use under every regime'));
  out.push(style.dim('  registry: ai-train licensed at KRW 50,000 per work · ai-input refused · search allowed'));
  out.push(style.dim('  publisher site: Content-Signal search=yes'));
  out.push('');
  const width = 30;
  out.push(`  ${'use'.padEnd(16)}${REGIME_IDS.map((r) => r.padEnd(width)).join('')}`);
  for (const use of USES) {
    const cells = REGIME_IDS.map((regime) =>
      cell(evaluate({ statements: DEMO_STATEMENTS, use, regime, at })).padEnd(width),
    );
    out.push(`  ${use.padEnd(16)}${cells.join('')}`);
  }
  out.push('');
  out.push('Try it yourself:');
  out.push('  npm run heoga -- evaluate --regime permission-first --use ai-train-genai examples/statements.json');
  out.push('  npm run heoga -- evaluate --regime jp-30-4 --use ai-input --json examples/statements.json');
  out.push('  npm run heoga -- regimes');
  out.push('Docs: README.md, docs/policy.md (English), docs/ko/policy.md (한국어), docs/architecture.md');
  io.stdout(`${out.join('\n')}\n`);
  return EXIT.ok;
}
