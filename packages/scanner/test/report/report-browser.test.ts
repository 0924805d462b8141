// End to end: report.html opened from disk in Debian's headless Chromium asks for nothing over the network, shows
// every section and chart, and renders in light, dark and print.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystemTool } from '../../../../test/support/system-tools.js';
import { ScanSummariser, renderReportHtml } from '../../src/report/index.js';
import { sampleContext, sampleScan } from './sample-scan.js';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

let browser: Browser | undefined;
let work = '';
let reportUrl = '';

beforeAll(async () => {
  requireSystemTool('chromium', 'chromium');
  work = await mkdtemp(join(tmpdir(), 'heoga-report-'));
  const { lines, lookupWork } = sampleScan();
  const summariser = new ScanSummariser(lookupWork);
  for (const l of lines) summariser.add(l);
  const context = sampleContext();
  const path = join(work, 'report.html');
  await writeFile(path, renderReportHtml(summariser.finish(context), summariser.finishQuote(context)));
  reportUrl = pathToFileURL(path).href;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('report.html in Chromium', () => {
  it('loads from file:// without a single other request, and shows every section and chart', async () => {
    const context = await browser!.newContext({ viewport: { width: 1200, height: 900 } });
    const requested: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    // Anything but the report itself would be a request to outside: refuse it, and the test sees it above.
    await context.route('**/*', (route) =>
      route.request().url() === reportUrl ? route.continue() : route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(reportUrl, { waitUntil: 'load' });

    expect(requested).toEqual([reportUrl]);
    expect(problems).toEqual([]);
    expect(await page.locator('section[id]').count()).toBe(8);
    expect(await page.locator('svg.chart').count()).toBe(2);
    expect(await page.locator('#works tbody tr').count()).toBeGreaterThan(5);
    const chart = await page.locator('#verdicts svg.chart').boundingBox();
    expect(chart!.width).toBeGreaterThan(600);

    const shot = join(work, 'report-light.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(50_000);

    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
    expect(background).toBe('rgb(15, 20, 25)');
    await page.screenshot({ path: join(work, 'report-dark.png'), fullPage: true });

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    expect(requested).toEqual([reportUrl]);
    await context.close();
  }, 60_000);
});
