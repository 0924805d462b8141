/** The server's version, shown in the OpenAPI document and /healthz; a test keeps it equal to package.json. */
export const VERSION = '0.1.0';
