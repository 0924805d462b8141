import {
  createNoteVerifier,
  decodeBase64,
  parseVerifierKey,
  verifyConsistency,
  verifyReceipt,
  openCheckpoint,
  type NoteVerifier,
  type VerifiedReceipt,
} from '@heoga/core';
import { CliError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Style } from '../format/style.js';
import type { CliIo } from '../io.js';
import { readJsonInput } from '../read-input.js';

function witnessVerifiersOf(keys: readonly string[]): NoteVerifier[] {
  return keys.map((key) => {
    const parsed = parseVerifierKey(key.trim());
    if (!parsed.ok)
      throw new CliError(
        'USAGE',
        `--witness-key ${key} is not a verifier key: ${parsed.issues[0]?.message ?? 'invalid'}`,
      );
    if (parsed.value.type !== 'cosignature/v1')
      throw new CliError(
        'USAGE',
        `--witness-key ${key} is a ${parsed.value.type} key, not a cosignature/v1 witness key`,
      );
    return createNoteVerifier(parsed.value);
  });
}

/** A cosignature time (seconds since the epoch) as RFC 3339 UTC, or the seconds when beyond the date range. */
function utc(seconds: bigint): string {
  return seconds <= 8_640_000_000_000n ? new Date(Number(seconds) * 1000).toISOString() : `${seconds} s after 1970`;
}

function verifiersOf(keys: readonly string[]): NoteVerifier[] {
  if (keys.length === 0) throw new CliError('USAGE', 'give the log verifier key with --log-key (GET /v1/log/key)');
  return keys.map((key) => {
    const parsed = parseVerifierKey(key.trim());
    if (!parsed.ok)
      throw new CliError('USAGE', `--log-key ${key} is not a verifier key: ${parsed.issues[0]?.message ?? 'invalid'}`);
    return createNoteVerifier(parsed.value);
  });
}

