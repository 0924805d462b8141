import {
  evaluate,
  formatIssuePath,
  IDENTIFIER_SCHEMES,
  parseIdentifier,
  REGIME_IDS,
  USES,
  type InputIssue,
  type Statement,
  type Verdict,
  urlPrefixCandidates,
} from '@heoga/core';
import { z } from 'zod';
import { fingerprintValueDigest } from '../db/migrations.js';
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

declare const checkRequestBrand: unique symbol;

/**
 * A check request that passed `checkInput` (SHA-256 hashes in lower case), as made by `CheckService.parseInput`:
 * `CheckService.check` takes it without validating it again.
 */
export type CheckRequest = z.output<typeof checkInput> & { readonly [checkRequestBrand]: true };

/** The requests made by `parseInput`: the brand checked at run time, so that no other object skips validation. */
const parsedRequests = new WeakSet<object>();

const REGIME_SET: ReadonlySet<string> = new Set(REGIME_IDS);
const USE_SET: ReadonlySet<string> = new Set(USES);
const SCHEME_SET: ReadonlySet<string> = new Set(IDENTIFIER_SCHEMES);
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** A plain object (what JSON.parse makes) whose own enumerable keys are all in `allowed`, or undefined. */
function plainObject(value: unknown, allowed: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return undefined;
  for (const key in value) if (!allowed.has(key)) return undefined;
  return value as Record<string, unknown>;
}

const REQUEST_KEYS: ReadonlySet<string> = new Set(['regime', 'use', 'items']);
const ITEM_KEYS: ReadonlySet<string> = new Set(['id', 'identifier', 'url', 'sha256']);
const IDENTIFIER_KEYS: ReadonlySet<string> = new Set(['scheme', 'value']);

const isText = (value: unknown, min: number, max: number): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;

/**
 * The common shape of a check request read by hand, without zod (it runs on every call of the HTTP endpoint):
 * the value `checkInput` would give, or undefined whenever anything is unusual, and zod then decides (and words the
 * issues). It accepts a subset of what `checkInput` accepts, with the same output: a property test holds it to that.
 */
function readCommonShape(input: unknown): z.output<typeof checkInput> | undefined {
  const request = plainObject(input, REQUEST_KEYS);
  if (request === undefined) return undefined;
  const { regime, use, items } = request;
  if (typeof regime !== 'string' || !REGIME_SET.has(regime) || typeof use !== 'string' || !USE_SET.has(use))
    return undefined;
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_CHECK_ITEMS) return undefined;
  const out: z.output<typeof item>[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const given = plainObject(items[i], ITEM_KEYS);
    if (given === undefined) return undefined;
    const { id, identifier, url, sha256 } = given;
    if ('id' in given && !isText(id, 0, 200)) return undefined;
    let read: z.output<typeof item>;
    if ('identifier' in given) {
      const ident = plainObject(identifier, IDENTIFIER_KEYS);
      if (ident === undefined || 'url' in given || 'sha256' in given) return undefined;
      const { scheme, value } = ident;
      if (typeof scheme !== 'string' || !SCHEME_SET.has(scheme) || !isText(value, 1, 2048)) return undefined;
      read = { identifier: { scheme: scheme as (typeof IDENTIFIER_SCHEMES)[number], value } };
    } else if ('url' in given) {
      if (!isText(url, 1, 2048) || 'sha256' in given) return undefined;
      read = { url };
    } else if ('sha256' in given) {
      if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return undefined;
      read = { sha256: sha256.toLowerCase() };
    } else {
      return undefined;
    }
    out.push(id === undefined ? read : { id: id as string, ...read });
  }
  return { regime: regime as (typeof REGIME_IDS)[number], use: use as (typeof USES)[number], items: out };
}

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

/** Beyond this many cached entries (lookup keys, items read and answers together), the cache starts again. */
const CHECK_CACHE_LIMIT = 200_000;

/**
 * How long a cached answer is served without asking the database whether anything changed. Changes made by this
 * process are seen at once (it counts its own writes); changes made by another server process on the same database
 * are seen within this many milliseconds.
 */
