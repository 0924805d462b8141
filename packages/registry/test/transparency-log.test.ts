import {
  cosignCheckpoint,
  createNoteSigner,
  createNoteVerifier,
  decodeBase64,
  encodeBase64,
  formatNoteSignatureLine,
  formatVerifierKey,
  generateNoteKey,
  openCheckpointOrThrow,
  openNoteOrThrow,
  parseNote,
  verifyConsistency,
  verifyReceipt,
} from '@heoga/core';
import { beforeAll, expect, it } from 'vitest';
import { MAX_COSIGNATURES_PER_CHECKPOINT, TransparencyLog, type Registry } from '../src/index.js';
import { describeEachEngine } from './engines.js';
import { expectRegistryError, newAccount, workOf, type TestAccount } from './helpers.js';

const key = generateNoteKey('heoga.test/log');
const verifier = createNoteVerifier(key);

describeEachEngine('transparency log', (get) => {
  let registry: Registry;
  let log: TransparencyLog;
  let creator: TestAccount;

  beforeAll(async () => {
    registry = get().registry;
    log = new TransparencyLog(registry.database, registry.deps, {
      origin: 'heoga.test/log',
      signer: createNoteSigner(key),
      verifierKey: formatVerifierKey(key),
    });
    creator = await newAccount(registry, 'creator', 'Kim Haneul');
  });

  it('appends every event exactly once, signs a checkpoint per batch, and serves verifiable receipts', async () => {
    const work = await registry.works.registerWork(creator.actor, workOf(creator.holderId));
    await registry.works.setPolicy(creator.actor, work.id, 'ai-train', { kind: 'deny' });
    const events = await registry.database.db.selectFrom('events').select('id').execute();
    expect(await log.appendPending()).toBe(events.length);
    expect(await log.appendPending()).toBe(0);
    const entries = await registry.database.db.selectFrom('log_entries').select(['event_id']).execute();
    expect(entries.map((e) => e.event_id).sort()).toEqual(events.map((e) => e.id).sort());

    const checkpoint = await log.latestCheckpoint();
    expect(checkpoint?.size).toBe(events.length);
    const opened = openCheckpointOrThrow(checkpoint!.note, [verifier]);
    expect(opened.checkpoint.size).toBe(BigInt(events.length));

    const receipts = await log.receiptsForSubject('work', work.id);
    expect(receipts.length).toBe(2);
    for (const receipt of receipts) {
      const checked = verifyReceipt(receipt, [verifier]);
      expect(checked.ok, checked.ok ? '' : JSON.stringify(checked.issues)).toBe(true);
      if (checked.ok) expect(checked.value.entry['subject']).toEqual({ type: 'work', id: work.id });
    }
    const policySet = receipts.find((r) => r.entry.includes('"policy.set"'))!;
    expect(JSON.parse(policySet.entry)).toMatchObject({
      type: 'policy.set',
      after: { use: 'ai-train', stance: { kind: 'deny' } },
    });
  });

  it('hashes personal fields in entries', async () => {
    await log.appendPending();
    const rows = await registry.database.db.selectFrom('log_entries').select('entry').execute();
    const text = rows.map((r) => r.entry).join('\n');
    expect(text).not.toContain('Kim Haneul');
    expect(text).toMatch(/"displayName":\{"sha256":"[0-9a-f]{64}"\}/);
  });

  it('rejects a tampered receipt, naming the failed check', async () => {
    const work = await registry.works.registerWork(creator.actor, workOf(creator.holderId));
    const [receipt] = await log.receiptsForSubject('work', work.id);
    const changedEntry = { ...receipt!, entry: receipt!.entry.replace('work.registered', 'work.updated') };
    expect(verifyReceipt(changedEntry, [verifier])).toMatchObject({ ok: false, code: 'PROOF_INVALID' });
    const otherKey = createNoteVerifier(generateNoteKey('heoga.test/log'));
    expect(verifyReceipt(receipt, [otherKey]).ok).toBe(false);
    expect(verifyReceipt({ ...receipt!, treeSize: '1' }, [verifier])).toMatchObject({
      ok: false,
      code: 'CHECKPOINT_INVALID',
    });
    expect(verifyReceipt('nonsense', [verifier])).toMatchObject({ ok: false, code: 'RECEIPT_INVALID' });
  });

  it('proves consistency between published sizes across many batches', async () => {
    const first = (await log.latestCheckpoint())!;
    for (let i = 0; i < 30; i += 1) await registry.works.registerWork(creator.actor, workOf(creator.holderId));
    await log.appendPending();
    const second = (await log.latestCheckpoint())!;
    const proof = await log.consistencyProof(BigInt(first.size), BigInt(second.size));
    const root = (note: string) => openCheckpointOrThrow(note, [verifier]).checkpoint.rootHash;
    expect(
      verifyConsistency({
        size1: BigInt(first.size),
        size2: BigInt(second.size),
        root1: root(first.note),
        root2: root(second.note),
        proof: proof.map((p) => decodeBase64(p)!),
      }).ok,
    ).toBe(true);
    const inclusion = await log.inclusionProof(0n, BigInt(second.size));
    expect(inclusion.length).toBeGreaterThan(0);
    await expectRegistryError(log.inclusionProof(0n, BigInt(second.size) + 7n), 'NOT_FOUND');
    await expectRegistryError(log.consistencyProof(0n, 1n), 'VALIDATION_FAILED');
  });

  it('stores only valid witness cosignatures and serves them on the checkpoint and in receipts', async () => {
    const work = await registry.works.registerWork(creator.actor, workOf(creator.holderId));
    await log.appendPending();
    const latest = (await log.latestCheckpoint())!;
    const text = parseNote(latest.note);
    if (!text.ok) throw new Error('the checkpoint does not parse');
    const witnessKey = generateNoteKey('witness.test/w1', { type: 'cosignature/v1' });
    const at = new Date('2026-11-25T12:00:00Z');
    const signature = cosignCheckpoint(text.value.text, witnessKey, () => at);
    const input = {
      witnessKey: formatVerifierKey(witnessKey),
      checkpointSize: BigInt(latest.size),
      signature: formatNoteSignatureLine(signature),
    };
    const stored = await log.addCosignature(input);
    expect(stored).toMatchObject({
      created: true,
      witness: 'witness.test/w1',
      witnessedAt: '2026-11-25T12:00:00.000Z',
    });
    // The same cosignature again (here as its base64 part only) is kept once.
    const base64 = input.signature.split(' ').at(-1)!;
    expect(await log.addCosignature({ ...input, signature: base64 })).toMatchObject({ created: false });
    // A newer cosignature from the same key replaces the older one.
    const later = cosignCheckpoint(text.value.text, witnessKey, () => new Date('2026-11-25T13:00:00Z'));
    expect(await log.addCosignature({ ...input, signature: formatNoteSignatureLine(later) })).toMatchObject({
      created: false,
      witnessedAt: '2026-11-25T13:00:00.000Z',
    });

    const served = (await log.latestCheckpoint())!;
    expect(served.note.startsWith(latest.note)).toBe(true);
    const opened = openNoteOrThrow(served.note, [verifier, createNoteVerifier(witnessKey)]);
    expect(opened.verified.map((s) => s.name)).toEqual(['heoga.test/log', 'witness.test/w1']);
    const [receipt] = await log.receiptsForSubject('work', work.id);
    const checked = verifyReceipt(receipt, [verifier], { witnesses: [createNoteVerifier(witnessKey)] });
    expect(checked.ok && checked.value.witnessedAt.map((w) => w.timestamp)).toEqual([
      BigInt(Date.parse('2026-11-25T13:00:00Z') / 1000),
    ]);

    // Refused: over another checkpoint, by another key than the one presented, a log-type key, an unknown size.
    const wrong = { ...signature, signature: Uint8Array.from(signature.signature).fill(7, 8, 12) };
    await expectRegistryError(
      log.addCosignature({ ...input, signature: formatNoteSignatureLine(wrong) }),
      'VALIDATION_FAILED',
    );
    const other = generateNoteKey('witness.test/w2', { type: 'cosignature/v1' });
    await expectRegistryError(
      log.addCosignature({ ...input, witnessKey: formatVerifierKey(other) }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(
      log.addCosignature({ ...input, witnessKey: formatVerifierKey(key) }),
      'VALIDATION_FAILED',
    );
    await expectRegistryError(log.addCosignature({ ...input, checkpointSize: 10n ** 30n }), 'NOT_FOUND');
    await expectRegistryError(log.addCosignature({ ...input, signature: 'not base64!' }), 'VALIDATION_FAILED');
    await expectRegistryError(log.addCosignature({ ...input, signature: 'A'.repeat(5000) }), 'VALIDATION_FAILED');
    await expectRegistryError(log.addCosignature({ ...input, witnessKey: 'x' }), 'VALIDATION_FAILED');
    expect(encodeBase64(decodeBase64(base64)!)).toBe(base64);
  });

  it('keeps at most MAX_COSIGNATURES_PER_CHECKPOINT cosignatures on one checkpoint', async () => {
    await registry.works.registerWork(creator.actor, workOf(creator.holderId));
    await log.appendPending();
    const latest = (await log.latestCheckpoint())!;
    const text = parseNote(latest.note);
    if (!text.ok) throw new Error('the checkpoint does not parse');
    const post = (i: number) => {
      const witness = generateNoteKey(`witness.test/crowd${i}`, { type: 'cosignature/v1' });
      const signature = cosignCheckpoint(text.value.text, witness, () => new Date('2026-11-25T12:00:00Z'));
      return log.addCosignature({
        witnessKey: formatVerifierKey(witness),
        checkpointSize: BigInt(latest.size),
        signature: formatNoteSignatureLine(signature),
      });
    };
    for (let i = 0; i < MAX_COSIGNATURES_PER_CHECKPOINT; i += 1) await post(i);
    await expectRegistryError(post(MAX_COSIGNATURES_PER_CHECKPOINT), 'CONFLICT');
    const served = (await log.latestCheckpoint())!;
    const parsed = parseNote(served.note);
    expect(parsed.ok && parsed.value.signatures.length).toBe(MAX_COSIGNATURES_PER_CHECKPOINT + 1);
  });
});
