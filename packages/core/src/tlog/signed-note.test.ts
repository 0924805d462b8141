import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  NOTE_LIMITS,
  VerificationError,
  computeKeyId,
  createNoteSigner,
  createNoteVerifier,
  formatNote,
  formatSignerKey,
  formatVerifierKey,
  generateNoteKey,
  isValidKeyName,
  noteKeyFromSeed,
  openNote,
  openNoteOrThrow,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type NoteSignerKey,
} from '../index.js';
import { readVectorJson, VECTORS_AVAILABLE } from '../../test/vectors.js';
import { decodeBase64, encodeBase64 } from './encoding.js';

interface SignedNoteExample {
  vkey: string;
  note: string;
  expect: string;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const seed = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const logKey = noteKeyFromSeed('heoga.example/log', seed(1));
const otherKey = noteKeyFromSeed('heoga.example/other', seed(2));
const sign = (text: string, ...keys: NoteSignerKey[]): string =>
  formatNote(
    signNote(
      text,
      keys.map((k) => createNoteSigner(k)),
    ),
  );

describe.skipIf(!VECTORS_AVAILABLE)('the C2SP signed-note example', () => {
  let example: SignedNoteExample;
  beforeAll(() => {
    example = readVectorJson<SignedNoteExample>('signed-note/example.json');
  });

  it('parses the verifier key, whose key ID follows the rule', () => {
    const parsed = parseVerifierKey(example.vkey);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { name, keyId, publicKey, type } = parsed.value;
    expect([name, keyId.toString(16), type]).toEqual(['example.com/foo', '530d903a', 'ed25519']);
    // key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4], computed here without the implementation.
    const digest = sha256(Uint8Array.from([...utf8(name), 0x0a, 0x01, ...publicKey]));
    expect(Buffer.from(digest.subarray(0, 4)).toString('hex')).toBe('530d903a');
    expect(computeKeyId(name, 'ed25519', publicKey)).toBe(0x530d903a);
    expect(formatVerifierKey(parsed.value)).toBe(example.vkey);
  });

  it('verifies the example note, as text and as bytes', () => {
    expect(example.expect).toBe('verifies');
    const parsed = parseVerifierKey(example.vkey);
    if (!parsed.ok) throw new Error('vkey');
    const verifier = createNoteVerifier(parsed.value);
    for (const input of [example.note, utf8(example.note)]) {
      const opened = openNote(input, [verifier]);
      expect(opened.ok).toBe(true);
      if (!opened.ok) return;
      expect(opened.value.text).toBe('This is an example message.\n');
      expect(opened.value.verified.map((s) => s.name)).toEqual(['example.com/foo']);
      expect(opened.value.unverified).toEqual([]);
    }
    const parsedNote = parseNote(example.note);
    expect(parsedNote.ok && formatNote(parsedNote.value)).toBe(example.note);
  });

  it('rejects the example note with one byte changed in the text or the signature', () => {
    const parsed = parseVerifierKey(example.vkey);
    if (!parsed.ok) throw new Error('vkey');
    const verifier = createNoteVerifier(parsed.value);
    const changedText = example.note.replace('example message', 'example massage');
    expect(openNote(changedText, [verifier])).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    const changedSignature = example.note.replace('Uw2QOkn8', 'Uw2QOkn9');
    expect(openNote(changedSignature, [verifier])).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    // 'N' differs from 'M' only in the unused bits before the padding: same bytes, but not canonical base64.
    expect(example.note).toContain('aQM=\n');
    expect(openNote(example.note.replace('aQM=\n', 'aQN=\n'), [verifier])).toMatchObject({
      ok: false,
      code: 'NOTE_INVALID',
    });
  });
});

describe('note keys', () => {
  it('round-trips verifier and signer key strings', () => {
    for (const type of ['ed25519', 'cosignature/v1'] as const) {
      const key = generateNoteKey('example.com/k', { type });
      expect(parseVerifierKey(formatVerifierKey(key))).toEqual({
        ok: true,
        value: { type, name: key.name, keyId: key.keyId, publicKey: key.publicKey },
      });
      expect(formatSignerKey(key)).toMatch(/^PRIVATE\+KEY\+example\.com\/k\+[0-9a-f]{8}\+/);
      expect(parseSignerKey(formatSignerKey(key))).toEqual({ ok: true, value: key });
    }
  });

  it('parses key strings whose base64 holds a "+"', () => {
    const keys = Array.from({ length: 64 }, (_, i) => noteKeyFromSeed('example.com/plus', seed(i)));
    const key = keys.find(
      (k) => formatVerifierKey(k).split('+').length > 3 && formatSignerKey(k).split('+').length > 5,
    );
    expect(key).toBeDefined();
    expect(parseVerifierKey(formatVerifierKey(key!))).toMatchObject({ ok: true, value: { keyId: key!.keyId } });
    expect(parseSignerKey(formatSignerKey(key!))).toEqual({ ok: true, value: key });
  });

  it('uses the signature type byte in the key ID and the key string', () => {
    const ed = noteKeyFromSeed('w', seed(3));
    const cosigner = noteKeyFromSeed('w', seed(3), 'cosignature/v1');
    expect(ed.publicKey).toEqual(cosigner.publicKey);
    expect(ed.keyId).not.toBe(cosigner.keyId);
    const material = (vkey: string): Uint8Array => decodeBase64(vkey.slice(vkey.indexOf('+', 2) + 1))!;
    expect(material(formatVerifierKey(ed))[0]).toBe(0x01);
    expect(material(formatVerifierKey(cosigner))[0]).toBe(0x04);
  });

  it('takes randomness from the injected source', () => {
    const key = generateNoteKey('k', { randomBytes: (n) => new Uint8Array(n).fill(7) });
    expect(key).toEqual(noteKeyFromSeed('k', seed(7)));
  });

  it('refuses malformed verifier keys', () => {
    const good = formatVerifierKey(logKey);
    const [name, id] = good.split('+') as [string, string];
    const material = good.slice(name.length + id.length + 2);
    const bytes = decodeBase64(material)!;
    const withType = (type: number): string => encodeBase64(Uint8Array.from([type, ...bytes.subarray(1)]));
    const bad = [
      '',
      name,
      `${name}+${id}`,
      `${good}+extra`,
      `${name}+${(logKey.keyId ^ 1).toString(16).padStart(8, '0')}+${material}`,
      `${name}+${id.slice(1)}+${material}`,
      `${name}+0x${id.slice(2)}+${material}`,
      `other.name+${id}+${material}`,
      `a b+${id}+${material}`,
      `+${id}+${material}`,
      `${name}+${id}+${withType(0x02)}`,
      `${name}+${id}+${withType(0xff)}`,
      `${name}+${id}+${encodeBase64(bytes.subarray(0, 32))}`,
      `${name}+${id}+${material.slice(0, -1)}`,
      `${name}+${id}+${material} `,
      // The identity point is small-order: refused even with a matching key ID.
      `${name}+${computeKeyId(name, 'ed25519', Uint8Array.of(1, ...new Uint8Array(31)))
        .toString(16)
        .padStart(8, '0')}+${encodeBase64(Uint8Array.of(1, 1, ...new Uint8Array(31)))}`,
      'x'.repeat(5000),
    ];
    for (const vkey of bad) expect(parseVerifierKey(vkey).ok, vkey).toBe(false);
    expect(parseVerifierKey(`${name}+${id.toUpperCase()}+${material}`).ok).toBe(true);
  });

  it('refuses malformed signer keys without quoting them', () => {
    const good = formatSignerKey(logKey);
    const bad = [
      good.replace('PRIVATE+KEY+', ''),
      good.replace('PRIVATE', 'PUBLIC'),
      good.replace(/\+[0-9a-f]{8}\+/, '+00000000+'),
    ];
    for (const skey of bad) {
      const parsed = parseSignerKey(skey);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(JSON.stringify(parsed.issues)).not.toContain(good.split('+').at(-1)!);
    }
  });

  it('checks key names as signed-note says', () => {
    expect(isValidKeyName('example.com/log')).toBe(true);
    expect(isValidKeyName('oid/1.3.6.1.4.1')).toBe(true);
    for (const name of ['', 'a+b', 'a b', 'a\tb', 'a\u00a0b', 'a\u2028b', 'a\u3000b', 'a\nb', '\ud800']) {
      expect(isValidKeyName(name), JSON.stringify(name)).toBe(false);
    }
    expect(() => noteKeyFromSeed('a b', seed(1))).toThrow(expect.objectContaining({ code: 'NOTE_KEY_INVALID' }));
    expect(() => noteKeyFromSeed('ab', seed(1).subarray(1))).toThrow(InvalidInputError);
  });
});

describe('signed notes', () => {
  const verifier = createNoteVerifier(logKey);
  const other = createNoteVerifier(otherKey);

  it('signs, formats and opens a note with several signatures', () => {
    const note = sign('line one\n\nline three after an empty line\n', logKey, otherKey);
    expect(note).toMatch(
      /^line one\n\nline three after an empty line\n\n— heoga\.example\/log \S+\n— heoga\.example\/other \S+\n$/,
    );
    const opened = openNoteOrThrow(note, [verifier, other]);
    expect(opened.text).toBe('line one\n\nline three after an empty line\n');
    expect(opened.verified.map((s) => s.name)).toEqual(['heoga.example/log', 'heoga.example/other']);
  });

  it('ignores signatures from unknown keys, even when name or key ID match a known key', () => {
    const impostorSameName = noteKeyFromSeed('heoga.example/log', seed(9));
    const note = sign('hello\n', impostorSameName, otherKey, logKey);
    const opened = openNote(note, [verifier]);
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(opened.value.verified.map((s) => s.keyId)).toEqual([logKey.keyId]);
      expect(opened.value.unverified.map((s) => s.keyId)).toEqual([impostorSameName.keyId, otherKey.keyId]);
    }
  });

  it('rejects a note with no signature from a known key', () => {
    expect(openNote(sign('hello\n', otherKey), [verifier])).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(() => openNoteOrThrow(sign('hello\n', otherKey), [verifier])).toThrow(VerificationError);
  });

  it('rejects the whole note when one known signature fails', () => {
    const note = signNote('hello\n', [createNoteSigner(logKey), createNoteSigner(otherKey)]);
    const forged = {
      ...note,
      signatures: [note.signatures[0]!, { ...note.signatures[1]!, signature: new Uint8Array(64) }],
    };
    expect(openNote(formatNote(forged), [verifier, other])).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
      issues: [{ path: 'signatures[1]' }],
    });
    // A repeated line by a known key is checked too: a bad copy is not skipped.
    const repeated = {
      ...note,
      signatures: [note.signatures[0]!, { ...note.signatures[0]!, signature: new Uint8Array(64) }],
    };
    expect(openNote(formatNote(repeated), [verifier])).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('refuses two verifiers for the same name and key ID', () => {
    expect(openNote(sign('hello\n', logKey), [verifier, createNoteVerifier(logKey)])).toMatchObject({
      ok: false,
      code: 'NOTE_KEY_INVALID',
    });
  });

  it('replaces a signature by the same key when re-signing', () => {
    const first = signNote('hello\n', [createNoteSigner(logKey)]);
    const second = signNote(first, [createNoteSigner(otherKey), createNoteSigner(logKey)]);
    expect(second.signatures.map((s) => s.name)).toEqual(['heoga.example/other', 'heoga.example/log']);
  });

  it('accepts 100 signatures and refuses 101', () => {
    const signer = createNoteSigner(logKey);
    const base = signNote('hello\n', [signer]);
    const unknown = { name: 'u', keyId: 1, signature: new Uint8Array(64) };
    const withCount = (n: number): string =>
      `hello\n\n${[base.signatures[0]!, ...Array.from({ length: n - 1 }, () => unknown)]
        .map((s) => {
          const bytes = new Uint8Array(4 + s.signature.length);
          new DataView(bytes.buffer).setUint32(0, s.keyId);
          bytes.set(s.signature, 4);
          return `— ${s.name} ${encodeBase64(bytes)}\n`;
        })
        .join('')}`;
    expect(openNote(withCount(16), [verifier]).ok).toBe(true);
    expect(openNote(withCount(NOTE_LIMITS.maxSignatures), [verifier]).ok).toBe(true);
    expect(openNote(withCount(NOTE_LIMITS.maxSignatures + 1), [verifier])).toMatchObject({
      ok: false,
      code: 'NOTE_INVALID',
    });
    expect(() => formatNote({ text: 'x\n', signatures: Array(101).fill(unknown) })).toThrow(InvalidInputError);
  });

  it('refuses malformed notes with NOTE_INVALID', () => {
    const good = sign('hello\n', logKey);
    const line = good.slice('hello\n\n'.length, -1);
    const bad: (string | Uint8Array)[] = [
      '',
      'hello\n',
      'hello\n\n',
      'hello\n\n\n',
      `hello\n${line}\n`,
      `hello\n\n${line}`,
      `hello\n\n${line}\n\n`,
      `hello\n\n${line.replace('—', '-')}\n`,
      `hello\n\n${line.replace('— ', '—')}\n`,
      `hello\n\n${line.replace(' ', '  ')}\n`,
      `hello\n\n${line.replace('heoga.example/log', 'heoga+example/log')}\n`,
      `hello\n\n${line.replace(/ \S+$/, '')}\n`,
      `hello\n\n${line.replace(/ \S+$/, ' ')}\n`,
      `hello\n\n${line.replace(/ \S+$/, ' AAAAAA==')}\n`,
      `hello\n\n${line.replace(/=?$/, '')}\n`,
      `hel\rlo\n\n${line}\n`,
      `hello\r\n\n${line}\n`,
      `hel\u0000lo\n\n${line}\n`,
      `hel\tlo\n\n${line}\n`,
      `hel\ud800lo\n\n${line}\n`,
      Uint8Array.from([...utf8('hel'), 0xc0, 0xaf, ...utf8(`lo\n\n${line}\n`)]),
      Uint8Array.from([...utf8('hel'), 0xed, 0xa0, 0x80, ...utf8(`lo\n\n${line}\n`)]),
      Uint8Array.from([...utf8('hel'), 0xff, ...utf8(`lo\n\n${line}\n`)]),
      `${'x'.repeat(NOTE_LIMITS.maxBytes)}\n\n${line}\n`,
      new Uint8Array(NOTE_LIMITS.maxBytes + 1),
      42 as unknown as string,
    ];
    for (const input of bad) {
      const opened = openNote(input, [verifier]);
      expect(opened.ok, JSON.stringify(typeof input === 'string' ? input.slice(0, 80) : 'bytes')).toBe(false);
      if (!opened.ok) expect(opened.code).toBe('NOTE_INVALID');
      expect(parseNote(input).ok).toBe(false);
    }
    expect(() => openNoteOrThrow('hello\n', [verifier])).toThrow(expect.objectContaining({ code: 'NOTE_INVALID' }));
  });

  it('keeps a leading byte-order mark as part of the signed text', () => {
    const withBom = sign('\ufeffhello\n', logKey);
    expect(openNoteOrThrow(utf8(withBom), [verifier]).text).toBe('\ufeffhello\n');
    expect(openNote(utf8(withBom).subarray(3), [verifier]).ok).toBe(false);
  });

  it('refuses to sign or format an invalid text', () => {
    const signer = createNoteSigner(logKey);
    for (const text of ['', 'no newline', 'a\rb\n', 'tab\there\n', '\ud800\n']) {
      expect(() => signNote(text, [signer]), JSON.stringify(text)).toThrow(
        expect.objectContaining({ code: 'NOTE_INVALID' }),
      );
    }
    expect(() => formatNote({ text: 'x\n', signatures: [] })).toThrow(InvalidInputError);
    expect(() =>
      formatNote({ text: 'x\n', signatures: [{ name: 'a b', keyId: 1, signature: Uint8Array.of(1) }] }),
    ).toThrow(InvalidInputError);
    expect(() =>
      formatNote({ text: 'x\n', signatures: [{ name: 'a', keyId: 2 ** 32, signature: Uint8Array.of(1) }] }),
    ).toThrow(InvalidInputError);
  });
});