export const CHECK_FRESHNESS_MS = 25;

/** An item read: what to look up (`key` names the lookup in the answer cache), or why it cannot be read. */
type Lookup =
  | { readonly kind: 'identifier'; readonly key: string; readonly scheme: string; readonly value: string }
  | { readonly kind: 'url'; readonly key: string; readonly value: string; readonly prefixes: readonly string[] }
  | { readonly kind: 'sha256'; readonly key: string; readonly value: string };
type ReadItem = Lookup | { readonly kind: 'error'; readonly message: string };

/**
 * One item's answer under one regime for one use, but for the evaluation time. Registry statements are preferences
 * without validity dates, so their verdict depends on the time only through `evaluatedAt` (core's `evaluate` reads
 * the time for held licences alone): the verdict is evaluated once per cache generation and stamped on each call.
 */
interface Answer {
  readonly matches: readonly CheckMatch[];
  readonly verdict: Verdict;
}

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
  /** The item as given (`kind\0scheme\0text`) → the item read: parsing and normalising are pure. */
  readonly items: Map<string, ReadItem>;
  /** `regime\0use\0lookup key` → the item's matches and verdict. */
  readonly answers: Map<string, Answer>;
}

function emptyCache(seq: number): CheckCache {
  return {
    seq,
    writes: -1,
    checkedAt: Number.NEGATIVE_INFINITY,
    keys: new Map(),
    closure: new Map(),
    statements: new Map(),
    items: new Map(),
    answers: new Map(),
  };
}

const cacheSize = (cache: CheckCache) => cache.keys.size + cache.items.size + cache.answers.size;

type CheckItem = z.output<typeof checkInput>['items'][number];

/** Reads one validated item: normalises its identifier or URL (the URL with its prefix candidates). */
function readItem(i: CheckItem): ReadItem {
  if (i.sha256 !== undefined) return { kind: 'sha256', key: `s\u0000${i.sha256}`, value: i.sha256 };
  if (i.url !== undefined) {
    const parsed = parseIdentifier('url', i.url);
    return parsed.ok
      ? {
          kind: 'url',
          key: `u\u0000${parsed.value.value}`,
          value: parsed.value.value,
          prefixes: urlPrefixCandidates(parsed.value.value),
        }
      : { kind: 'error', message: parsed.issues[0]?.message ?? 'not a URL' };
  }
  const parsed = parseIdentifier(i.identifier!.scheme, i.identifier!.value);
  return parsed.ok
    ? {
        kind: 'identifier',
        key: `i\u0000${parsed.value.scheme}\u0000${parsed.value.value}`,
        scheme: parsed.value.scheme,
        value: parsed.value.value,
      }
    : { kind: 'error', message: parsed.issues[0]?.message ?? 'not a valid identifier' };
}

