import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/input/index.js';
import type { RawRecord } from '../../src/types.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const json = (value: unknown): RawRecord => ({ t: 'json', bytes: enc(JSON.stringify(value)) });
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);

describe('decodeRecord', () => {
  it('never throws, whatever it is given', () => {
    const anyValue = fc.anything({ withTypedArray: true, withBigInt: true, withNullPrototype: true, withMap: true });
    const recordArb: fc.Arbitrary<unknown> = fc.oneof(
      fc.record({ t: fc.constant('json'), bytes: fc.uint8Array({ maxLength: 200 }) }),
      fc.record({ t: fc.constant('json'), bytes: fc.json().map(enc) }),
      fc.record({ t: fc.constant('csv'), fields: fc.array(fc.string(), { maxLength: 5 }) }),
      fc.record({ t: fc.constant('row'), value: anyValue }),
      fc.record({
        t: fc.constant('sample'),
        key: fc.string(),
        members: fc.dictionary(
          fc.constantFrom('txt', 'json', 'jpg', 'png', '__proto__', 'x'),
          fc.uint8Array({ maxLength: 50 }),
        ),
      }),
      fc.record({ t: fc.constant('file'), path: fc.string(), bytes: fc.uint8Array({ maxLength: 300 }) }),
      fc.record({ t: fc.constant('url'), line: fc.string() }),
      fc.record({ t: fc.constant('bad'), reason: fc.string(), id: fc.option(fc.string(), { nil: undefined }) }),
      fc.record({ t: fc.string(), bytes: anyValue, fields: anyValue, value: anyValue, members: anyValue }),
      anyValue,
    );
    const mappingArb = fc.record(
      {
        textField: fc.constantFrom('text', 'meta.body', '__proto__', 'constructor', 'a.b.c'),
        urlField: fc.constantFrom('url', 'meta.url', 'toString'),
        imageField: fc.constantFrom('image', 'jpg', 'img.bytes'),
        idField: fc.constantFrom('id', 'meta.id'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        recordArb,
        mappingArb,
        fc.option(fc.array(fc.string(), { maxLength: 5 }), { nil: undefined }),
        (raw, mapping, columns) => {
          const out = decodeRecord(raw as RawRecord, mapping, columns);
          expect(typeof out.ok).toBe('boolean');
          if (!out.ok) expect(typeof out.reason).toBe('string');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads JSON lines: strings are text, objects are mapped, others are refused', () => {
    expect(decodeRecord(json('plain text'), {})).toEqual({ ok: true, item: { text: 'plain text' } });
    expect(decodeRecord(json([1, 2]), {})).toMatchObject({ ok: false });
    expect(decodeRecord(json(42), {})).toMatchObject({ ok: false });
    expect(decodeRecord({ t: 'json', bytes: new Uint8Array([0x22, 0xff, 0x22]) }, {})).toEqual({
      ok: false,
      reason: 'not valid UTF-8',
    });
    expect(decodeRecord({ t: 'json', bytes: enc('{"text":') }, {})).toMatchObject({ ok: false });
    // A byte order mark before the first line is not an error.
    expect(decodeRecord({ t: 'json', bytes: enc('\uFEFF{"text":"x"}') }, {})).toEqual({
      ok: true,
      item: { text: 'x' },
    });
  });

  it('auto-detects fields of Hugging Face style rows', () => {
    expect(
      decodeRecord(json({ doc_id: 17, raw_content: 'body', source_url: 'https://example.org/a', meta: {} }), {}),
    ).toEqual({ ok: true, item: { id: '17', text: 'body', url: 'https://example.org/a' } });
    const b64 = Buffer.from(JPEG).toString('base64');
    expect(
      decodeRecord({ t: 'row', value: { image: { bytes: JPEG, path: 'cat.jpg' }, caption: 'a cat' } }, {}),
    ).toEqual({
      ok: true,
      item: { text: 'a cat', media: { bytes: JPEG, name: 'cat.jpg' } },
    });
    expect(decodeRecord(json({ image: { bytes: b64 }, _id: { $oid: 'abc' } }), {})).toEqual({
      ok: true,
      item: { id: 'abc', media: { bytes: JPEG } },
    });
    expect(decodeRecord(json({ png: `data:image/png;base64,${b64}` }), {})).toEqual({
      ok: true,
      item: { media: { bytes: JPEG, name: 'png.png' } },
    });
    // The first non-empty text candidate wins.
    expect(decodeRecord(json({ text: '', content: 'c' }), {})).toEqual({ ok: true, item: { text: 'c' } });
  });

  it('reads explicit fields, dotted paths included, and names a missing one', () => {
    const row = json({ meta: { url: 'https://example.org/', key: 'k1' }, body2: 'hello' });
    expect(decodeRecord(row, { urlField: 'meta.url', idField: 'meta.key', textField: 'body2' })).toEqual({
      ok: true,
      item: { id: 'k1', text: 'hello', url: 'https://example.org/' },
    });
    expect(decodeRecord(row, { textField: 'missing' })).toEqual({
      ok: false,
      reason: 'the text field "missing" is missing',
    });
    expect(decodeRecord(json({ id: 3, other: 1 }), {})).toMatchObject({
      ok: false,
      id: '3',
      reason: expect.stringMatching(/^no text, url or media field \(looked for text: text, content/) as string,
    });
  });

  it('zips CSV fields with the columns', () => {
    expect(decodeRecord({ t: 'csv', fields: ['1', 'hi', 'https://x.org/'] }, {}, ['id', 'text', 'url'])).toEqual({
      ok: true,
      item: { id: '1', text: 'hi', url: 'https://x.org/' },
    });
    expect(decodeRecord({ t: 'csv', fields: ['x'] }, {}, ['__proto__'])).toMatchObject({ ok: false });
  });

  it('reads WebDataset samples: txt, the first media member, and the json member', () => {
    const members = {
      txt: enc('a caption'),
      png: JPEG,
      jpg: JPEG,
      json: enc(JSON.stringify({ url: 'https://example.org/img', id: 'j-1' })),
    };
    expect(decodeRecord({ t: 'sample', key: 'shard/0001', members }, {})).toEqual({
      ok: true,
      item: {
        id: 'j-1',
        text: 'a caption',
        url: 'https://example.org/img',
        media: { bytes: JPEG, name: 'shard/0001.jpg' },
      },
    });
    expect(decodeRecord({ t: 'sample', key: 'k', members: { flac: JPEG } }, {})).toEqual({
      ok: true,
      item: { id: 'k', media: { bytes: JPEG, name: 'k.flac' } },
    });
    expect(decodeRecord({ t: 'sample', key: 'k', members: { cls: enc('3') } }, {})).toMatchObject({
      ok: false,
      id: 'k',
    });
    expect(decodeRecord({ t: 'sample', key: 'k', members: { txt: new Uint8Array([0xff]) } }, {})).toMatchObject({
      ok: false,
      id: 'k',
    });
  });

  it('reads folder files, URL lines and bad records', () => {
    expect(decodeRecord({ t: 'file', path: 'a/b.md', bytes: enc('# hi') }, {})).toEqual({
      ok: true,
      item: { id: 'a/b.md', text: '# hi' },
    });
    expect(decodeRecord({ t: 'file', path: 'x.jpg', bytes: JPEG }, {})).toEqual({
      ok: true,
      item: { id: 'x.jpg', media: { bytes: JPEG, name: 'x.jpg' } },
    });
    expect(decodeRecord({ t: 'url', line: 'https://example.org/' }, {})).toEqual({
      ok: true,
      item: { url: 'https://example.org/' },
    });
    expect(decodeRecord({ t: 'bad', reason: 'truncated', id: 'k' }, {})).toEqual({
      ok: false,
      reason: 'truncated',
      id: 'k',
    });
  });
});
