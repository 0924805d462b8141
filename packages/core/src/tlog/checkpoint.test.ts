import { ed25519 } from '@noble/curves/ed25519.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COSIGNATURE_V1_HEADER,
  InvalidInputError,
  MerkleTree,
  VerificationError,
  cosignatureV1Message,
  createNoteSigner,
  createNoteVerifier,
  formatCheckpoint,
  formatNote,
  noteKeyFromSeed,
  openCheckpoint,
  openCheckpointOrThrow,
  parseCheckpoint,
  parseCosignature,
  signNote,
  verifyInclusion,
  type Checkpoint,
} from '../index.js';
import { readVectorJson, VECTORS_AVAILABLE } from '../../test/vectors.js';
import { decodeBase64, encodeBase64 } from './encoding.js';

interface CheckpointExamples {
  checkpoint_example: string;
  cosignature_v1_signed_message_example: string;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const seed = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const logKey = noteKeyFromSeed('heoga.example/log', seed(1));
const witnessKey = noteKeyFromSeed('witness.example/w1', seed(2), 'cosignature/v1');
const tree = MerkleTree.from(Array.from({ length: 20 }, (_, i) => utf8(`consent ${i}`)));
const checkpoint: Checkpoint = { origin: 'heoga.example/log', size: tree.size, rootHash: tree.root(), extensions: [] };

describe.skipIf(!VECTORS_AVAILABLE)('the C2SP checkpoint and cosignature examples', () => {
  let examples: CheckpointExamples;
  beforeAll(() => {
    examples = readVectorJson<CheckpointExamples>('signed-note/example.json');
  });

  it('parses and rewrites the tlog-checkpoint example', () => {
    const parsed = parseCheckpoint(examples.checkpoint_example);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.origin).toBe('example.com/behind-the-sofa');
    expect(parsed.value.size).toBe(20852163n);
    expect(encodeBase64(parsed.value.rootHash)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(parsed.value.extensions).toEqual([]);
    expect(formatCheckpoint(parsed.value)).toBe(examples.checkpoint_example);
  });

  it('builds the cosignature/v1 signed message of the example', () => {
    expect(cosignatureV1Message(examples.checkpoint_example, 1679315147n)).toBe(
      examples.cosignature_v1_signed_message_example,
    );
    expect(examples.cosignature_v1_signed_message_example.startsWith(`${COSIGNATURE_V1_HEADER}\n`)).toBe(true);
  });
});

describe('checkpoints', () => {
  it('round-trips extension lines and the empty tree', () => {
    const withExtensions = { ...checkpoint, extensions: ['ext one', '— looks like a signature'] };
    expect(parseCheckpoint(formatCheckpoint(withExtensions))).toEqual({ ok: true, value: withExtensions });
    const empty = { origin: 'o', size: 0n, rootHash: new MerkleTree().root(), extensions: [] };
    expect(formatCheckpoint(empty)).toBe('o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
    const largest = { ...checkpoint, size: (1n << 64n) - 1n };
    expect(parseCheckpoint(formatCheckpoint(largest))).toEqual({ ok: true, value: largest });
  });

  it('refuses malformed checkpoint texts', () => {
    const root = encodeBase64(tree.root());
    const bad = [
      '',
      'origin\n',
      'origin\n5\n',
      `origin\n5\n${root}`,
      `\n5\n${root}\n`,
      `origin\n\n${root}\n`,
      `origin\n05\n${root}\n`,
      `origin\n00\n${root}\n`,
      `origin\n+5\n${root}\n`,
      `origin\n-5\n${root}\n`,
      `origin\n5.0\n${root}\n`,
      `origin\n 5\n${root}\n`,
      `origin\n1e3\n${root}\n`,
      `origin\n0x10\n${root}\n`,
      `origin\n18446744073709551616\n${root}\n`,
      `origin\n${'9'.repeat(400)}\n${root}\n`,
      `origin\n5\n${root.slice(0, -1)}\n`,
      `origin\n5\n${encodeBase64(new Uint8Array(31))}\n`,
      `origin\n5\n${encodeBase64(new Uint8Array(33))}\n`,
      `origin\n5\n${root.replace(/.=$/, 'J=')}\n`,
      `origin\n5\n${root}\n\n`,
      `origin\n5\n${root}\next\n\n`,
      `origin\n5\n${root}\n\next\n`,
      `ori\rgin\n5\n${root}\n`,
      `origin\r\n5\n${root}\n`,
      `origin\n5\n${root} \n`,
    ];
    for (const text of bad) expect(parseCheckpoint(text).ok, JSON.stringify(text)).toBe(false);
    expect(parseCheckpoint(`origin\n5\n${root}\n`).ok).toBe(true);
  });

  it('refuses to format an invalid checkpoint with CHECKPOINT_INVALID', () => {
    const bad: Checkpoint[] = [
      { ...checkpoint, origin: '' },
      { ...checkpoint, origin: 'two\nlines' },
      { ...checkpoint, size: -1n },
      { ...checkpoint, size: 1n << 64n },
      { ...checkpoint, rootHash: new Uint8Array(31) },
      { ...checkpoint, extensions: [''] },
      { ...checkpoint, origin: 'ctl\u0001' },
    ];
    for (const c of bad) {
      expect(() => formatCheckpoint(c)).toThrow(InvalidInputError);
      expect(() => formatCheckpoint(c)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_INVALID' }));
    }
  });
});

describe('signed checkpoints and cosignatures', () => {
  const at = new Date('2026-03-01T12:00:00.750Z');
  const logSigned = signNote(formatCheckpoint(checkpoint), [createNoteSigner(logKey)]);
  const cosigned = signNote(logSigned, [createNoteSigner(witnessKey, { now: () => at })]);
  const body = formatNote(cosigned);
  const verifiers = [createNoteVerifier(logKey), createNoteVerifier(witnessKey)];

  it('opens a checkpoint signed by the log and cosigned by a witness', () => {
    const opened = openCheckpointOrThrow(body, verifiers);
    expect(opened.checkpoint).toEqual(checkpoint);
    expect(opened.note.verified.map((s) => s.name)).toEqual(['heoga.example/log', 'witness.example/w1']);
    const cosignature = parseCosignature(opened.note.verified[1]!.signature);
    expect(cosignature).toMatchObject({ ok: true, value: { timestamp: 1772366400n } });
    // The cosignature is an Ed25519 signature over the cosignature/v1 message.
    if (cosignature.ok) {
      const message = utf8(cosignatureV1Message(formatCheckpoint(checkpoint), 1772366400n));
      expect(ed25519.verify(cosignature.value.signature, message, witnessKey.publicKey)).toBe(true);
    }
    // A client that knows only the log key ignores the cosignature.
    expect(openCheckpointOrThrow(body, [verifiers[0]!]).note.unverified).toHaveLength(1);
  });

  it('proves a leaf against the opened checkpoint', () => {
    const { checkpoint: head } = openCheckpointOrThrow(body, verifiers);
    const proof = tree.inclusionProof(7n, head.size);
    const checked = verifyInclusion({
      leafIndex: 7n,
      treeSize: head.size,
      leafHash: tree.leafHash(7n),
      proof,
      root: head.rootHash,
    });
    expect(checked.ok).toBe(true);
  });

  it('rejects a cosignature whose time was changed', () => {
    const [logSignature, witnessSignature] = cosigned.signatures as [
      (typeof cosigned.signatures)[0],
      (typeof cosigned.signatures)[0],
    ];
    const moved = Uint8Array.from(witnessSignature.signature);
    moved[7]! ^= 1;
    const tampered = formatNote({ ...cosigned, signatures: [logSignature, { ...witnessSignature, signature: moved }] });
    expect(openCheckpoint(tampered, verifiers)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(() => openCheckpointOrThrow(tampered, verifiers)).toThrow(VerificationError);
  });

  it('refuses cosignature times outside 0..2^63-1', () => {
    expect(() => cosignatureV1Message('o\n1\nAA==\n', -1n)).toThrow(expect.objectContaining({ code: 'TIME_INVALID' }));
    expect(() => cosignatureV1Message('o\n1\nAA==\n', 1n << 63n)).toThrow(
      expect.objectContaining({ code: 'TIME_INVALID' }),
    );
    const beforeEpoch = createNoteSigner(witnessKey, { now: () => new Date('1969-12-31T23:59:59Z') });
    expect(() => signNote(formatCheckpoint(checkpoint), [beforeEpoch])).toThrow(
      expect.objectContaining({ code: 'TIME_INVALID' }),
    );
    const invalidDate = createNoteSigner(witnessKey, { now: () => new Date(Number.NaN) });
    expect(() => signNote(formatCheckpoint(checkpoint), [invalidDate])).toThrow(
      expect.objectContaining({ code: 'TIME_INVALID' }),
    );
    const tooLate = new Uint8Array(72);
    tooLate[0] = 0x80;
    expect(parseCosignature(tooLate).ok).toBe(false);
    expect(parseCosignature(new Uint8Array(71)).ok).toBe(false);
  });

  it('opens a signed note whose text is not a checkpoint as CHECKPOINT_INVALID', () => {
    const note = formatNote(signNote('just a note\n', [createNoteSigner(logKey)]));
    expect(openCheckpoint(note, verifiers)).toMatchObject({ ok: false, code: 'CHECKPOINT_INVALID' });
    expect(() => openCheckpointOrThrow(note, verifiers)).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_INVALID' }),
    );
  });

  it('signs the exact bytes a Go-style verifier checks', () => {
    const signature = cosigned.signatures[0]!.signature;
    expect(ed25519.verify(signature, utf8(formatCheckpoint(checkpoint)), logKey.publicKey)).toBe(true);
    expect(decodeBase64(body.split('\n').at(-2)!.split(' ')[2]!)!.length).toBe(4 + 72);
  });
});
