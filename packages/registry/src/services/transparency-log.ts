import {
  computeRoot,
  encodeBase64,
  encodeUtf8,
  formatCheckpoint,
  formatNote,
  formatNoteSignatureLine,
  formatVerifierKey,
  hashChildren,
  hashLeaf,
  logEntryFor,
  parseNote,
  parseNoteSignatureLine,
  parseVerifierKey,
  proveConsistency,
  proveInclusion,
  signNote,
  toHex,
  verifyCosignature,
  type HashReader,
  type NoteSigner,
  type Receipt,
  type TreeNode,
} from '@heoga/core';
import { sql, type Kysely } from 'kysely';
import type { RegistryDatabase } from '../db/open-database.js';
import type { DatabaseSchema } from '../db/schema.js';
import type { RegistryDeps } from '../deps.js';
import { RegistryError } from '../errors.js';

/** How many events one append turns into entries (one transaction, one checkpoint). */
export const LOG_BATCH = 1000;

/** The log's identity and signing key. */
export interface LogIdentity {
  /** The checkpoint origin line, e.g. `heoga.example/log`; the key name is the same. */
  readonly origin: string;
  readonly signer: NoteSigner;
  /** The C2SP verifier key string anyone uses to check checkpoints (`name+keyid+base64`). */
  readonly verifierKey: string;
}

/** Most witness cosignatures kept on one checkpoint: a note carries at most 100 signature lines. */
export const MAX_COSIGNATURES_PER_CHECKPOINT = 50;

/** Longest signature field read from a witness: a signature line with a long key name. */
const MAX_COSIGNATURE_INPUT = 4096;

/** Latest time a cosignature may carry and still be shown as a date (the end of ECMAScript's time range). */
const MAX_DATE_SECONDS = 8_640_000_000_000n;

/** A witness's cosignature on a published checkpoint, as a witness sends it. */
export interface CosignatureInput {
  /** The witness's verifier key string (`name+keyid+base64`), of type cosignature/v1. */
  readonly witnessKey: string;
  /** The tree size of the checkpoint cosigned (a published size). */
  readonly checkpointSize: bigint;
  /** The signature line `— <name> <base64>`, or only its base64 part (key ID, time, Ed25519 signature). */
  readonly signature: string;
}

/** A stored cosignature, as the API answers. */
export interface StoredCosignature {
  readonly checkpointSize: string;
  readonly witness: string;
  /** The key ID, 8 hex digits. */
  readonly keyId: string;
  /** When the witness cosigned (from the cosignature), RFC 3339 UTC. */
  readonly witnessedAt: string;
  /** The signature line, as the checkpoint note carries it. */
  readonly signature: string;
  /** False when the log already held this witness's cosignature for the checkpoint (kept, or replaced by a newer one). */
  readonly created: boolean;
}

const invalidCosignature = (path: string, message: string): RegistryError =>
  new RegistryError('VALIDATION_FAILED', `the cosignature is refused: ${message}`, { issues: [{ path, message }] });

/** A log entry as the API lists it. */
export interface LogEntry {
  readonly index: string;
  readonly eventId: string;
  readonly entry: string;
  readonly leafHash: string;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Reads stored complete-subtree hashes, with hashes written in the current batch taking precedence. */
class StoredHashes implements HashReader {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly pending = new Map<string, Uint8Array>(),
  ) {}

  async readHashes(nodes: readonly TreeNode[]): Promise<readonly Uint8Array[]> {
    const key = (n: TreeNode) => `${n.level}/${n.index}`;
    const missing = nodes.filter((n) => !this.pending.has(key(n)));
    const found = new Map<string, Uint8Array>();
    for (let i = 0; i < missing.length; i += 200) {
      const part = missing.slice(i, i + 200);
      const rows = await this.db
        .selectFrom('log_nodes')
        .select(['level', 'idx', 'hash'])
        .where((eb) => eb.or(part.map((n) => eb.and([eb('level', '=', n.level), eb('idx', '=', Number(n.index))]))))
        .execute();
      for (const r of rows) found.set(`${r.level}/${Number(r.idx)}`, fromHex(r.hash));
    }
    return nodes.map((n) => {
      const hash = this.pending.get(key(n)) ?? found.get(key(n));
      if (!hash) throw new RegistryError('STORAGE_FAILED', `the log is missing subtree ${key(n)}`);
      return hash;
    });
  }
}