/** The key of an item as given, for the cache of items read. */
function givenKey(i: CheckItem): string {
  if (i.sha256 !== undefined) return `s\u0000${i.sha256}`;
  if (i.url !== undefined) return `u\u0000${i.url}`;
  return `i\u0000${i.identifier!.scheme}\u0000${i.identifier!.value}`;
}

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

  /**
   * Validates a check request once, so that a caller that reads it early (the HTTP route, before authorisation has
   * run its course) can pass the result to `check` without a second validation. Common requests are read by hand;
   * anything unusual goes through the `checkInput` schema, whose issues are returned.
   *
   * @example
   * ```ts
   * const parsed = registry.check.parseInput(JSON.parse(body));
   * if (parsed.ok) await registry.check.check(actor, parsed.value);
   * ```
   */
  parseInput(
    input: unknown,
  ): { readonly ok: true; readonly value: CheckRequest } | { readonly ok: false; readonly issues: InputIssue[] } {
    let value = readCommonShape(input);
    if (value === undefined) {
      const result = checkInput.safeParse(input);
      if (!result.success) {
        return {
          ok: false,
          issues: result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
        };
      }
      value = result.data;
    }
    parsedRequests.add(value);
    return { ok: true, value: value as CheckRequest };
  }

  private freshCache(now: number): CheckCache | Promise<CheckCache> {
    const writes = this.database.writes();
    // Nothing written by this process, and the event sequence read moments ago: the cache stands.
    if (
      writes === this.cache.writes &&
      now - this.cache.checkedAt < CHECK_FRESHNESS_MS &&
      cacheSize(this.cache) <= CHECK_CACHE_LIMIT
    ) {
      return this.cache;
    }
    return this.database.db.executeQuery(this.lastSeqQuery).then(({ rows }) => {
      const seq = Number(rows[0]?.seq ?? 0);
      if (seq !== this.cache.seq || cacheSize(this.cache) > CHECK_CACHE_LIMIT) this.cache = emptyCache(seq);
      this.cache.writes = writes;
      this.cache.checkedAt = now;
      return this.cache;
    });
  }

  /**
   * Checks up to 1,000 items. Any authenticated credential with the `check` scope may call it. The input is
   * validated unless it comes from `parseInput`.
   */
  async check(actor: Actor, input: CheckInput | CheckRequest): Promise<CheckResponse> {
    requireScope(actor, 'check');
    const data = parsedRequests.has(input) ? (input as CheckRequest) : validate(checkInput, input);
    const now = this.deps.now();
    const at = now.toISOString();
    const fresh = this.freshCache(now.getTime());
    // Most calls find the cache fresh: no promise to wait for.
    const cache = fresh instanceof Promise ? await fresh : fresh;

    const lookups = data.items.map((i) => {
      const given = givenKey(i);
      let read = cache.items.get(given);
      if (read === undefined) {
        read = readItem(i);
        cache.items.set(given, read);
      }
      return read;
    });
    const prefix = `${data.regime}\u0000${data.use}\u0000`;
    const answers = lookups.map((l) => (l.kind === 'error' ? undefined : cache.answers.get(prefix + l.key)));
    const missing: Lookup[] = [];
    for (const [index, l] of lookups.entries()) if (l.kind !== 'error' && answers[index] === undefined) missing.push(l);
    if (missing.length > 0) {
      const found = await this.answer(cache, missing, data.regime, data.use, at);
      for (const [index, l] of lookups.entries()) {
        if (l.kind !== 'error' && answers[index] === undefined) {
          const answer = found.get(l.key)!;
          cache.answers.set(prefix + l.key, answer);
          answers[index] = answer;
        }
      }
    }

    const results: CheckResult[] = data.items.map((i, index) => {
      const lookup = lookups[index]!;
      const label = i.id === undefined ? {} : { id: i.id };
      if (lookup.kind === 'error') return { ...label, error: { code: 'IDENTIFIER_INVALID', message: lookup.message } };
      const { matches, verdict } = answers[index]!;
      return { ...label, matches, verdict: { ...verdict, evaluatedAt: at } };
    });
    return { regime: data.regime, use: data.use, at, results };
  }

  /** Looks items up in the database (what the cache lacks) and evaluates them: lookup key → answer. */
  private async answer(
    cache: CheckCache,
    lookups: readonly Lookup[],
    regime: CheckRequest['regime'],
    use: CheckRequest['use'],
    at: string,
  ): Promise<Map<string, Answer>> {
    const db = this.database.db;
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
            eb.or([
              eb('file_sha256', 'in', part),
              eb.and([eb('algorithm', '=', 'sha256'), eb('value_digest', 'in', part.map(fingerprintValueDigest))]),
            ]),
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

    const answers = new Map<string, Answer>();
    for (const [index, lookup] of lookups.entries()) {
      if (answers.has(lookup.key)) continue;
      const matches = matchesPerItem[index] ?? [];
      // A disputed work brings in the statements of every work in the dispute: the most restrictive applies.
      const works = [...new Set(matches.flatMap((m) => closure.get(m.workId) ?? [m.workId]))];
      const statements = works.flatMap((w) => statementsByWork.get(w) ?? []);
      answers.set(lookup.key, { matches, verdict: evaluate({ statements, use, regime, at }) });
    }
    return answers;
  }
}
