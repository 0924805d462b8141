import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createNoteSigner,
  createNoteVerifier,
  encodeBase64,
  encodeUtf8,
  formatCheckpoint,
  formatNote,
  generateNoteKey,
  hashLeaf,
  MerkleTree,
  signNote,
  verifyReceipt,
  type Receipt,
} from '../index.js';

const key = generateNoteKey('heoga.test/log');
const verifiers = [createNoteVerifier(key)];

/** A valid receipt for entry `index` of a log of `size` entries. */
function receiptFor(size: number, index: number): Receipt {
  const tree = new MerkleTree();
  const entries = Array.from({ length: size }, (_, i) => `{"event":"ev_${i}","v":1}`);
  for (const e of entries) tree.append(encodeUtf8(e));
  const text = formatCheckpoint({
    origin: 'heoga.test/log',
    size: BigInt(size),
    rootHash: tree.root(),
    extensions: [],
  });
  return {
    format: 'heoga-receipt/v1',
    index: String(index),
    entry: entries[index]!,
    treeSize: String(size),
    proof: tree.inclusionProof(BigInt(index), BigInt(size)).map(encodeBase64),
    checkpoint: formatNote(signNote(text, [createNoteSigner(key)])),
  };
}

describe('verifyReceipt', () => {
  it('accepts a receipt built from a tree, and reads back its entry', () => {
    const checked = verifyReceipt(receiptFor(13, 6), verifiers);
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.value.entry).toEqual({ event: 'ev_6', v: 1 });
    expect(hashLeaf(encodeUtf8('{"event":"ev_6","v":1}')).length).toBe(32);
  });

  it('never throws on hostile input, and refuses it with a typed code (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            format: fc.constant('heoga-receipt/v1'),
            index: fc.string(),
            entry: fc.string(),
            treeSize: fc.string(),
            proof: fc.array(fc.string()),
            checkpoint: fc.string(),
          }),
        ),
        (value) => {
          const checked = verifyReceipt(value, verifiers);
          expect(checked.ok).toBe(false);
          if (!checked.ok)
            expect(['RECEIPT_INVALID', 'SIGNATURE_INVALID', 'CHECKPOINT_INVALID', 'PROOF_INVALID']).toContain(
              checked.code,
            );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses any change to a field of a valid receipt (property)', () => {
    const fields = ['index', 'entry', 'treeSize', 'proof', 'checkpoint'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.nat(),
        fc.constantFrom(...fields),
        fc.nat(),
        (size, i, field, n) => {
          const index = i % size;
          const receipt = receiptFor(size, index);
          const changed: Record<string, unknown> = { ...receipt };
          if (field === 'index') changed['index'] = String((index + 1 + (n % (size - 1))) % size);
          if (field === 'treeSize') changed['treeSize'] = String(size + 1 + (n % 5));
          if (field === 'entry') changed['entry'] = receipt.entry.replace('"v":1', '"v":2');
          if (field === 'proof')
            changed['proof'] = receipt.proof.length > 0 ? receipt.proof.slice(1) : [encodeBase64(new Uint8Array(32))];
          if (field === 'checkpoint')
            changed['checkpoint'] = receipt.checkpoint.replace(`\n${size}\n`, `\n${size + 1}\n`);
          expect(verifyReceipt(changed, verifiers).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
