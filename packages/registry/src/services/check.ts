import {
  evaluate,
  IDENTIFIER_SCHEMES,
  parseIdentifier,
  REGIME_IDS,
  USES,
  type Statement,
  type Verdict,
} from '@heoga/core';
import { z } from 'zod';
import type { RegistryDatabase } from '../db/open-database.js';
import type { RegistryDeps } from '../deps.js';
import { requireScope } from './access.js';
import type { Actor } from './actor.js';
import { validate } from './validate.js';
import { disputeClosure, stanceFromRow } from './work-store.js';

/** The most items one check call may carry. */
export const MAX_CHECK_ITEMS = 1000;

const item = z
  .strictObject({
    /** The caller's own label for the item, echoed back. */
    id: z.string().max(200).optional(),
    identifier: z.strictObject({ scheme: z.enum(IDENTIFIER_SCHEMES), value: z.string().min(1).max(2048) }).optional(),
    url: z.string().min(1).max(2048).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex digits')
      .transform((s) => s.toLowerCase())
      .optional(),
  })
  .refine((i) => [i.identifier, i.url, i.sha256].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of identifier, url or sha256',
  });

export const checkInput = z.strictObject({
  regime: z.enum(REGIME_IDS),
  use: z.enum(USES),
  items: z.array(item).min(1).max(MAX_CHECK_ITEMS),
});

/** A check request: items (identifiers, URLs, SHA-256 hashes), a regime and a use. */
export type CheckInput = z.input<typeof checkInput>;

/** How an item matched a registered work. */
export interface CheckMatch {
  readonly workId: string;
  readonly via: 'identifier' | 'url' | 'url-prefix' | 'sha256';
}

/** The answer for one item: what matched, and the verdict with its evidence; or why the item could not be read. */
export type CheckResult =
  | { readonly id?: string; readonly matches: readonly CheckMatch[]; readonly verdict: Verdict }
  | { readonly id?: string; readonly error: { readonly code: 'IDENTIFIER_INVALID'; readonly message: string } };

/** The answer to a check call. */
export interface CheckResponse {
  readonly regime: string;
  readonly use: string;
  readonly at: string;
  readonly results: readonly CheckResult[];
}

/**
 * The prefixes of a normalised URL that a registered URL prefix may equal: the origin with `/`, every path prefix
 * ending before or at a `/`, the path without its query, and the whole URL. URL prefixes match at these boundaries.
 */
