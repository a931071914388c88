// Opens a doseflow report from a file:// URL in headless Chromium and checks that every chart container holds
// a drawn, non-empty SVG (or canvas), that the page made no network request, and that nothing was logged as an
// error or warning. Exits 0 when all holds, 1 otherwise (with the reasons), 2 on bad usage.
// Usage: node report_browser_test.js REPORT.html [EXPECTED_CHART_COUNT]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const RENDER_TIMEOUT_MS = 60000;

async function main() {
  if (process.argv.length < 3) {
    console.error('usage: node report_browser_test.js REPORT.html [EXPECTED_CHART_COUNT]');
    return 2;
  }
  const htmlPath = path.resolve(process.argv[2]);
  const expectedCharts = process.argv[3] === undefined ? null : Number(process.argv[3]);
  const executablePath = process.env.DOSEFLOW_CHROMIUM || '/usr/bin/chromium';
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'doseflow-chromium-'));
  const problems = [];
  let context = null;
  try {
    // A persistent context is how Playwright takes a --user-data-dir: a fresh, empty profile for each run.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:'))
        problems.push(`network request (the report must work offline): ${url}`);
    });

    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body && document.body.hasAttribute('data-rendered'), null,
                               { timeout: RENDER_TIMEOUT_MS });
    const state = await page.evaluate(() => document.body.getAttribute('data-rendered'));
    if (state !== 'ok') problems.push(`the page reports data-rendered="${state}"`);

    const charts = await page.$$eval('.chart', (boxes) => boxes.map((box) => {
      const svg = box.querySelector('svg');
      const canvas = box.querySelector('canvas');
      const drawn = svg || canvas;
      const rect = drawn ? drawn.getBoundingClientRect() : { width: 0, height: 0 };
      const marks = svg ? svg.querySelectorAll('path, rect, line, text, circle, symbol').length : 0;
      return { id: box.id, kind: svg ? 'svg' : (canvas ? 'canvas' : 'none'), width: rect.width,
               height: rect.height, marks };
    }));
    if (charts.length === 0) problems.push('the page has no chart containers (.chart)');
    if (expectedCharts !== null && charts.length !== expectedCharts)
      problems.push(`expected ${expectedCharts} charts, found ${charts.length}`);
    for (const chart of charts) {
      const empty = chart.kind === 'none' || chart.width < 10 || chart.height < 10 ||
                    (chart.kind === 'svg' && chart.marks === 0);
      console.log(`${empty ? 'EMPTY' : 'ok   '} #${chart.id}: ${chart.kind} ${Math.round(chart.width)}x` +
                  `${Math.round(chart.height)}, ${chart.marks} marks`);
      if (empty) problems.push(`chart #${chart.id} is empty (${chart.kind}, ${chart.marks} marks)`);
    }
  } catch (error) {
    problems.push(`browser: ${error && error.message ? error.message : error}`);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  if (problems.length === 0) console.log(`PASS: ${htmlPath}`);
  return problems.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(1); });
