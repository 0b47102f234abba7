// Renders every harness view in headless Chromium (Debian's /usr/bin/chromium; never a
// downloaded browser) and saves docs/screenshots/<view>.png. Fails when a view throws or logs a
// page error. `--check` renders without saving (the CI test).
//   npm run screenshots          # write PNGs
//   npm run test:screenshots     # fail if any harness view throws
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { buildHarness } from './build.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const check = process.argv.includes('--check');
const only = process.argv.find((a) => a.startsWith('--view='))?.slice('--view='.length);
const outDir = 'docs/screenshots';

if (!fs.existsSync(CHROMIUM)) {
  const msg = `screenshots: ${CHROMIUM} not found. Install it with: apt-get install -y chromium`;
  if (process.env.CI === 'true') {
    console.error(`${msg} (required when CI=true)`);
    process.exit(1);
  }
  // Exit 3: the runner (scripts/test-all.sh) reports the stage NOT RUN, never passed.
  console.warn(`${msg}; not run.`);
  process.exit(3);
}

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'platformlens-harness-'));
await buildHarness(dist);
fs.writeFileSync(
  path.join(dist, 'index.html'),
  `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/harness.css"></head>` +
    `<body><div id="root"></div><script>window.__grafana_public_path__ = '/public/';</script>` +
    `<script type="module" src="/harness.js"></script></body></html>`
);
const icons = path.resolve('node_modules/@grafana/ui/dist/public/img/icons');
const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost').pathname;
  const file = url.startsWith('/public/build/img/icons/')
    ? path.join(icons, url.slice('/public/build/img/icons/'.length))
    : path.join(dist, url === '/' ? 'index.html' : url);
  if (!file.startsWith(icons) && !file.startsWith(dist)) {
    res.writeHead(403).end();
    return;
  }
  fs.readFile(file, (err, body) => {
    if (err) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const views = only
  ? [only]
  : [
      'home',
      'home-database-down',
      'configuration',
      'catalog',
      'data',
      'query-editor',
      'query-editor-forecast',
      'query-editor-sql',
      'query-editor-catalog-down',
      'annotation-editor',
      'variable-editor',
      'config-editor',
    ];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const failures = [];
// Renders one view in its own page; a page error thrown while it settles fails the view.
async function render(view) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/?view=${view}`, { waitUntil: 'networkidle', timeout: 120000 });
  // Let async loads and Monaco settle; the fake backend answers at once.
  await page.waitForTimeout(1500);
  if (!check) {
    await page.screenshot({ path: path.join(outDir, `${view}.png`), fullPage: true });
  }
  // Counted after the screenshot: an error thrown meanwhile must fail the view, not only its log line.
  if (errors.length) {
    failures.push(`${view}: ${errors.join(' | ')}`);
  }
  console.log(`${errors.length ? 'FAIL' : 'ok  '} ${view}`);
  await page.close();
}
try {
  fs.mkdirSync(outDir, { recursive: true });
  // A few pages at a time: most of a view's time is the settle wait and network idleness, so one
  // page after another left the CPU idle for half the stage (12 views: 47 s, three at a time 27 s).
  const pagesAtOnce = 3;
  const queue = [...views];
  const worker = async () => {
    for (let view = queue.shift(); view; view = queue.shift()) {
      await render(view);
    }
  };
  await Promise.all(Array.from({ length: pagesAtOnce }, worker));
} finally {
  await browser.close();
  server.close();
  fs.rmSync(dist, { recursive: true, force: true });
}
const passed = views.length - failures.length;
console.log(`${passed} passed, ${failures.length} failed`);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
