import { evaluate, parseStatements, InvalidInputError, type RegimeId, type Use, isRfc3339 } from '@heoga/core';
import { CliError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { formatVerdict } from '../format/verdict.js';
import type { Style } from '../format/style.js';
import type { CliIo } from '../io.js';
import { readJsonInput } from '../read-input.js';

/** Options of `heoga evaluate`, as parsed from flags. */
export interface EvaluateOptions {
  readonly regime: RegimeId;
  readonly use: Use;
  readonly at?: string;
  readonly json: boolean;
  readonly exitCode: boolean;
}

/**
 * `heoga evaluate --regime R --use U FILE`: reads statements about one item (JSON; `-` for stdin), combines them
 * and prints the verdict with its evidence. `--json` prints the verdict object (a stable contract).
 */
export async function runEvaluate(io: CliIo, style: Style, file: string, options: EvaluateOptions): Promise<ExitCode> {
  if (options.at !== undefined && !isRfc3339(options.at)) {
    throw new CliError(
      'USAGE',
      `--at must be an RFC 3339 date-time such as 2026-11-25T09:00:00Z, not ${JSON.stringify(options.at)}`,
    );
  }
  const input = await readJsonInput(io, file);
  const parsed = parseStatements(input);
  if (!parsed.ok) {
    throw new InvalidInputError(
      'STATEMENTS_INVALID',
      `${file === '-' ? 'standard input' : file} does not hold valid statements`,
      parsed.issues,
    );
  }
  const verdict = evaluate({
    statements: parsed.value,
    use: options.use,
    regime: options.regime,
    at: options.at ?? io.now().toISOString(),
  });
  io.stdout(options.json ? `${JSON.stringify(verdict, null, 2)}\n` : formatVerdict(verdict, style, io.env.lang));
  return options.exitCode && verdict.outcome !== 'cleared' ? EXIT.notCleared : EXIT.ok;
}
