import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  MerkleTree,
  checkWitnessCosignatures,
  cosignCheckpoint,
  createNoteSigner,
  createNoteVerifier,
  formatCheckpoint,
  formatNote,
  formatNoteSignatureLine,
  generateNoteKey,
  openNoteOrThrow,
  parseNoteSignatureLine,
  signNote,
  verifyCosignature,
  verifyReceipt,
  witnessDecision,
  type WitnessState,
} from '../index.js';
import { encodeBase64, encodeUtf8 } from './encoding.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const root = (fill: number): Uint8Array => new Uint8Array(32).fill(fill);
const state = (size: bigint, fill: number, origin = 'heoga.test/log'): WitnessState => ({
  origin,
  size,
  rootHash: root(fill),
});

describe('witnessDecision', () => {
  it('cosigns the first checkpoint it sees (trust on first use)', () => {
    expect(witnessDecision(undefined, state(5n, 1))).toEqual({ kind: 'first' });
  });

  it('has nothing new for the same size and root', () => {
    expect(witnessDecision(state(5n, 1), state(5n, 1))).toEqual({ kind: 'unchanged' });
  });

  it('calls the same size with another root a fork', () => {
    expect(witnessDecision(state(5n, 1), state(5n, 2))).toMatchObject({ kind: 'fork' });
  });

  it('calls another origin a fork', () => {
    expect(witnessDecision(state(5n, 1), state(5n, 1, 'other.test/log'))).toMatchObject({ kind: 'fork' });
  });

  it('calls a smaller tree a rollback', () => {
    expect(witnessDecision(state(5n, 1), state(4n, 1))).toEqual({ kind: 'rollback', from: 5n, to: 4n });
    // Even with a "proof": nothing makes a smaller tree acceptable.
    expect(witnessDecision(state(5n, 1), state(4n, 1), true)).toMatchObject({ kind: 'rollback' });
  });

  it('asks for a consistency proof for a larger tree, then decides on its outcome', () => {
    expect(witnessDecision(state(5n, 1), state(9n, 2))).toEqual({ kind: 'needs-proof', from: 5n, to: 9n });
    expect(witnessDecision(state(5n, 1), state(9n, 2), true)).toEqual({ kind: 'grown', from: 5n, to: 9n });
    expect(witnessDecision(state(5n, 1), state(9n, 2), false)).toEqual({ kind: 'not-consistent', from: 5n, to: 9n });
  });

  it('needs no proof from the empty tree', () => {
    expect(witnessDecision(state(0n, 0), state(3n, 2))).toEqual({ kind: 'grown', from: 0n, to: 3n });
  });

  it('never cosigns a smaller tree or a second root for a size, whatever the proof says', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.option(fc.boolean(), { nil: undefined }),
        (a, b, ra, rb, proofOk) => {
          const decision = witnessDecision(state(a, ra), state(b, rb), proofOk);
          const cosigns = decision.kind === 'grown' || decision.kind === 'first';
          if (b < a || (b === a && ra !== rb)) expect(cosigns).toBe(false);
          if (cosigns && a > 0n) expect(proofOk).toBe(true);
        },
      ),
    );
  });
});

