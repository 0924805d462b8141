import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aiCrawlersFromRobotsJson } from './ai-crawlers.js';
import { AI_CRAWLERS } from './ai-crawlers.generated.js';

describe('the AI crawler list', () => {
  it('holds the crawlers that matter, once each, with RFC 9309 token validity marked', () => {
    const names = AI_CRAWLERS.map((c) => c.name);
    // Names are unique; a few differ only in case (meta-externalagent, Meta-ExternalAgent): tokens match either way.
    expect(new Set(names).size).toBe(names.length);
    for (const name of [
      'GPTBot',
      'ClaudeBot',
      'CCBot',
      'Google-Extended',
      'Applebot-Extended',
      'Bytespider',
      'WRTNBot',
    ]) {
      expect(names).toContain(name);
    }
    for (const c of AI_CRAWLERS) {
      expect(c.tokenValid).toBe(/^[A-Za-z_-]+$/.test(c.name));
      expect(c.name.startsWith(c.token)).toBe(true);
      expect(c.uses.length).toBeGreaterThan(0);
    }
    expect(AI_CRAWLERS.filter((c) => !c.tokenValid).length).toBe(21);
    expect(AI_CRAWLERS.find((c) => c.name === 'AI2Bot')).toMatchObject({ tokenValid: false, token: 'AI' });
  });

  it('reads the source format, inferring uses and whether robots.txt is respected', () => {
    expect(
      aiCrawlersFromRobotsJson({
        GPTBot: {
          operator: 'OpenAI',
          respect: 'Yes',
          function: 'Scrapes data to train OpenAI models.',
          description: '',
        },
        'ChatGPT Agent': {
          operator: 'OpenAI',
          respect: 'Unclear at this time.',
          function: 'AI Agents',
          description: '',
        },
      }),
    ).toEqual([
      {
        name: 'ChatGPT Agent',
        tokenValid: false,
        token: 'ChatGPT',
        operator: 'OpenAI',
        respectsRobotsTxt: 'unclear',
        function: 'AI Agents',
        uses: ['ai-input'],
      },
      {
        name: 'GPTBot',
        tokenValid: true,
        token: 'GPTBot',
        operator: 'OpenAI',
        respectsRobotsTxt: 'yes',
        function: 'Scrapes data to train OpenAI models.',
        uses: ['ai-train'],
      },
    ]);
  });

  it('never throws on any JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        expect(Array.isArray(aiCrawlersFromRobotsJson(json))).toBe(true);
      }),
    );
  });
});
