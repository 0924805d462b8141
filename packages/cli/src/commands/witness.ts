import {
  NOTE_LIMITS,
  cosignCheckpoint,
  createNoteVerifier,
  decodeBase64,
  encodeBase64,
  formatNoteSignatureLine,
  formatSignerKey,
  formatVerifierKey,
  generateNoteKey,
  isValidKeyName,
  openCheckpoint,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  verifyConsistency,
  witnessDecision,
  type NoteSignerKey,
  type NoteVerifier,
  type WitnessDecision,
  type WitnessState,
} from '@heoga/core';
import { CliError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Flags of `heoga witness`. */
export interface WitnessOptions {
  /** The log server's base URL. */
  readonly log: string;
  /** The log's verifier key (GET /v1/log/key). */
  readonly logKey: string;
  /** The witness's signer key file; created with a new key when missing. */
  readonly key: string;
  /** The key name for a new key. */
  readonly name: string;
  /** The state file: the last checkpoint text this witness cosigned (default: next to the key file). */
  readonly state?: string;
  readonly once: boolean;
  /** Seconds between polls when not `once`. */
  readonly interval: number;
}

const MAX_KEY_FILE_BYTES = 4096;

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** The default state file: the key file's name with `.state` for its `.key` extension, in the same directory. */
export function defaultStatePath(keyFile: string): string {
  return `${keyFile.replace(/\.key$/, '')}.state`;
}

async function readOptional(io: CliIo, path: string, what: string): Promise<Uint8Array | undefined> {
  try {
    return await io.readFile(path);
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT') return undefined;
    throw new CliError('FILE_UNREADABLE', `cannot read the ${what} ${path}: ${errnoCode(cause) ?? String(cause)}`, {
      cause,
    });
  }
}

const decodeText = (bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
};

/** Reads the witness's signer key, or makes a new one (mode 0600) and shows its verifier key on stderr. */
async function loadOrCreateWitnessKey(io: CliIo, file: string, name: string): Promise<NoteSignerKey> {
  const bytes = await readOptional(io, file, 'witness key file');
  if (bytes === undefined) {
    if (!isValidKeyName(name)) throw new CliError('USAGE', `--name ${name} is not a key name (no spaces, no "+")`);
    const key = generateNoteKey(name, { type: 'cosignature/v1' });
    try {
      await io.writeFile(file, `${formatSignerKey(key)}\n`, { mode: 0o600, exclusive: true });
    } catch (cause) {
      throw new CliError('FILE_UNWRITABLE', `cannot create the witness key file ${file}: ${errnoCode(cause) ?? ''}`, {
        cause,
      });
    }
    io.stderr(
      `heoga: created a witness key in ${file} (keep it secret). Its verifier key, for --witness-key:\n` +
        `${formatVerifierKey(key)}\n`,
    );
    return key;
  }
  const text = bytes.byteLength <= MAX_KEY_FILE_BYTES ? decodeText(bytes) : undefined;
  const parsed = text === undefined ? undefined : parseSignerKey(text.trim());
  // The issues never quote the key, so they are safe to show.
  if (!parsed?.ok) {
    const why = parsed?.issues[0]?.message ?? 'not a UTF-8 key of at most 4096 bytes';
    throw new CliError('STATE_INVALID', `${file} does not hold a signer key: ${why}`);
  }
  if (parsed.value.type !== 'cosignature/v1') {
    throw new CliError('USAGE', `${file} holds a ${parsed.value.type} key; a witness signs with a cosignature/v1 key`);
  }
  return parsed.value;
}

function logVerifierOf(vkey: string): NoteVerifier {
  const parsed = parseVerifierKey(vkey.trim());
  if (!parsed.ok) {
    throw new CliError('USAGE', `--log-key is not a verifier key: ${parsed.issues[0]?.message ?? 'invalid'}`);
  }
  if (parsed.value.type !== 'ed25519') throw new CliError('USAGE', '--log-key must be the log key (type ed25519)');
  return createNoteVerifier(parsed.value);
}

async function loadState(io: CliIo, path: string): Promise<WitnessState | undefined> {
  const bytes = await readOptional(io, path, 'witness state file');
  if (bytes === undefined) return undefined;
  const text = bytes.byteLength <= NOTE_LIMITS.maxBytes ? decodeText(bytes) : undefined;
  const parsed = text === undefined ? undefined : parseCheckpoint(text);
  if (!parsed?.ok) {
    throw new CliError('STATE_INVALID', `${path} does not hold a checkpoint text (the last checkpoint cosigned)`, {
      hint: 'move it aside only if you know why it is damaged: it is what lets this witness detect a fork',
    });
  }
  return parsed.value;
}

/** Saves the state atomically: a temporary file next to it, then a rename over it. */
async function saveState(io: CliIo, path: string, checkpointText: string): Promise<void> {
  const temporary = `${path}.tmp`;
  try {
    await io.writeFile(temporary, checkpointText);
    await io.rename(temporary, path);
  } catch (cause) {
    throw new CliError('FILE_UNWRITABLE', `cannot save the witness state ${path}: ${errnoCode(cause) ?? ''}`, {
      cause,
    });
  }
}

async function fetchOrThrow(io: CliIo, url: URL, init?: RequestInit): Promise<Response> {
  try {
    return await io.fetch(url, init);
  } catch (cause) {
    throw new CliError('FETCH_FAILED', `cannot reach ${url.href}: ${(cause as Error).message}`, { cause });
  }
}

async function boundedText(response: Response, url: URL): Promise<string> {
  const text = await response.text();
  if (text.length > NOTE_LIMITS.maxBytes) throw new CliError('FETCH_FAILED', `${url.href} answered too much`);
  return text;
}

/** Fetches and checks the consistency proof from `from` to `to`; false when the log cannot or does not prove it. */
async function consistencyHolds(
  io: CliIo,
  log: string,
  previous: WitnessState,
  next: WitnessState,
): Promise<{ ok: boolean; why: string }> {
  const url = new URL(`/v1/log/proofs/consistency?from=${previous.size}&to=${next.size}`, log);
  const response = await fetchOrThrow(io, url);
  if (response.status >= 500) throw new CliError('FETCH_FAILED', `${url.href} answered ${response.status}`);
  if (!response.ok) return { ok: false, why: `the log cannot prove it (${url.href} answered ${response.status})` };
  let body: unknown;
  try {
    body = JSON.parse(await boundedText(response, url)) as unknown;
  } catch {
    return { ok: false, why: 'the log answered no proof' };
  }
  const items = (body as { proof?: unknown }).proof;
  if (!Array.isArray(items) || items.length > 128) return { ok: false, why: 'the log answered no proof' };
  const proof = items.map((p) => (typeof p === 'string' ? decodeBase64(p) : undefined));
  if (!proof.every((p): p is Uint8Array => p !== undefined)) return { ok: false, why: 'the proof is not base64' };
  const checked = verifyConsistency({
    size1: previous.size,
    size2: next.size,
    root1: previous.rootHash,
    root2: next.rootHash,
    proof,
  });
  return checked.ok
    ? { ok: true, why: '' }
    : { ok: false, why: `the consistency proof fails: ${checked.issues[0]?.message ?? 'invalid'}` };
}

/** One poll: fetch, check, decide, cosign and save, or refuse. */
async function poll(
  io: CliIo,
  options: WitnessOptions,
  logVerifier: NoteVerifier,
  witnessKey: NoteSignerKey,
  statePath: string,
): Promise<ExitCode> {
  const checkpointUrl = new URL('/v1/log/checkpoint', options.log);
  const response = await fetchOrThrow(io, checkpointUrl);
  if (!response.ok) throw new CliError('FETCH_FAILED', `${checkpointUrl.href} answered ${response.status}`);
  const opened = openCheckpoint(await boundedText(response, checkpointUrl), [logVerifier]);
  if (!opened.ok) {
    const why = opened.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    io.stderr(`heoga: the log's checkpoint does not open with --log-key (${opened.code}: ${why}); not cosigning\n`);
    return EXIT.notCleared;
  }
  const { checkpoint, note } = opened.value;
  const previous = await loadState(io, statePath);
  let decision: WitnessDecision = witnessDecision(previous, checkpoint);
  let proofWhy = '';
  if (decision.kind === 'needs-proof' && previous !== undefined) {
    const proof = await consistencyHolds(io, options.log, previous, checkpoint);
    proofWhy = proof.why;
    decision = witnessDecision(previous, checkpoint, proof.ok);
  }
  const where = `the log at ${options.log}`;
  switch (decision.kind) {
    case 'unchanged':
      io.stderr(`heoga: nothing new: ${checkpoint.origin} is still at size ${checkpoint.size}\n`);
      return EXIT.ok;
    case 'fork':
      io.stderr(
        `heoga: FORK: ${decision.reason}: ${where} shows another history than the checkpoint this witness ` +
          `cosigned (${statePath}). Not cosigning.\n`,
      );
      return EXIT.notCleared;
    case 'not-consistent':
      io.stderr(
        `heoga: NOT CONSISTENT (FORK): the tree of ${decision.to} entries does not extend the tree of ` +
          `${decision.from} this witness cosigned: ${proofWhy}. ${where} rewrote its history. Not cosigning.\n`,
      );
      return EXIT.notCleared;
    case 'rollback':
      io.stderr(
        `heoga: ROLLBACK: ${where} shows ${decision.to} entries, fewer than the ${decision.from} this witness ` +
          `already cosigned. Not cosigning.\n`,
      );
      return EXIT.notCleared;
    case 'needs-proof':
      throw new CliError('STATE_INVALID', 'no consistency proof was checked');
    case 'first':
    case 'grown':
      break;
    default: {
      const unknown: never = decision;
      throw new CliError('STATE_INVALID', `unknown decision ${String(unknown)}`);
    }
  }
  const signature = cosignCheckpoint(note.text, witnessKey, io.now);
  const line = formatNoteSignatureLine(signature);
  const postUrl = new URL('/v1/log/cosignatures', options.log);
  const posted = await fetchOrThrow(io, postUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      witnessKey: formatVerifierKey(witnessKey),
      checkpointSize: checkpoint.size.toString(),
      signature: line,
    }),
  });
  if (!posted.ok) {
    const detail = await posted.text().catch(() => '');
    throw new CliError(
      'FETCH_FAILED',
      `${postUrl.href} refused the cosignature (${posted.status}): ${detail.slice(0, 500)}`,
    );
  }
  await saveState(io, statePath, note.text);
  const how = decision.kind === 'first' ? 'first checkpoint seen' : `consistent with size ${decision.from}`;
  io.stdout(
    `cosigned ${checkpoint.origin} size ${checkpoint.size} root ${encodeBase64(checkpoint.rootHash)} at ` +
      `${io.now().toISOString()} (${how})\n`,
  );
  return EXIT.ok;
}