/**
 * The transparency log: an RFC 6962 Merkle tree over the registry's events, with a signed C2SP checkpoint after
 * each batch. Appending is exactly-once per event (the event id is unique in the log, and each batch is one
 * transaction with its nodes and checkpoint), so a crash at any point loses or doubles nothing.
 */
export class TransparencyLog {
  private appending: Promise<number> | undefined;

  constructor(
    private readonly database: RegistryDatabase,
    private readonly deps: RegistryDeps,
    private readonly identity: LogIdentity,
  ) {}

  /** The log's origin line. */
  get origin(): string {
    return this.identity.origin;
  }

  /** The verifier key for the log's checkpoints. */
  get verifierKey(): string {
    return this.identity.verifierKey;
  }

  /** The log's signer: index snapshots are signed with the same key, so one verifier key vouches for both. */
  get signer(): NoteSigner {
    return this.identity.signer;
  }

  /**
   * Appends every event not yet in the log, a batch at a time; returns how many entries were added. `onBatch` is
   * called with the batch's size after each batch commits (not when this call joins an append already in progress).
   */
  async appendPending(options: { onBatch?: (size: number) => void } = {}): Promise<number> {
    // One append at a time in this process; other processes are kept out by the database (see appendBatch).
    if (this.appending) return this.appending;
    this.appending = (async () => {
      let total = 0;
      for (;;) {
        const added = await this.appendBatch();
        total += added;
        if (added > 0) options.onBatch?.(added);
        if (added < LOG_BATCH) return total;
      }
    })().finally(() => {
      this.appending = undefined;
    });
    return this.appending;
  }

