import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createNoteSigner, formatSignerKey, formatVerifierKey, generateNoteKey, parseSignerKey } from '@heoga/core';
import type { LogIdentity } from '@heoga/registry';
import { ConfigError } from './config.js';

/**
 * The log's signing key: read from `file`, or created there on first start (mode 0600, never overwritten). The key
 * name is the log's origin. Rotation (docs/transparency-log.md): publish the new verifier key beside the old one,
 * stop the server, move the old file aside, start (a new key is made), and keep the old verifier key for checking
 * earlier checkpoints.
 */
export function loadOrCreateLogKey(file: string, origin: string): LogIdentity & { readonly created: boolean } {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let created = false;
  if (text === undefined) {
    const key = generateNoteKey(origin);
    mkdirSync(dirname(file), { recursive: true });
    // 'wx': never overwrite a key another process has just written.
    writeFileSync(file, `${formatSignerKey(key)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    text = formatSignerKey(key);
    created = true;
  }
  const parsed = parseSignerKey(text);
  if (!parsed.ok) throw new ConfigError([`${file}: not a signer key (${parsed.issues[0]?.message ?? 'invalid'})`]);
  if (parsed.value.name !== origin) {
    throw new ConfigError([
      `${file}: the key is named ${parsed.value.name}, but the log origin is ${origin} (HEOGA_LOG_ORIGIN)`,
    ]);
  }
  return { origin, signer: createNoteSigner(parsed.value), verifierKey: formatVerifierKey(parsed.value), created };
}
