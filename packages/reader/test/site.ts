import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer of the test site. */
export interface Route {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer;
  /** Wait this long before answering (timeouts, politeness). */
  readonly delayMs?: number;
}

/** What a test origin saw. */
export interface OriginLog {
  /** Requests per path. */
  readonly counts: Map<string, number>;
  /** Arrival times (ms, monotonic) of every request, in order. */
  readonly arrivals: number[];
  /** The most requests being answered at once. */
  maxInFlight: number;
  inFlight: number;
  /** The Host headers seen. */
  readonly hosts: string[];
}

/** A test origin: a node:http server on 127.0.0.1 with its own port, routes and log. */
export interface TestOrigin {
  readonly port: number;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly routes: Map<string, Route>;
  readonly log: OriginLog;
  total(): number;
}

/** Starts `count` origins (one server per port); `close` stops them all. */
export async function startSite(count: number): Promise<{ origins: TestOrigin[]; close: () => Promise<void> }> {
  const servers: http.Server[] = [];
  const origins: TestOrigin[] = [];
  for (let i = 0; i < count; i++) {
    const routes = new Map<string, Route>();
    const log: OriginLog = { counts: new Map(), arrivals: [], maxInFlight: 0, inFlight: 0, hosts: [] };
    const server = http.createServer((req, res) => {
      const path = req.url ?? '/';
      log.counts.set(path, (log.counts.get(path) ?? 0) + 1);
      log.arrivals.push(performance.now());
      log.hosts.push(req.headers.host ?? '');
      log.inFlight++;
      log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
      const route = routes.get(path) ?? routes.get(path.split('?')[0] ?? '') ?? { status: 404, body: 'not found' };
      let done = false;
      const finish = () => {
        if (!done) log.inFlight--;
        done = true;
      };
      const answer = () => {
        finish();
        if (res.destroyed) return;
        res.statusCode = route.status ?? 200;
        for (const [name, value] of Object.entries(route.headers ?? {})) res.setHeader(name, value);
        res.end(route.body ?? '');
      };
      // A client that gave up (a timeout) is no longer in flight.
      res.on('close', finish);
      if (route.delayMs) setTimeout(answer, route.delayMs);
      else answer();
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    servers.push(server);
    origins.push({
      port,
      origin: `http://127.0.0.1:${port}`,
      routes,
      log,
      total: () => [...log.counts.values()].reduce((a, b) => a + b, 0),
    });
  }
  return {
    origins,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (opened, then closed). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