  private async appendBatch(): Promise<number> {
    return this.database.db.transaction().execute(async (trx) => {
      // A single appender at a time across every server process on the same PostgreSQL database.
      if (this.database.engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(7041993)`.execute(trx);
      const head = await trx
        .selectFrom('log_entries')
        .select((eb) => [eb.fn.max('event_seq').as('seq'), eb.fn.countAll().as('size')])
        .executeTakeFirst();
      const lastSeq = Number(head?.seq ?? 0);
      const size = Number(head?.size ?? 0);
      const events = await trx
        .selectFrom('events')
        .selectAll()
        .where('seq', '>', lastSeq)
        .orderBy('seq')
        .limit(LOG_BATCH)
        .execute();
      if (events.length === 0) return 0;
      const now = this.deps.now().toISOString();
      const pending = new Map<string, Uint8Array>();
      const reader = new StoredHashes(trx, pending);
      const nodeRows: { level: number; idx: number; hash: string }[] = [];
      const entryRows: DatabaseSchema['log_entries'][] = [];
      for (const [offset, event] of events.entries()) {
        const index = size + offset;
        const entry = logEntryFor({
          id: event.id,
          seq: Number(event.seq),
          type: event.type,
          actorId: event.actor_id,
          subjectType: event.subject_type,
          subjectId: event.subject_id,
          at: event.at,
          before: event.before === null ? null : (JSON.parse(event.before) as unknown),
          after: event.after === null ? null : (JSON.parse(event.after) as unknown),
        });
        entryRows.push({
          idx: index,
          event_id: event.id,
          event_seq: Number(event.seq),
          subject_type: event.subject_type,
          subject_id: event.subject_id,
          entry,
          appended_at: now,
        });
        // Store the leaf, then every complete subtree this leaf completes (RFC 6962 §2.1 node hashes).
        let hash = hashLeaf(encodeUtf8(entry));
        let level = 0;
        let position = index;
        pending.set(`0/${position}`, hash);
        nodeRows.push({ level: 0, idx: position, hash: toHex(hash) });
        while (position % 2 === 1) {
          const [left] = await reader.readHashes([{ level, index: BigInt(position - 1) }]);
          hash = hashChildren(left!, hash);
          level += 1;
          position = (position - 1) / 2;
          pending.set(`${level}/${position}`, hash);
          nodeRows.push({ level, idx: position, hash: toHex(hash) });
        }
      }
      for (let i = 0; i < entryRows.length; i += 500)
        await trx
          .insertInto('log_entries')
          .values(entryRows.slice(i, i + 500))
          .execute();
      for (let i = 0; i < nodeRows.length; i += 2000)
        await trx
          .insertInto('log_nodes')
          .values(nodeRows.slice(i, i + 2000))
          .execute();
      const newSize = size + events.length;
      const root = await computeRoot(reader, BigInt(newSize));
      const text = formatCheckpoint({
        origin: this.identity.origin,
        size: BigInt(newSize),
        rootHash: root,
        extensions: [],
      });
      const note = formatNote(signNote(text, [this.identity.signer]));
      await trx
        .insertInto('log_checkpoints')
        .values({ size: newSize, root_hash: toHex(root), note, created_at: now })
        .execute();
      return events.length;
    });
  }

  /**
   * The latest signed checkpoint (note text) with the witnesses' stored cosignatures appended as further signature
   * lines, or undefined before the first entry.
   */
  async latestCheckpoint(): Promise<{ size: number; note: string } | undefined> {
    const row = await this.database.db
      .selectFrom('log_checkpoints')
      .select(['size', 'note'])
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const size = Number(row.size);
    return { size, note: await this.withCosignatures(size, row.note) };
  }

  /** The signed checkpoint for one published size, with its stored cosignatures, or undefined. */
  async checkpoint(size: bigint): Promise<{ size: number; note: string } | undefined> {
    if (size < 0n || size > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    const row = await this.database.db
      .selectFrom('log_checkpoints')
      .select(['size', 'note'])
      .where('size', '=', Number(size))
      .executeTakeFirst();
    return row ? { size: Number(row.size), note: await this.withCosignatures(Number(row.size), row.note) } : undefined;
  }

  private async withCosignatures(size: number, note: string): Promise<string> {
    const rows = await this.database.db
      .selectFrom('log_cosignatures')
      .select('signature')
      .where('size', '=', size)
      .orderBy('key_name')
      .orderBy('key_id')
      .limit(MAX_COSIGNATURES_PER_CHECKPOINT)
      .execute();
    return note + rows.map((r) => `${r.signature}\n`).join('');
  }

  /**
   * Stores a witness's cosignature (C2SP tlog-cosignature, `cosignature/v1`) on a published checkpoint, after checking
   * it: the key must be a cosignature/v1 verifier key, the signature line must name it, and the signature must verify
   * over that checkpoint's text with its time. Any key may cosign (verifiers choose the witnesses they trust); only
   * valid cosignatures are kept, one per checkpoint and witness key (a newer one from the same key replaces it), at
   * most `MAX_COSIGNATURES_PER_CHECKPOINT` per checkpoint.
   *
   * Throws `VALIDATION_FAILED` for a malformed or invalid cosignature, `NOT_FOUND` for an unpublished size, and
   * `CONFLICT` when another key with the same name and key ID cosigned first or the checkpoint has no room left.
   *
   * @example
   * ```ts
   * await log.addCosignature({ witnessKey: 'w.example/w1+1a2b3c4d+BH…', checkpointSize: 42n, signature: '— w.example/w1 …' });
   * ```
   */
  async addCosignature(input: CosignatureInput): Promise<StoredCosignature> {
    const key = parseVerifierKey(input.witnessKey);
    if (!key.ok) throw invalidCosignature('witnessKey', key.issues[0]?.message ?? 'not a verifier key');
    const witness = key.value;
    if (witness.type !== 'cosignature/v1') {
      throw invalidCosignature('witnessKey', 'a witness key has type cosignature/v1 (signature type 0x04)');
    }
    if (witness.name === this.identity.signer.name && witness.keyId === this.identity.signer.keyId) {
      // A line with the log's own name and key ID would be checked as the log's signature, and fail every note.
      throw invalidCosignature('witnessKey', "the witness key has the log key's name and key ID");
    }
    const text = input.signature.trim();
    if (text.length === 0 || text.length > MAX_COSIGNATURE_INPUT) {
      throw invalidCosignature('signature', `expected at most ${MAX_COSIGNATURE_INPUT} characters`);
    }
    const parsed = parseNoteSignatureLine(text.startsWith('\u2014') ? text : `\u2014 ${witness.name} ${text}`);
    if (!parsed.ok) throw invalidCosignature('signature', parsed.issues[0]?.message ?? 'not a signature line');
    const inRange = input.checkpointSize >= 0n && input.checkpointSize <= BigInt(Number.MAX_SAFE_INTEGER);
    const checkpoint = inRange
      ? await this.database.db
          .selectFrom('log_checkpoints')
          .select(['size', 'note'])
          .where('size', '=', Number(input.checkpointSize))
          .executeTakeFirst()
      : undefined;
    if (!checkpoint) {
      throw new RegistryError('NOT_FOUND', `the log has published no checkpoint for size ${input.checkpointSize}`);
    }
    const note = parseNote(checkpoint.note);
    if (!note.ok) throw new RegistryError('STORAGE_FAILED', 'a stored checkpoint does not parse');
    const checked = verifyCosignature(note.value.text, parsed.value, witness);
    if (!checked.ok) throw invalidCosignature(checked.issues[0]?.path ?? 'signature', checked.issues[0]?.message ?? '');
    const { timestamp } = checked.value;
    if (timestamp > MAX_DATE_SECONDS) throw invalidCosignature('signature', 'the cosignature time is out of range');
    const witnessedAt = new Date(Number(timestamp) * 1000).toISOString();
    const line = formatNoteSignatureLine(parsed.value);
    const size = Number(checkpoint.size);
    const witnessKey = formatVerifierKey(witness);
    return this.database.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('log_cosignatures')
        .select(['witness_key', 'signature', 'witnessed_at'])
        .where('size', '=', size)
        .where('key_name', '=', witness.name)
        .where('key_id', '=', witness.keyId)
        .executeTakeFirst();
      const answer = (stored: { signature: string; witnessed_at: string }, created: boolean): StoredCosignature => ({
        checkpointSize: String(size),
        witness: witness.name,
        keyId: witness.keyId.toString(16).padStart(8, '0'),
        witnessedAt: stored.witnessed_at,
        signature: stored.signature,
        created,
      });
      if (existing) {
        if (existing.witness_key !== witnessKey) {
          throw new RegistryError(
            'CONFLICT',
            `another key named ${witness.name} with the same key ID already cosigned this checkpoint`,
          );
        }
        if (Date.parse(witnessedAt) <= Date.parse(existing.witnessed_at)) return answer(existing, false);
        await trx
          .updateTable('log_cosignatures')
          .set({ signature: line, witnessed_at: witnessedAt })
          .where('size', '=', size)
          .where('key_name', '=', witness.name)
          .where('key_id', '=', witness.keyId)
          .execute();
        return answer({ signature: line, witnessed_at: witnessedAt }, false);
      }
      const count = await trx
        .selectFrom('log_cosignatures')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('size', '=', size)
        .executeTakeFirst();
      if (Number(count?.n ?? 0) >= MAX_COSIGNATURES_PER_CHECKPOINT) {
        throw new RegistryError(
          'CONFLICT',
          `this checkpoint already carries ${MAX_COSIGNATURES_PER_CHECKPOINT} cosignatures`,
        );
      }
      await trx
        .insertInto('log_cosignatures')
        .values({
          size,
          key_name: witness.name,
          key_id: witness.keyId,
          witness_key: witnessKey,
          signature: line,
          witnessed_at: witnessedAt,
          created_at: this.deps.now().toISOString(),
        })
        .execute();
      return answer({ signature: line, witnessed_at: witnessedAt }, true);
    });
  }

  /** Entries `[start, start + limit)`. */
  async entries(start: number, limit: number): Promise<LogEntry[]> {
    const rows = await this.database.db
      .selectFrom('log_entries')
      .innerJoin('log_nodes', (join) =>
        join.onRef('log_nodes.idx', '=', 'log_entries.idx').on('log_nodes.level', '=', 0),
      )
      .select(['log_entries.idx', 'log_entries.event_id', 'log_entries.entry', 'log_nodes.hash'])
      .where('log_entries.idx', '>=', start)
      .orderBy('log_entries.idx')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      index: String(r.idx),
      eventId: r.event_id,
      entry: r.entry,
      leafHash: encodeBase64(fromHex(r.hash)),
    }));
  }

  private async assertSize(treeSize: bigint): Promise<void> {
    const checkpoint = await this.database.db
      .selectFrom('log_checkpoints')
      .select('size')
      .where('size', '=', Number(treeSize))
      .executeTakeFirst();
    if (!checkpoint) throw new RegistryError('NOT_FOUND', `the log has published no checkpoint for size ${treeSize}`);
  }

  /** An inclusion proof for leaf `index` in the tree of `treeSize` entries (a size with a published checkpoint). */
  async inclusionProof(index: bigint, treeSize: bigint): Promise<string[]> {
    if (index < 0n || index >= treeSize) {
      throw new RegistryError('VALIDATION_FAILED', `index ${index} is not below the tree size ${treeSize}`, {
        issues: [{ path: 'index', message: 'out of range' }],
      });
    }
    await this.assertSize(treeSize);
    return (await proveInclusion(new StoredHashes(this.database.db), index, treeSize)).map(encodeBase64);
  }

  /** A consistency proof from the tree of `from` entries to the tree of `to` entries. */
  async consistencyProof(from: bigint, to: bigint): Promise<string[]> {
    if (from < 1n || from > to) {
      throw new RegistryError('VALIDATION_FAILED', `sizes must satisfy 1 <= from <= to, not ${from} and ${to}`, {
        issues: [{ path: 'from', message: 'out of range' }],
      });
    }
    await this.assertSize(from);
    await this.assertSize(to);
    return (await proveConsistency(new StoredHashes(this.database.db), from, to)).map(encodeBase64);
  }

  /** The receipt for one event (appending pending events first), or undefined when there is no such event. */
  async receiptForEvent(eventId: string): Promise<Receipt | undefined> {
    await this.appendPending();
    const row = await this.database.db
      .selectFrom('log_entries')
      .select(['idx', 'entry'])
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (!row) return undefined;
    return this.receiptFor(Number(row.idx), row.entry);
  }

  /** Receipts for every logged event about a subject (a work, an organisation…), oldest first, at most 100. */
  async receiptsForSubject(subjectType: string, subjectId: string): Promise<Receipt[]> {
    await this.appendPending();
    const rows = await this.database.db
      .selectFrom('log_entries')
      .select(['idx', 'entry'])
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .orderBy('idx')
      .limit(100)
      .execute();
    const out: Receipt[] = [];
    for (const r of rows) out.push(await this.receiptFor(Number(r.idx), r.entry));
    return out;
  }

  private async receiptFor(index: number, entry: string): Promise<Receipt> {
    const latest = await this.latestCheckpoint();
    if (!latest || latest.size <= index)
      throw new RegistryError('STORAGE_FAILED', 'the log has no checkpoint covering this entry');
    const proof = await proveInclusion(new StoredHashes(this.database.db), BigInt(index), BigInt(latest.size));
    return {
      format: 'heoga-receipt/v1',
      index: String(index),
      entry,
      treeSize: String(latest.size),
      proof: proof.map(encodeBase64),
      checkpoint: latest.note,
    };
  }
}
