import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMetaRobots, parseXRobotsTag } from './http-signals-robots.js';

describe('parseXRobotsTag (Google grammar)', () => {
  it('reads noai, noimageai as AI refusals', () => {
    const r = parseXRobotsTag(['noai, noimageai']);
    expect(r.aiDirectives).toEqual(['noai', 'noimageai']);
    expect(r.byUse['ai-train']).toEqual({ stance: 'deny', key: 'noai' });
    expect(r.byUse['ai-input']).toEqual({ stance: 'deny', key: 'noai' });
    expect(r.byUse.search).toEqual({ stance: 'unknown' });
    expect(r.searchDirectives).toEqual([]);
  });

  it('reports search directives without reading them as AI refusals', () => {
    const r = parseXRobotsTag(['noindex, NoArchive', 'none', 'noimageindex, nofollow']);
    expect(r.searchDirectives).toEqual(['noindex', 'noarchive', 'none', 'noimageindex']);
    expect(Object.values(r.byUse).every((s) => s.stance === 'unknown')).toBe(true);
    expect(r.directives.map((d) => d.name)).toContain('nofollow');
  });

  it('applies bot-prefixed lines to that bot only, case-insensitively', () => {
    const lines = ['googlebot: noindex', 'SpawningBot: noai, noimageai'];
    expect(parseXRobotsTag(lines, 'spawningbot').aiDirectives).toEqual(['noai', 'noimageai']);
    expect(parseXRobotsTag(lines, 'spawningbot').ignored).toBe(1);
    const other = parseXRobotsTag(lines, 'OtherBot');
    expect(other.directives).toEqual([]);
    expect(other.ignored).toBe(3);
    expect(parseXRobotsTag(lines).directives).toEqual([]);
  });

  it('keeps valued directives apart from bot names, and switches bots within a line', () => {
    const r = parseXRobotsTag(['max-snippet: 20, unavailable_after: 25 Jun 2010 15:00:00 PST, otherbot: noai'], 'me');
    expect(r.directives).toEqual([
      { name: 'max-snippet', value: '20' },
      { name: 'unavailable_after', value: '25 Jun 2010 15:00:00 PST' },
    ]);
    expect(r.ignored).toBe(1);
    expect(parseXRobotsTag(['mybot: max-snippet: 5'], 'MyBot').directives).toEqual([
      { name: 'max-snippet', value: '5', bot: 'mybot' },
    ]);
  });

  it('combines general and bot-specific lines', () => {
    const r = parseXRobotsTag(['noindex', 'spawningbot: noimageai'], 'spawningbot');
    expect(r.searchDirectives).toEqual(['noindex']);
    expect(r.aiDirectives).toEqual(['noimageai']);
  });

  it('does not read beyond 16 KiB', () => {
    const r = parseXRobotsTag(['x'.repeat(16 * 1024), 'noai']);
    expect(r.aiDirectives).toEqual([]);
    expect(r.issues).toHaveLength(1);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string()),
        fc.option(fc.string(), { nil: undefined }),
        (l, ua) => void parseXRobotsTag(l, ua),
      ),
    );
  });
});

describe('parseMetaRobots', () => {
  it('reads <meta name="robots" content="noai, noimageai">', () => {
    expect(parseMetaRobots('robots', 'noai, noimageai').aiDirectives).toEqual(['noai', 'noimageai']);
    expect(parseMetaRobots('ROBOTS', 'NOAI').byUse['ai-train'].stance).toBe('deny');
  });

  it('reads a bot-named meta for that bot only', () => {
    expect(parseMetaRobots('SpawningBot', 'noai', 'spawningbot').directives).toEqual([
      { name: 'noai', bot: 'spawningbot' },
    ]);
    const other = parseMetaRobots('googlebot', 'noai, noindex', 'SpawningBot');
    expect(other.directives).toEqual([]);
    expect(other.ignored).toBe(2);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        (n, c, ua) => void parseMetaRobots(n, c, ua),
      ),
    );
  });
});
