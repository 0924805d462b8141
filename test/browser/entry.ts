// The page the browser test loads: @heoga/core, bundled by Vite exactly as a web app would bundle it, exposed to the
// test on globalThis. Nothing here computes anything; the test calls core's own functions in the page.
import * as core from '@heoga/core';

Object.assign(globalThis, { heogaCore: core });
const status = (globalThis as { document?: { getElementById(id: string): { textContent: string } | null } }).document;
const el = status?.getElementById('status');
if (el) el.textContent = 'ready';
