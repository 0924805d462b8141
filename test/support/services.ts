/**
 * The real services that medium tests talk to, named by environment variables that `.ci/run` always sets:
 * `HEOGA_TEST_DATABASE_URL` (PostgreSQL) and `HEOGA_TEST_REDIS_URL` (Redis). Where a variable is unset, the tests
 * that need it are reported as skipped, with one notice saying how to enable them (see setup.ts).
 */
export interface TestServices {
  readonly postgresUrl: string | undefined;
  readonly redisUrl: string | undefined;
}

/** The services configured for this test run. */
export function testServices(env: Readonly<Record<string, string | undefined>> = process.env): TestServices {
  return {
    postgresUrl: env['HEOGA_TEST_DATABASE_URL'] || undefined,
    redisUrl: env['HEOGA_TEST_REDIS_URL'] || undefined,
  };
}

/** The one-line notices for services that are not configured. */
export function missingServiceNotices(services: TestServices): string[] {
  const notices: string[] = [];
  if (!services.postgresUrl) {
    notices.push(
      'PostgreSQL tests are skipped: set HEOGA_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) or run bash .ci/run',
    );
  }
  if (!services.redisUrl) {
    notices.push('Redis tests are skipped: set HEOGA_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379) or run bash .ci/run');
  }
  return notices;
}
