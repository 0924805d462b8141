import type { CliIo } from '@heoga/cli';

/** A `CliIo` that keeps everything in memory, for in-process CLI tests; writes land in `files`. */
export function memoryIo(
  files: Record<string, string | Uint8Array>,
  options: { stdin?: string; now?: string; lang?: 'en' | 'ko' } = {},
): CliIo & { readonly out: string[]; readonly err: string[]; stdoutText(): string; stderrText(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' }));
      return Promise.resolve(typeof content === 'string' ? new TextEncoder().encode(content) : content);
    },
    writeFile: (path, data, options = {}) => {
      if (options.exclusive === true && files[path] !== undefined) {
        return Promise.reject(Object.assign(new Error(`EEXIST: ${path}`), { code: 'EEXIST' }));
      }
      files[path] = typeof data === 'string' ? data : Uint8Array.from(data);
      return Promise.resolve();
    },
    rename: (from, to) => {
      const content = files[from];
      if (content === undefined) return Promise.reject(Object.assign(new Error(`ENOENT: ${from}`), { code: 'ENOENT' }));
      files[to] = content;
      delete files[from];
      return Promise.resolve();
    },
    readStdin: () => Promise.resolve(new TextEncoder().encode(options.stdin ?? '')),
    now: () => new Date(options.now ?? '2026-11-25T00:00:00Z'),
    env: { color: false, lang: options.lang ?? 'en', debug: false },
    vars: {},
    stderrIsTty: false,
    untilShutdown: () => new Promise(() => undefined),
    fetch: globalThis.fetch,
  };
}