async function checkReceipt(
  io: CliIo,
  file: string,
  verifiers: readonly NoteVerifier[],
  witnesses: readonly NoteVerifier[] = [],
): Promise<{ ok: true; value: VerifiedReceipt; raw: Record<string, unknown> } | { ok: false; message: string }> {
  const raw = await readJsonInput(io, file);
  const checked = verifyReceipt(raw, verifiers, { witnesses });
  if (!checked.ok) {
    return {
      ok: false,
      message: `${file}: ${checked.code}: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    };
  }
  return { ok: true, value: checked.value, raw: raw as Record<string, unknown> };
}

function describe(v: VerifiedReceipt): string {
  const e = v.entry as { type?: string; at?: string; subject?: { type?: string; id?: string } };
  return `entry ${v.index} of ${v.treeSize} in ${v.origin}: ${e.type ?? '?'} of ${e.subject?.type ?? '?'} ${e.subject?.id ?? '?'} at ${e.at ?? '?'} (signed by ${v.signedBy.join(', ')})`;
}

/**
 * `heoga verify RECEIPT --log-key VKEY [--witness-key VKEY …]`: checks a receipt offline — the checkpoint's
 * signature, and the entry's inclusion in that tree; with witness keys, also their cosignatures on the checkpoint,
 * showing when each witnessed it. Exit 0 when it holds, 5 when a check fails or a witness did not cosign (the
 * message says which).
 */
export async function runVerify(
  io: CliIo,
  style: Style,
  file: string,
  options: { logKey: string[]; witnessKey?: string[]; json: boolean },
): Promise<ExitCode> {
  const witnesses = witnessVerifiersOf(options.witnessKey ?? []);
  const result = await checkReceipt(io, file, verifiersOf(options.logKey), witnesses);
  if (!result.ok) {
    io.stderr(`heoga: receipt refused: ${result.message}\n`);
    return EXIT.notCleared;
  }
  const { witnessedAt } = result.value;
  const missing = witnesses.filter((w) => !witnessedAt.some((c) => c.name === w.name && c.keyId === w.keyId));
  if (missing.length > 0) {
    for (const w of missing) {
      const id = w.keyId.toString(16).padStart(8, '0');
      io.stderr(
        `heoga: NOT WITNESSED: the checkpoint of ${file} carries no valid cosignature from ${w.name} (${id})\n`,
      );
    }
    return EXIT.notCleared;
  }
  const witnessed = witnessedAt.map((c) => ({
    witness: c.name,
    keyId: c.keyId.toString(16).padStart(8, '0'),
    at: utc(c.timestamp),
  }));
  io.stdout(
    options.json
      ? `${JSON.stringify({ ok: true, origin: result.value.origin, index: String(result.value.index), treeSize: String(result.value.treeSize), entry: result.value.entry, signedBy: result.value.signedBy, witnessedAt: witnessed }, null, 2)}\n`
      : `${style.green('verified')}: ${describe(result.value)}\n${witnessed.map((w) => `  witnessed by ${w.witness} at ${w.at}\n`).join('')}`,
  );
  return EXIT.ok;
}

/**
 * `heoga verify-order EARLIER LATER --log-key VKEY`: proves that the entry of EARLIER precedes the entry of LATER in
 * one consistent log. With both receipts on the same checkpoint this is offline; otherwise the consistency proof
 * between their two tree sizes is fetched from `--log URL` and checked (the smaller tree must be a prefix of the
 * larger one).
 */
export async function runVerifyOrder(
  io: CliIo,
  style: Style,
  earlierFile: string,
  laterFile: string,
  options: { logKey: string[]; log?: string },
): Promise<ExitCode> {
  const verifiers = verifiersOf(options.logKey);
  const earlier = await checkReceipt(io, earlierFile, verifiers);
  const later = await checkReceipt(io, laterFile, verifiers);
  for (const r of [earlier, later]) {
    if (!r.ok) {
      io.stderr(`heoga: receipt refused: ${r.message}\n`);
      return EXIT.notCleared;
    }
  }
  if (!earlier.ok || !later.ok) return EXIT.notCleared;
  const a = earlier.value;
  const b = later.value;
  if (a.origin !== b.origin) {
    io.stderr(`heoga: the receipts come from different logs (${a.origin}, ${b.origin})\n`);
    return EXIT.notCleared;
  }
  if (a.treeSize !== b.treeSize || earlier.raw['checkpoint'] !== later.raw['checkpoint']) {
    // Two checkpoints: the smaller tree must be a prefix of the larger (RFC 9162 consistency proof).
    const [small, large] = a.treeSize <= b.treeSize ? [earlier.raw, later.raw] : [later.raw, earlier.raw];
    const rootOf = (raw: Record<string, unknown>) => {
      const opened = openCheckpoint(String(raw['checkpoint']), verifiers);
      if (!opened.ok) throw new CliError('JSON_INVALID', 'checkpoint no longer opens');
      return opened.value.checkpoint;
    };
    const c1 = rootOf(small);
    const c2 = rootOf(large);
    if (c1.size === c2.size) {
      io.stderr('heoga: two different checkpoints for the same tree size: the log has forked\n');
      return EXIT.notCleared;
    }
    if (!options.log)
      throw new CliError(
        'USAGE',
        'the receipts are on different checkpoints: pass --log URL to fetch the consistency proof',
      );
    const url = new URL(`/v1/log/proofs/consistency?from=${c1.size}&to=${c2.size}`, options.log);
    const response = await io.fetch(url);
    if (!response.ok) throw new CliError('FILE_UNREADABLE', `${url.href} answered ${response.status}`);
    const body = (await response.json()) as { proof?: unknown };
    const proof = Array.isArray(body.proof)
      ? body.proof.map((p) => (typeof p === 'string' ? decodeBase64(p) : undefined))
      : [];
    const consistent =
      proof.every((p): p is Uint8Array => p !== undefined) &&
      verifyConsistency({ size1: c1.size, size2: c2.size, root1: c1.rootHash, root2: c2.rootHash, proof }).ok;
    if (!consistent) {
      io.stderr(`heoga: the two checkpoints are not consistent: the log at ${options.log} is not append-only\n`);
      return EXIT.notCleared;
    }
  }
  if (a.index >= b.index) {
    io.stderr(`heoga: NOT in that order: entry ${a.index} does not precede entry ${b.index}\n`);
    return EXIT.notCleared;
  }
  io.stdout(`${style.green('verified order')}: ${describe(a)}\n  precedes ${describe(b)}\n`);
  return EXIT.ok;
}
