import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazyChildLoggerFactory } from '../src/request-logger.js';

/** A Fastify app logging JSON lines into an array, with the lazy request loggers. */
async function appLoggingAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  const app = Fastify({ logger: { level, stream }, childLoggerFactory: lazyChildLoggerFactory });
  // Count the children made of the root logger (pino's children inherit this property: call through with `this`).
  let children = 0;
  const root = app.log;
  const child: FastifyBaseLogger['child'] = Reflect.get(root, 'child');
  root.child = function (this: FastifyBaseLogger, ...args: Parameters<typeof child>) {
    if (this === root) children += 1;
    return child.apply(this, args);
  };
  app.get('/quiet', (request) => {
    request.log.info('routine');
    request.log.debug({ detail: 1 }, 'detail');
    return { ok: true };
  });
  app.get('/loud', (request) => {
    request.log.warn({ odd: true }, 'odd');
    request.log.child({ part: 'x' }).error('from a child');
    return { ok: true };
  });
  await app.ready();
  return { app, lines, children: () => children };
}

describe('lazyChildLoggerFactory', () => {
  it('makes no child logger for a request that logs nothing at an enabled level', async () => {
    const { app, lines, children } = await appLoggingAt('warn');
    const response = await app.inject({ method: 'GET', url: '/quiet' });
    expect(response.statusCode).toBe(200);
    expect(lines).toEqual([]);
    expect(children()).toBe(0);
    await app.close();
  });

  it('logs warnings and errors with the request id bound, as the default child does', async () => {
    const { app, lines } = await appLoggingAt('warn');
    await app.inject({ method: 'GET', url: '/loud' });
    const [warning, error] = lines;
    expect(lines).toHaveLength(2);
    expect(warning).toMatchObject({ level: 40, msg: 'odd', odd: true });
    expect(typeof warning?.['reqId']).toBe('string');
    expect(error).toMatchObject({ level: 50, msg: 'from a child', part: 'x', reqId: warning?.['reqId'] });
    await app.close();
  });

  it('keeps Fastify’s request logs at info, each with its request id', async () => {
    const { app, lines } = await appLoggingAt('info');
    await app.inject({ method: 'GET', url: '/quiet' });
    expect(lines.map((l) => l['msg'])).toEqual(['incoming request', 'routine', 'request completed']);
    expect(new Set(lines.map((l) => l['reqId'])).size).toBe(1);
    expect(lines[0]?.['reqId']).toBeDefined();
    expect(lines[0]?.['req']).toMatchObject({ method: 'GET', url: '/quiet' });
    await app.close();
  });
});
