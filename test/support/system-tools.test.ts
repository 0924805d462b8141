import { describe, expect, it } from 'vitest';
import { hasSystemTool, requireSystemTool, SYSTEM_TOOLS } from './system-tools.js';
import { missingServiceNotices } from './services.js';

describe('system tool checks', () => {
  it('finds a tool that every machine has', () => {
    expect(hasSystemTool('sh')).toBe(true);
  });

  it('fails with what to install when a tool is missing', () => {
    expect(() => requireSystemTool('heoga-no-such-tool', 'heoga-no-such-package')).toThrow(
      /missing system tool 'heoga-no-such-tool': install the Debian package 'heoga-no-such-package'.*setup-system\.sh/,
    );
  });

  it('names a Debian package for every tool', () => {
    for (const pkg of Object.values(SYSTEM_TOOLS)) expect(pkg).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
  });
});

describe('service notices', () => {
  it('says how to enable each skipped service', () => {
    expect(missingServiceNotices({ postgresUrl: undefined, redisUrl: undefined })).toEqual([
      expect.stringContaining('HEOGA_TEST_DATABASE_URL'),
      expect.stringContaining('HEOGA_TEST_REDIS_URL'),
    ]);
    expect(missingServiceNotices({ postgresUrl: 'postgres://x', redisUrl: 'redis://y' })).toEqual([]);
  });
});
