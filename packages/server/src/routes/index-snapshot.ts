import { createReadStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from '@heoga/registry';
import { writeSnapshot } from '@heoga/scanner';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../auth.js';
import type { ServerConfig } from '../config.js';
import { ApiError } from '../problem.js';
import { errorResponses } from '../schemas.js';

/**
 * `GET /v1/index/snapshot`: the registry's current index snapshot (issue 5), signed with the transparency log's key
 * (`/v1/log/key`). A snapshot is built at most once per state of the registry: it is named after the last event's
 * sequence number and kept in `<data>/snapshots/`, so that every scan of an unchanged registry downloads the same
 * bytes (the same snapshot id), and older ones are removed when a newer one is written.
 */
export function indexSnapshotRoutes(app: FastifyInstance, registry: Registry, config: ServerConfig): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const directory = join(config.dataDir, 'snapshots');
  const building = new Map<number, Promise<string>>();

  const snapshotFor = (seq: number, actor: ReturnType<typeof actorOf>): Promise<string> => {
    const path = join(directory, `index-${seq}.heoga`);
    let pending = building.get(seq);
    if (pending === undefined) {
      const log = registry.log;
      if (!log) throw new ApiError('NOT_FOUND', 'this server runs without a signing key');
      mkdirSync(directory, { recursive: true });
      const existing = readdirSync(directory);
      pending = existing.includes(`index-${seq}.heoga`)
        ? Promise.resolve(path)
        : writeSnapshot(registry.matchData.works(actor), path, {
            signer: log.signer,
            verifierKey: log.verifierKey,
            registry: { name: registry.deps.registryName, url: config.publicUrl },
          }).then(() => {
            for (const name of readdirSync(directory))
              if (/^index-\d+\.heoga$/.test(name) && name !== `index-${seq}.heoga`)
                rmSync(join(directory, name), { force: true });
            return path;
          });
      building.set(seq, pending);
      pending.then(
        () => undefined,
        () => building.delete(seq),
      );
    }
    return pending;
  };

  r.get('/v1/index/snapshot', {
    schema: {
      tags: ['check'],
      summary: "The registry's current index snapshot (heoga-index/1), for scanning datasets locally",
      description:
        "A signed binary snapshot of every work's match data and policy (docs/index-snapshot.md). Needs the check " +
        'scope. Verify it with the key from /v1/log/key: `heoga index info FILE --index-key KEY`.',
      produces: ['application/vnd.heoga.index'],
      response: {
        200: z.any().describe('the snapshot file (application/vnd.heoga.index)'),
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const actor = actorOf(request);
      // Counting checks the scope before anything is built.
      await registry.matchData.count(actor);
      const row = await registry.database.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst();
      const seq = Number(row?.seq ?? 0);
      const path = await snapshotFor(seq, actor);
      return reply
        .type('application/vnd.heoga.index')
        .header('content-disposition', `attachment; filename="index-${seq}.heoga"`)
        .send(createReadStream(path));
    },
  });
}
