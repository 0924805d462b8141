import { REGIME_IDS, REGIMES, STANDINGS, USE_INFO, USES, regimeRule } from '@heoga/core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Style } from '../format/style.js';
import type { CliIo } from '../io.js';

/** `heoga regimes`: every regime, the law it models, and what each standing yields for each use. */
export function runRegimes(io: CliIo, style: Style, json: boolean): ExitCode {
  if (json) {
    io.stdout(
      `${JSON.stringify(
        REGIME_IDS.map((id) => REGIMES[id]),
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const lang = io.env.lang;
  const out: string[] = [];
  for (const id of REGIME_IDS) {
    const regime = REGIMES[id];
    out.push(`${style.bold(`${id}`)} — ${regime.title[lang]}`);
    out.push(style.dim(`  ${regime.jurisdiction}`));
    out.push(`  ${regime.law[lang]}`);
    out.push(`  ${'standing'.padEnd(10)} ${USES.map((u) => u.padEnd(17)).join('')}`);
    for (const standing of STANDINGS) {
      const cells = USES.map((u) => {
        const rule = regimeRule(regime, u, standing);
        return `${rule.outcome}${rule.accrues ? '+$' : ''}${rule.flags?.length ? '!' : ''}`.padEnd(17);
      });
      out.push(`  ${standing.padEnd(10)} ${cells.join('')}`);
    }
    out.push('');
  }
  out.push(style.dim('+$ = remuneration accrues at the statutory tariff; ! = flagged for review'));
  io.stdout(`${out.join('\n')}\n`);
  return EXIT.ok;
}

/** `heoga uses`: the five uses with plain-language descriptions. */
export function runUses(io: CliIo, style: Style, json: boolean): ExitCode {
  if (json) {
    io.stdout(
      `${JSON.stringify(
        USES.map((use) => ({ use, ...USE_INFO[use] })),
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const lang = io.env.lang;
  io.stdout(
    `${USES.map((u) => `${style.bold(u.padEnd(15))} ${USE_INFO[u].title[lang]}\n${' '.repeat(16)}${USE_INFO[u].description[lang]}`).join('\n')}\n`,
  );
  return EXIT.ok;
}
