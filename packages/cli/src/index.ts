/** `@heoga/cli`: the heoga command as a library, for tests and embedding. */
export { runCli } from './cli.js';
export { EXIT } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';
export type { CliIo, CliEnvironment } from './io.js';
export { VERSION } from './version.js';