/**
 * `heoga witness --log URL --log-key VKEY --key FILE`: a C2SP tlog-witness for a heoga log. Each poll fetches the
 * latest checkpoint, opens it with the log key, and compares it with the last checkpoint this witness cosigned (the
 * state file): a larger tree must come with a valid consistency proof. Then it cosigns (`cosignature/v1`, with the
 * time) and posts the cosignature to the log. A fork (same size, another root; or an inconsistent larger tree) or a
 * rollback (a smaller tree) is refused loudly with exit 5. `--once` polls once; otherwise it polls every
 * `--interval` seconds until SIGINT or SIGTERM, retrying network failures.
 */
export async function runWitness(io: CliIo, options: WitnessOptions): Promise<ExitCode> {
  const logVerifier = logVerifierOf(options.logKey);
  let parsedLog: URL;
  try {
    parsedLog = new URL(options.log);
  } catch {
    throw new CliError('USAGE', `--log ${options.log} is not a URL`);
  }
  if (parsedLog.protocol !== 'http:' && parsedLog.protocol !== 'https:') {
    throw new CliError('USAGE', `--log must be an http(s) URL, not ${options.log}`);
  }
  const witnessKey = await loadOrCreateWitnessKey(io, options.key, options.name);
  const statePath = options.state ?? defaultStatePath(options.key);
  if (options.once) return poll(io, options, logVerifier, witnessKey, statePath);
  io.stderr(
    `heoga: witnessing ${options.log} as ${formatVerifierKey(witnessKey)} every ${options.interval} s; stop with Ctrl-C\n`,
  );
  const shutdown = io.untilShutdown().then((signal) => ({ signal }));
  for (;;) {
    try {
      const code = await poll(io, options, logVerifier, witnessKey, statePath);
      if (code !== EXIT.ok) return code;
    } catch (error) {
      // The log being unreachable for a while is no reason to stop watching it.
      if (!(error instanceof CliError) || error.code !== 'FETCH_FAILED') throw error;
      io.stderr(`heoga: ${error.message}; trying again in ${options.interval} s\n`);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), options.interval * 1000);
    });
    const stopped = await Promise.race([shutdown, tick]);
    clearTimeout(timer);
    if (stopped !== undefined) {
      io.stderr(`heoga: ${stopped.signal}, witness stopping\n`);
      return EXIT.ok;
    }
  }
}
