// Opens the what-if page of a running `doseflow serve` in headless Chromium, waits for the baseline to be drawn,
// moves a lever (the basic reproduction number), waits for the new run and checks that a key figure and a what-if
// chart changed while the baseline chart did not, that the address holds the setting, that the page made no
// request outside the server, and that the downloaded scenario run with `doseflow run` gives the page's figures.
// Usage: node serve_browser_test.js URL DOSEFLOW_EXE WORK_DIR
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const TIMEOUT_MS = 240000;

async function main() {
  const [url, doseflow, workDir] = process.argv.slice(2);
  if (!workDir) { console.error('usage: node serve_browser_test.js URL DOSEFLOW_EXE WORK_DIR'); return 2; }
  const origin = new URL(url).origin;
  const executablePath = process.env.DOSEFLOW_CHROMIUM || '/usr/bin/chromium';
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'doseflow-chromium-'));
  const problems = [];
  let context = null;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath, headless: true, acceptDownloads: true,
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
      const address = request.url();
      if (!address.startsWith(origin) && !address.startsWith('data:') && !address.startsWith('blob:'))
        problems.push(`request outside the server (the page must work offline): ${address}`);
    });

    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.getAttribute('data-runs') === '1', null, { timeout: TIMEOUT_MS });
    const before = await snapshot(page);
    if (before.whatIfChart.length === 0) problems.push('the what-if chart of deaths is not drawn');

    // Move the lever as a person does: set the slider and let go (the change event).
    const started = Date.now();
    await page.$eval('[data-path="epidemic.r0"]', (input) => {
      input.value = String(Number(input.value) + 0.6);
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => document.body.getAttribute('data-runs') === '2', null, { timeout: TIMEOUT_MS });
    console.log(`lever change redrawn in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    const after = await snapshot(page);
    const state = await page.evaluate(() => document.body.getAttribute('data-state'));
    if (state !== 'ready') problems.push(`the page is in state "${state}" after the run`);
    if (after.deaths === before.deaths) problems.push(`the what-if deaths figure did not change (${after.deaths})`);
    if (after.whatIfChart === before.whatIfChart) problems.push('the what-if chart of deaths did not change');
    if (after.baselineChart !== before.baselineChart) problems.push('the baseline chart changed with the lever');
    const hash = decodeURIComponent(await page.evaluate(() => location.hash));
    if (!hash.includes('epidemic.r0')) problems.push(`the address does not hold the setting: ${hash}`);

    // The downloaded scenario, run with `doseflow run`, gives the figures the server answered for the what-if.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT_MS }),
                                          page.click('#download')]);
    const tomlPath = path.join(workDir, 'what-if.toml');
    await download.saveAs(tomlPath);
    const set = JSON.parse(new URLSearchParams(hash.slice(1)).get('set'));
    const answer = await page.evaluate(async (body) => {
      const response = await fetch('/api/run', { method: 'POST', body: JSON.stringify(body),
                                                 headers: { 'X-Doseflow-Client': 'check' } });
      return response.json();
    }, { set });
    const outDir = path.join(workDir, 'run');
    execFileSync(doseflow, ['run', tomlPath, '--out', outDir, '--force', '--quiet'], { stdio: 'inherit' });
    const summary = JSON.parse(fs.readFileSync(path.join(outDir, 'summary.json'), 'utf8'));
    if (JSON.stringify(summary.figures) !== JSON.stringify(answer.figures))
      problems.push('`doseflow run` of the downloaded scenario gives other figures than the page\'s what-if');
    else console.log(`ok    the downloaded scenario reproduces the what-if (deaths ${summary.figures.deaths})`);
  } catch (error) {
    problems.push(`browser: ${error && error.message ? error.message : error}`);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  if (problems.length === 0) console.log('PASS: the what-if page reruns and redraws');
  return problems.length === 0 ? 0 : 1;
}

async function snapshot(page) {
  return page.evaluate(() => {
    const row = document.querySelector('tr[data-figure="deaths"]');
    const svg = (id) => { const box = document.getElementById(id); const drawn = box && box.querySelector('svg');
                          return drawn ? drawn.outerHTML : ''; };
    return { deaths: row ? row.cells[2].textContent : '', whatIfChart: svg('chart-deaths-what-if'),
             baselineChart: svg('chart-deaths-baseline') };
  });
}

main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(1); });
