import {
  FLAG_INFO,
  formatMoney,
  REASON_INFO,
  REGIMES,
  USE_INFO,
  type Evidence,
  type LicenceTerms,
  type Statement,
  type Verdict,
  type VerdictOutcome,
} from '@heoga/core';
import type { Style } from './style.js';

const OUTCOME_LABEL: { readonly [O in VerdictOutcome]: { readonly en: string; readonly ko: string } } = {
  cleared: { en: 'cleared', ko: '이용 가능' },
  blocked: { en: 'blocked', ko: '이용 불가' },
  'license-required': { en: 'license required', ko: '이용허락 필요' },
  unknown: { en: 'unknown', ko: '확인 불가' },
};

/** One line naming where a statement came from. */
export function describeSource(statement: Statement): string {
  const s = statement.source;
  switch (s.kind) {
    case 'registry':
      return `registry ${s.registry} work ${s.workId}${s.rightsHolderId ? ` (rights holder ${s.rightsHolderId})` : ''}`;
    case 'site-signal':
      return `${s.protocol} at ${s.url}`;
    case 'embedded-metadata':
      return `${s.format} metadata${s.location ? ` in ${s.location}` : ''}${s.signer ? ` signed by ${s.signer}` : ''}`;
    case 'licence':
      return `licence ${s.licenceId} from ${s.issuer}${s.licensee ? ` to ${s.licensee}` : ''}`;
    default: {
      const unreachable: never = s;
      return unreachable;
    }
  }
}

/** Licence terms in one line: `KRW 50,000 per work, attribution required, commercial, KR, 365 days`. */
export function describeTerms(terms: LicenceTerms): string {
  const parts = [`${formatMoney(terms.price)} ${terms.unit.replaceAll('-', ' ')}`];
  parts.push(terms.attribution ? 'attribution required' : 'no attribution');
  if (terms.scope?.users) parts.push(`for ${terms.scope.users.join('/')} users`);
  if (terms.scope?.territories) parts.push(`in ${terms.scope.territories.join(', ')}`);
  if (terms.validity?.durationDays) parts.push(`for ${terms.validity.durationDays} days`);
  if (terms.validity?.from) parts.push(`offer from ${terms.validity.from}`);
  if (terms.validity?.until) parts.push(`offer until ${terms.validity.until}`);
  return parts.join(', ');
}

function evidenceLine(e: Evidence, style: Style): string {
  const mark = e.decisive ? style.bold('*') : ' ';
  const observed = e.statement.observedAt ? style.dim(` (observed ${e.statement.observedAt})`) : '';
  const id = e.statement.id ? style.dim(` [${e.statement.id}]`) : '';
  return `  ${mark} ${e.effect.padEnd(21)} ${describeSource(e.statement)}${observed}${id}`;
}

/** Renders a verdict for people, in English or Korean explanations. */
export function formatVerdict(verdict: Verdict, style: Style, lang: 'en' | 'ko'): string {
  const colour = verdict.outcome === 'cleared' ? style.green : verdict.outcome === 'blocked' ? style.red : style.yellow;
  const lines: string[] = [];
  const regime = REGIMES[verdict.regime];
  lines.push(
    `${colour(style.bold(OUTCOME_LABEL[verdict.outcome][lang]))}  ${USE_INFO[verdict.use].title[lang]} (${verdict.use}) · ${regime.title[lang]} (${verdict.regime})`,
  );
  lines.push(`  ${REASON_INFO[verdict.reason][lang]}`);
  lines.push(style.dim(`  standing: ${verdict.standing} · reason: ${verdict.reason} · at ${verdict.evaluatedAt}`));
  lines.push('');
  if (verdict.evidence.length === 0) {
    lines.push(
      lang === 'ko' ? '근거: 이 이용에 해당하는 진술이 없습니다.' : 'evidence: no statement applies to this use.',
    );
  } else {
    lines.push(lang === 'ko' ? '근거 (* 결정한 진술):' : 'evidence (* decided):');
    for (const e of verdict.evidence) lines.push(evidenceLine(e, style));
  }
  if (verdict.quote) {
    lines.push('');
    lines.push(lang === 'ko' ? '견적:' : 'quote:');
    for (const offer of verdict.quote.offers)
      lines.push(`  - ${describeTerms(offer.terms)} — ${describeSource(offer.statement)}`);
  }
  if (verdict.accrual) {
    lines.push('');
    lines.push(`accrual: ${verdict.accrual.basis} → ${verdict.accrual.payee}`);
  }
  if (verdict.flags.length > 0) {
    lines.push('');
    lines.push(lang === 'ko' ? '주의:' : 'flags:');
    for (const flag of verdict.flags) lines.push(`  ! ${flag}: ${FLAG_INFO[flag][lang]}`);
  }
  return `${lines.join('\n')}\n`;
}
