import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../util/canonical-json.js';
import { encodeUtf8, toHex } from './encoding.js';

/**
 * The transparency log's entries: one per registry event, as canonical JSON (object keys sorted, no whitespace —
 * `canonicalJson`), so the same event always gives the same bytes and the same leaf hash.
 *
 * An entry proves what happened and when it entered the log, not who the people are: personal fields (names,
 * display names, emails) are replaced by `{ "sha256": "<hex>" }` of their value, a commitment the person can later
 * open by showing the value. Identifiers of accounts, works and rights holders are random and stay as they are.
 */
export const LOG_ENTRY_VERSION = 1;

/** The fields whose values are hashed wherever they appear in an entry. */
export const PERSONAL_FIELDS: readonly string[] = ['name', 'displayName', 'email'];

/** A registry event as the log reads it. */
export interface LogEventInput {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly actorId: string | null;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly at: string;
  readonly before: unknown;
  readonly after: unknown;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      key,
      PERSONAL_FIELDS.includes(key) && typeof v === 'string' ? { sha256: toHex(sha256(encodeUtf8(v))) } : redact(v),
    ]),
  );
}

/**
 * The canonical log entry for an event.
 *
 * @example
 * ```ts
 * logEntryFor({ id: 'ev_1', seq: 1, type: 'policy.set', actorId: 'acct_1', subjectType: 'work', subjectId: 'w_1',
 *               at: '2026-11-25T00:00:00.000Z', before: null, after: { use: 'ai-train', stance: { kind: 'deny' } } })
 * // '{"actor":"acct_1","after":{"stance":{"kind":"deny"},"use":"ai-train"},"at":"2026-11-25T00:00:00.000Z",…}'
 * ```
 */
export function logEntryFor(event: LogEventInput): string {
  return canonicalJson({
    v: LOG_ENTRY_VERSION,
    event: event.id,
    seq: event.seq,
    type: event.type,
    actor: event.actorId,
    subject: { type: event.subjectType, id: event.subjectId },
    at: event.at,
    before: redact(event.before ?? null),
    after: redact(event.after ?? null),
  });
}