describe('cosignatures', () => {
  const logKey = generateNoteKey('heoga.test/log');
  const witnessKey = generateNoteKey('witness.test/w1', { type: 'cosignature/v1' });
  const tree = new MerkleTree();
  for (const leaf of ['a', 'b', 'c']) tree.append(utf8(leaf));
  const text = formatCheckpoint({ origin: 'heoga.test/log', size: 3n, rootHash: tree.root(), extensions: [] });
  const at = new Date('2026-11-25T12:00:00Z');

  it('cosigns a checkpoint with the time, and the line round-trips and verifies', () => {
    const signature = cosignCheckpoint(text, witnessKey, () => at);
    const line = formatNoteSignatureLine(signature);
    expect(line.startsWith('\u2014 witness.test/w1 ')).toBe(true);
    const parsed = parseNoteSignatureLine(line);
    expect(parsed).toEqual({ ok: true, value: signature });
    expect(verifyCosignature(text, signature, witnessKey)).toEqual({
      ok: true,
      value: { timestamp: BigInt(at.getTime() / 1000) },
    });
  });

  it('refuses a cosignature over another text, by another key, or with a log (ed25519) key', () => {
    const signature = cosignCheckpoint(text, witnessKey, () => at);
    const other = text.replace('\n3\n', '\n4\n');
    expect(verifyCosignature(other, signature, witnessKey)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    const otherWitness = generateNoteKey('witness.test/w1', { type: 'cosignature/v1' });
    expect(verifyCosignature(text, signature, otherWitness)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(verifyCosignature(text, signature, logKey)).toMatchObject({ ok: false, code: 'NOTE_KEY_INVALID' });
    expect(() => cosignCheckpoint(text, logKey, () => at)).toThrow(InvalidInputError);
  });

  it('refuses any changed byte of a cosignature', () => {
    const signature = cosignCheckpoint(text, witnessKey, () => at);
    fc.assert(
      fc.property(fc.nat({ max: signature.signature.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const bytes = Uint8Array.from(signature.signature);
        bytes[i]! ^= x;
        expect(verifyCosignature(text, { ...signature, signature: bytes }, witnessKey).ok).toBe(false);
      }),
    );
  });

  it('refuses malformed signature lines without throwing', () => {
    for (const line of ['', 'x', '\u2014 ', '\u2014 name', '\u2014 name !!!', '\u2014 a b\nc', 'x'.repeat(5000)]) {
      expect(parseNoteSignatureLine(line).ok).toBe(false);
    }
  });

  it("lists the given witnesses' times on a receipt's checkpoint, and refuses a bad cosignature", () => {
    const log = [createNoteVerifier(logKey)];
    const witness = createNoteVerifier(witnessKey);
    const absent = createNoteVerifier(generateNoteKey('witness.test/w2', { type: 'cosignature/v1' }));
    // A receipt's entry is JSON: a tree over JSON leaves.
    const jsonTree = new MerkleTree();
    for (const leaf of ['{"a":1}', '{"b":2}', '{"c":3}']) jsonTree.append(encodeUtf8(leaf));
    const jsonText = formatCheckpoint({
      origin: 'heoga.test/log',
      size: 3n,
      rootHash: jsonTree.root(),
      extensions: [],
    });
    const jsonNote = signNote(jsonText, [createNoteSigner(logKey)]);
    const jsonCosigned = formatNote({
      ...jsonNote,
      signatures: [...jsonNote.signatures, cosignCheckpoint(jsonText, witnessKey, () => at)],
    });
    const good = {
      format: 'heoga-receipt/v1',
      index: '1',
      treeSize: '3',
      entry: '{"b":2}',
      proof: jsonTree.inclusionProof(1n, 3n).map(encodeBase64),
      checkpoint: jsonCosigned,
    };
    const checked = verifyReceipt(good, log, { witnesses: [witness, absent] });
    expect(checked.ok, checked.ok ? '' : JSON.stringify(checked.issues)).toBe(true);
    if (checked.ok) {
      expect(checked.value.witnessedAt).toEqual([
        { name: 'witness.test/w1', keyId: witnessKey.keyId, timestamp: BigInt(at.getTime() / 1000) },
      ]);
    }
    const withoutWitnesses = verifyReceipt(good, log);
    expect(withoutWitnesses.ok && withoutWitnesses.value.witnessedAt).toEqual([]);
    // A cosignature by a known witness over another checkpoint is refused, as signed-note requires.
    const wrong = formatNote({
      ...jsonNote,
      signatures: [...jsonNote.signatures, cosignCheckpoint(text, witnessKey, () => at)],
    });
    expect(verifyReceipt({ ...good, checkpoint: wrong }, log, { witnesses: [witness] })).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
    });
    const opened = openNoteOrThrow(jsonCosigned, log);
    expect(checkWitnessCosignatures(opened, [witness])).toMatchObject({ ok: true });
  });
});
