/** `@heoga/server`: the HTTP API over the registry. */
export { buildApp, JSON_BODY_LIMIT } from './app.js';
export { WORK_BODY_LIMIT } from './routes/works.js';
export type { AppOptions } from './app.js';
export { loadServerConfig, ConfigError } from './config.js';
export type { ServerConfig } from './config.js';
export { startServer } from './serve.js';
export type { RunningServer } from './serve.js';
export { loadDemoCatalog, DEMO_PASSWORD } from './demo.js';
export { DEMO_STORY } from './demo-story.js';
export type { DemoCredentials } from './demo.js';
export { generateOpenApiDocument } from './openapi.js';
export { PROBLEMS, ApiError } from './problem.js';
export type { ApiErrorCode, Problem } from './problem.js';
export { IMPORT_BODY_LIMIT } from './routes/check.js';
export { SESSION_COOKIE, CSRF_COOKIE, CSRF_HEADER } from './auth.js';
export { VERSION } from './version.js';
export { loadOrCreateLogKey } from './log-key.js';
export { receiptSchema } from './routes/log.js';