export function urlPrefixCandidates(url: string): string[] {
  const out = new Set<string>();
  const start = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', start);
  if (pathStart < 0) return [url, `${url}/`];
  const queryAt = url.search(/[?#]/);
  const pathEnd = queryAt < 0 ? url.length : queryAt;
  for (let i = pathStart; i < pathEnd; i += 1) {
    if (url[i] === '/') {
      out.add(url.slice(0, i));
      out.add(url.slice(0, i + 1));
    }
  }
  out.add(url.slice(0, pathEnd));
  out.add(url);
  out.delete(url.slice(0, pathStart));
  out.add(url.slice(0, pathStart + 1));
  return [...out];
}

/** Beyond this many cached lookup keys, the cache starts again (bounded memory). */
const CHECK_CACHE_LIMIT = 200_000;

/**
 * How long a cached answer is served without asking the database whether anything changed. Changes made by this
 * process are seen at once (it counts its own writes); changes made by another server process on the same database
 * are seen within this many milliseconds.
 */
export const CHECK_FRESHNESS_MS = 25;

interface CheckCache {
  readonly seq: number;
  /** The process's write count and the time (ms) when the event sequence was last read. */
  writes: number;
  checkedAt: number;
  /** `scheme\0value` → the works holding it (empty: none). */
  readonly keys: Map<string, readonly string[]>;
  /** work → the works in an open dispute with it (itself included). */
  readonly closure: Map<string, readonly string[]>;
  /** work → its registry statements, one per use. */
  readonly statements: Map<string, readonly Statement[]>;
}

function emptyCache(seq: number): CheckCache {
  return {
    seq,
    writes: -1,
    checkedAt: Number.NEGATIVE_INFINITY,
    keys: new Map(),
    closure: new Map(),
    statements: new Map(),
  };
}

type Lookup =
  | { kind: 'identifier'; scheme: string; value: string }
  | { kind: 'url'; value: string; prefixes: string[] }
  | { kind: 'sha256'; value: string };

/** The check endpoint's logic: find registered works for each item and evaluate the regime. */
export class CheckService {
  /**
   * Answers already read from the database, valid for one value of the event sequence. Every change to works,
   * policies or disputes writes an event in its own transaction, so a new `max(seq)` means the cache may be stale
   * and is dropped; any number of server processes stay coherent without telling each other anything.
   */
  private cache: CheckCache = emptyCache(-1);

  // Compiled once: this runs on every check call.
  private readonly lastSeqQuery;

  constructor(
    private readonly database: RegistryDatabase,
    private readonly deps: RegistryDeps,
  ) {
    this.lastSeqQuery = database.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .compile();
  }

  private async freshCache(): Promise<CheckCache> {
    const now = this.deps.now().getTime();
    const writes = this.database.writes();
    // Nothing written by this process, and the event sequence read moments ago: the cache stands.
    if (
      writes === this.cache.writes &&
      now - this.cache.checkedAt < CHECK_FRESHNESS_MS &&
      this.cache.keys.size <= CHECK_CACHE_LIMIT
    ) {
      return this.cache;
    }
    const row = (await this.database.db.executeQuery(this.lastSeqQuery)).rows[0];
    const seq = Number(row?.seq ?? 0);
    if (seq !== this.cache.seq || this.cache.keys.size > CHECK_CACHE_LIMIT) this.cache = emptyCache(seq);
    this.cache.writes = writes;
    this.cache.checkedAt = now;
    return this.cache;
  }

  /** Checks up to 1,000 items. Any authenticated credential with the `check` scope may call it. */
  async check(actor: Actor, input: CheckInput): Promise<CheckResponse> {
    requireScope(actor, 'check');
    const data = validate(checkInput, input);
    const at = this.deps.now().toISOString();
    const db = this.database.db;
    const cache = await this.freshCache();

    const lookups: (Lookup | { kind: 'error'; message: string })[] = data.items.map((i) => {
      if (i.sha256 !== undefined) return { kind: 'sha256', value: i.sha256 };
      if (i.url !== undefined) {
        const parsed = parseIdentifier('url', i.url);
        return parsed.ok
          ? { kind: 'url', value: parsed.value.value, prefixes: urlPrefixCandidates(parsed.value.value) }
          : { kind: 'error', message: parsed.issues[0]?.message ?? 'not a URL' };
      }
      const parsed = parseIdentifier(i.identifier!.scheme, i.identifier!.value);
      return parsed.ok
        ? { kind: 'identifier', scheme: parsed.value.scheme, value: parsed.value.value }
        : { kind: 'error', message: parsed.issues[0]?.message ?? 'not a valid identifier' };
    });

    // Gather every lookup key, then ask the database once per scheme.
    const wanted = new Map<string, Set<string>>();
    const want = (scheme: string, value: string) => {
      if (cache.keys.has(`${scheme}\u0000${value}`)) return;
      const set = wanted.get(scheme) ?? new Set<string>();
      set.add(value);
      wanted.set(scheme, set);
    };
    const hashes = new Set<string>();
    for (const l of lookups) {
      if (l.kind === 'identifier') want(l.scheme, l.value);
      if (l.kind === 'url') {
        want('url', l.value);
        for (const p of l.prefixes) want('url-prefix', p);
      }
      if (l.kind === 'sha256' && !cache.keys.has(`sha256\u0000${l.value}`)) hashes.add(l.value);
    }
    const byKey = new Map<string, string[]>();
    const add = (key: string, workId: string) => {
      const list = byKey.get(key) ?? [];
      if (!list.includes(workId)) list.push(workId);
      byKey.set(key, list);
    };
    for (const [scheme, values] of wanted) {
      const list = [...values];
      for (let i = 0; i < list.length; i += 500) {
        const rows = await db
          .selectFrom('work_identifiers')
          .select(['work_id', 'value'])
          .where('scheme', '=', scheme)
          .where('value', 'in', list.slice(i, i + 500))
          .execute();
        for (const r of rows) add(`${scheme}\u0000${r.value}`, r.work_id);
      }
    }
    if (hashes.size > 0) {
      const list = [...hashes];
      for (let i = 0; i < list.length; i += 500) {
        const part = list.slice(i, i + 500);
        const rows = await db
          .selectFrom('fingerprints')
          .select(['work_id', 'file_sha256', 'algorithm', 'value'])
          .where((eb) =>
            eb.or([eb('file_sha256', 'in', part), eb.and([eb('algorithm', '=', 'sha256'), eb('value', 'in', part)])]),
          )
          .execute();
        for (const r of rows)
          add(`sha256\u0000${r.file_sha256 && hashes.has(r.file_sha256) ? r.file_sha256 : r.value}`, r.work_id);
      }
    }

    // Remember every key asked, found or not (a miss is an answer too).
    for (const [scheme, values] of wanted)
      for (const v of values) cache.keys.set(`${scheme}\u0000${v}`, byKey.get(`${scheme}\u0000${v}`) ?? []);
    for (const h of hashes) cache.keys.set(`sha256\u0000${h}`, byKey.get(`sha256\u0000${h}`) ?? []);
    const found = (key: string): readonly string[] => cache.keys.get(key) ?? [];

    const matchesPerItem: CheckMatch[][] = lookups.map((l) => {
      if (l.kind === 'error') return [];
      if (l.kind === 'sha256')
        return found(`sha256\u0000${l.value}`).map((workId) => ({ workId, via: 'sha256' as const }));
      if (l.kind === 'identifier')
        return found(`${l.scheme}\u0000${l.value}`).map((workId) => ({
          workId,
          via: 'identifier' as const,
        }));
      const exact = found(`url\u0000${l.value}`).map((workId) => ({ workId, via: 'url' as const }));
      // The longest registered prefix wins (most specific), as with robots.txt paths.
      const prefix = [...l.prefixes]
        .sort((a, b) => b.length - a.length)
        .find((p) => found(`url-prefix\u0000${p}`).length > 0);
      const byPrefix = prefix
        ? found(`url-prefix\u0000${prefix}`).map((workId) => ({ workId, via: 'url-prefix' as const }))
        : [];
      return [...exact, ...byPrefix.filter((m) => !exact.some((e) => e.workId === m.workId))];
    });

    const matched = [...new Set(matchesPerItem.flat().map((m) => m.workId))];
    const unknownClosure = matched.filter((w) => !cache.closure.has(w));
    if (unknownClosure.length > 0) {
      for (const [workId, partners] of await disputeClosure(db, unknownClosure)) cache.closure.set(workId, partners);
    }
    const closure = new Map(matched.map((w) => [w, cache.closure.get(w) ?? [w]]));
    const related = [...new Set([...closure.values()].flat())].filter((w) => !cache.statements.has(w));
    for (const w of related) cache.statements.set(w, []);
    for (let i = 0; i < related.length; i += 500) {
      const rows = await db
        .selectFrom('policies')
        .selectAll()
        .where('work_id', 'in', related.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        (cache.statements.get(r.work_id) as Statement[]).push({
          kind: 'preference',
          id: `${r.work_id}/${r.use}`,
          source: { kind: 'registry', registry: this.deps.registryName, workId: r.work_id },
          uses: [r.use as (typeof USES)[number]],
          stance: stanceFromRow(r.stance, r.terms),
          observedAt: r.updated_at,
        });
      }
    }
    const statementsByWork = cache.statements;

    const results: CheckResult[] = data.items.map((i, index) => {
      const lookup = lookups[index]!;
      const label = i.id === undefined ? {} : { id: i.id };
      if (lookup.kind === 'error') return { ...label, error: { code: 'IDENTIFIER_INVALID', message: lookup.message } };
      const matches = matchesPerItem[index] ?? [];
      // A disputed work brings in the statements of every work in the dispute: the most restrictive applies.
      const works = [...new Set(matches.flatMap((m) => closure.get(m.workId) ?? [m.workId]))];
      const statements = works.flatMap((w) => statementsByWork.get(w) ?? []);
      return { ...label, matches, verdict: evaluate({ statements, use: data.use, regime: data.regime, at }) };
    });
    return { regime: data.regime, use: data.use, at, results };
  }
}
