import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  createNoteSigner,
  createNoteVerifier,
  formatCheckpoint,
  formatNote,
  isValidKeyName,
  noteKeyFromSeed,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseCosignature,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type Checkpoint,
  type NoteSignerKey,
} from '../index.js';
import { hasControlCharacter } from './encoding.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const keyName = fc.oneof(
  fc.stringMatching(/^[a-z0-9.-]{1,20}(?:\/[a-z0-9]{1,10})?$/),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter(isValidKeyName),
);
const signerKey = (type: 'ed25519' | 'cosignature/v1' = 'ed25519'): fc.Arbitrary<NoteSignerKey> =>
  fc
    .tuple(keyName, fc.uint8Array({ minLength: 32, maxLength: 32 }))
    .map(([name, seed]) => noteKeyFromSeed(name, seed, type));
// Note texts: any lines (empty ones too) of Unicode without control characters, each ending in a newline.
const noteText = fc
  .array(
    fc.string({ unit: 'grapheme', maxLength: 30 }).filter((line) => !hasControlCharacter(line) && !line.includes('\n')),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((lines) => `${lines.join('\n')}\n`);

type ByteMutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; value: number };

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(bytes: Uint8Array, m: ByteMutation): Uint8Array | undefined {
  const out = [...bytes];
  if (m.kind === 'insert') out.splice(m.at % (out.length + 1), 0, m.value);
  else if (m.kind === 'delete') out.splice(m.at % out.length, 1);
  else {
    const at = m.at % out.length;
    if (out[at] === m.value) return undefined;
    out[at] = m.value;
  }
  return Uint8Array.from(out);
}

/** Calls `f` and fails the property if it throws anything but one of our typed errors. */
function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
  }
}

describe('signed notes: properties', () => {
  it('parseNote(formatNote(signNote(text))) gives the note back, and it opens', () => {
    fc.assert(
      fc.property(noteText, signerKey(), signerKey('cosignature/v1'), (text, key, witness) => {
        const note = signNote(text, [createNoteSigner(key), createNoteSigner(witness, { now: () => new Date(0) })]);
        const written = formatNote(note);
        expect(parseNote(written)).toEqual({ ok: true, value: note });
        expect(parseNote(utf8(written))).toEqual({ ok: true, value: note });
        const opened = openNote(written, [createNoteVerifier(key), createNoteVerifier(witness)]);
        expect(opened.ok && opened.value.text).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it('any single-byte change, deletion or insertion makes the note no longer verify', () => {
    fc.assert(
      fc.property(noteText, signerKey(), byteMutation, (text, key, m) => {
        const bytes = utf8(formatNote(signNote(text, [createNoteSigner(key)])));
        const mutated = mutate(bytes, m);
        fc.pre(mutated !== undefined);
        const opened = openNote(mutated, [createNoteVerifier(key)]);
        expect(opened.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('with two known signers, a changed byte loses at least one verified signature', () => {
    fc.assert(
      fc.property(noteText, signerKey(), signerKey('cosignature/v1'), byteMutation, (text, key, witness, m) => {
        fc.pre(key.name !== witness.name);
        const signers = [createNoteSigner(key), createNoteSigner(witness, { now: () => new Date(1.7e12) })];
        const bytes = utf8(formatNote(signNote(text, signers)));
        const mutated = mutate(bytes, m);
        fc.pre(mutated !== undefined);
        const opened = openNote(mutated, [createNoteVerifier(key), createNoteVerifier(witness)]);
        if (opened.ok) expect(opened.value.verified.length).toBeLessThan(2);
      }),
      { numRuns: 300 },
    );
  });

  it('a checkpoint survives formatting and parsing', () => {
    const line = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
      .filter((s) => !hasControlCharacter(s) && !s.includes('\n'));
    const checkpoint: fc.Arbitrary<Checkpoint> = fc.record({
      origin: line,
      size: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      extensions: fc.array(line, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(checkpoint, (c) => {
        expect(parseCheckpoint(formatCheckpoint(c))).toEqual({ ok: true, value: c });
      }),
    );
  });
});

describe('hostile input never throws anything but a typed error', () => {
  const key = noteKeyFromSeed('heoga.example/log', new Uint8Array(32).fill(1));
  const verifiers = [createNoteVerifier(key)];
  const validNote = formatNote(
    signNote('heoga.example/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', [createNoteSigner(key)]),
  );

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const text = new TextDecoder().decode(bytes);
        onlyTypedErrors(() => expect(parseNote(bytes).ok).toBe(false));
        onlyTypedErrors(() => openNote(bytes, verifiers));
        onlyTypedErrors(() => openCheckpoint(bytes, verifiers));
        onlyTypedErrors(() => parseCheckpoint(text));
        onlyTypedErrors(() => parseVerifierKey(text));
        onlyTypedErrors(() => parseSignerKey(text));
        onlyTypedErrors(() => parseCosignature(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('strings built from the format’s own pieces', () => {
    const piece = fc.constantFrom(
      '\u2014 ',
      '\u2014',
      ' ',
      '\n',
      '\n\n',
      '+',
      '=',
      'AAAA',
      'heoga.example/log',
      '0',
      '5',
      '\r',
      '\ud800',
    );
    const line = validNote.split('\n').at(-2)!;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.constant(line), fc.string({ maxLength: 5 })), { maxLength: 30 }),
        (parts) => {
          const text = parts.join('');
          onlyTypedErrors(() => openNote(text, verifiers));
          onlyTypedErrors(() => openCheckpoint(text, verifiers));
          onlyTypedErrors(() => parseCheckpoint(text));
          onlyTypedErrors(() => parseVerifierKey(text));
          onlyTypedErrors(() => parseSignerKey(`PRIVATE+KEY+${text}`));
        },
      ),
      { numRuns: 500 },
    );
  });
});
