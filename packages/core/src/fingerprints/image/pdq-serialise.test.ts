import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { parsePdq, PDQ_ALGORITHM, pdqHashFromHex, serialisePdq } from './index.js';

const fingerprint = fc.record({
  hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  quality: fc.integer({ min: 0, max: 100 }),
});
const BRIDGE = 'd8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22';

describe('pdq/1 serialisation', () => {
  it('is named pdq/1 and writes 64 lower-case hex digits, a colon and the quality', () => {
    expect(PDQ_ALGORITHM).toBe('pdq/1');
    expect(serialisePdq({ hash: pdqHashFromHex(BRIDGE)!, quality: 100 })).toBe(`${BRIDGE}:100`);
    expect(serialisePdq({ hash: new Uint8Array(32), quality: 0 })).toBe(`${'0'.repeat(64)}:0`);
  });

  it('parse(serialise(x)) gives x back', () => {
    fc.assert(
      fc.property(fingerprint, (fp) => {
        expect(parsePdq(serialisePdq(fp))).toEqual({ ok: true, value: fp });
      }),
    );
  });

  it('accepts only the canonical form', () => {
    for (const bad of [
      '',
      BRIDGE,
      `${BRIDGE}:`,
      `${BRIDGE}:101`,
      `${BRIDGE}:-1`,
      `${BRIDGE}:007`,
      `${BRIDGE}:1.5`,
      `${BRIDGE.toUpperCase()}:100`,
      `${BRIDGE} :100`,
      `${BRIDGE}:100\n`,
      `pdq/1:${BRIDGE}:100`,
      `${BRIDGE.slice(2)}:100`,
      `${BRIDGE}00:100`,
      `${BRIDGE}:100`.repeat(1000),
    ]) {
      const parsed = parsePdq(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.issues[0]!.message.length).toBeGreaterThan(0);
    }
    expect(parsePdq(42 as unknown as string).ok).toBe(false);
  });

  it('never throws on random text, and whatever it accepts it writes back unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{64}:[0-9]{1,3}$/)), (text) => {
        const parsed = parsePdq(text);
        if (parsed.ok) expect(serialisePdq(parsed.value)).toBe(text);
      }),
    );
  });

  it('refuses to write a hash that is not 32 bytes or a quality outside 0–100', () => {
    for (const bad of [
      { hash: new Uint8Array(31), quality: 50 },
      { hash: new Uint8Array(32), quality: 101 },
      { hash: new Uint8Array(32), quality: 49.5 },
      { hash: new Uint8Array(32), quality: -1 },
    ]) {
      let caught: unknown;
      try {
        serialisePdq(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidInputError);
      expect((caught as InvalidInputError).code).toBe('FINGERPRINT_INVALID');
    }
  });
});
