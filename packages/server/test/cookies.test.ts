import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCookie, setCookieLine } from '../src/cookies.js';

describe('cookies', () => {
  it('reads one cookie among others, ignoring malformed parts', () => {
    expect(readCookie('a=1; heoga_session=abc; b=2', 'heoga_session')).toBe('abc');
    expect(readCookie('heoga_session="quoted"', 'heoga_session')).toBe('quoted');
    expect(readCookie('junk; heoga_session=%ZZ', 'heoga_session')).toBeUndefined();
    expect(readCookie(undefined, 'heoga_session')).toBeUndefined();
    expect(readCookie('xheoga_session=1', 'heoga_session')).toBeUndefined();
  });

  it('writes Set-Cookie lines with the security attributes', () => {
    expect(setCookieLine('heoga_session', 'tok', { httpOnly: true, secure: true, maxAge: 60 })).toBe(
      'heoga_session=tok; Path=/; SameSite=Lax; Max-Age=60; HttpOnly; Secure',
    );
    expect(setCookieLine('heoga_csrf', '', { httpOnly: false, secure: false, maxAge: 0 })).toContain(
      'Expires=Thu, 01 Jan 1970',
    );
  });

  it('reads back what it writes, and never throws on any header (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const line = setCookieLine('heoga_session', value, { httpOnly: true, secure: false, maxAge: 1 });
        expect(readCookie(line.split(';')[0], 'heoga_session')).toBe(value);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (header) => {
        const value = readCookie(header, 'heoga_session');
        expect(value === undefined || typeof value === 'string').toBe(true);
      }),
    );
  });
});
