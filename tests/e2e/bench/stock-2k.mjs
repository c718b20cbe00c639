// The browser figures for the supplies' speed target (`make bench-stock-client`):
//
//   "2,000 items and 50,000 movements at one site: load and render the item list in at
//   most 500 ms in headless Chromium; report the documents' sizes in bytes."
//
// Figures, not assertions (ARCHITECTURE.md, Benchmarks): this script prints them and writes
// them to test-results/bench-stock.txt. Like bench/month-10k.mjs it is not part of the
// Playwright suite and runs on plain Node with the Playwright library of tests/e2e.
//
// What it does, on the release client (`dist/`) served by the release relay:
//  1. starts the relay on a free port with a fresh data directory and a first-run
//     organisation, and opens the printed link in headless Chromium; sets the device up;
//  2. writes the main site's supplies (tests/examples/stock_2k.rs: `inventory/main` with
//     2,000 items, and twelve `stock/main/yyyy-mm` logs of 50,000 movements ending this
//     month) as snapshots straight into IndexedDB, in the records the app itself keeps
//     (store `snapshots`, key = document id, value = the Automerge bytes);
//  3. reloads once to warm up, then RELOADS times. The Stock tab is not remembered across
//     reloads, so after each reload the inventory is still in IndexedDB only: once the desk
//     is quiet, it times (a) the click on the Stock tab until the item list holds its first
//     page of rows (the load of `inventory/main` from IndexedDB, Automerge's load, reading
//     the items, drawing the list), and (c) the click on "Show all" until every row is
//     there; each also to the frame after (style, layout, paint).
// The driver's performance marks (`front-desk:load …`, its `idb-read` and `automerge-load`
// measures) split (a). With BENCH_PROFILE=1 it also takes a CPU profile of one more (a);
// for function names, see the note on E2E_DIST in bench/month-10k.mjs.
//
// The relay is stopped at the end, whatever happens.

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const RELAY = process.env.SYNC_SERVER_BIN ?? path.join(ROOT, 'target', 'release', 'sync-server');
const STOCK = process.env.STOCK_2K_BIN ?? path.join(ROOT, 'target', 'release', 'examples', 'stock_2k');
const DIST = process.env.E2E_DIST ?? path.join(ROOT, 'dist');
const RESULTS = path.join(HERE, '..', 'test-results');
const RELOADS = 5;
const PROFILE = process.env.BENCH_PROFILE === '1';

const relays = new Set();
// Whatever ends this process (an error, Ctrl-C), the relay does not outlive it.
process.on('exit', () => relays.forEach((relay) => relay.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Starts the relay on a free port; resolves with the process and the link it prints. */
function startRelay(data, log) {
  const relay = spawn(
    RELAY,
    ['serve', '--addr', '127.0.0.1:0', '--data', data, '--dist', DIST, '--first-run-org', 'bench'],
    { stdio: ['ignore', 'pipe', log], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' } },
  );
  relays.add(relay);
  relay.on('exit', () => relays.delete(relay));
  return new Promise((resolve, reject) => {
    let printed = '';
    const timer = setTimeout(() => reject(new Error('the relay printed no link within 30 s')), 30_000);
    relay.stdout.on('data', (chunk) => {
      printed += chunk;
      const link = printed.match(/Open this link: (\S+)/)?.[1];
      if (link) {
        clearTimeout(timer);
        resolve({ relay, link });
      }
    });
    relay.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the relay exited (code ${code}, signal ${signal}); see test-results/bench-stock-relay.log`));
    });
  });
}

async function stopRelay(relay) {
  if (relay.exitCode !== null || relay.signalCode !== null) return;
  const exited = new Promise((resolve) => relay.once('exit', () => resolve(true)));
  relay.kill('SIGTERM');
  const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
  if (!stopped) relay.kill('SIGKILL');
}

/** Names the device, as a person does on a new tablet; the token comes from the link. */
async function setUp(page, link) {
  await page.goto(link);
  const deviceName = page.locator('input[name=device_name]');
  await deviceName.waitFor();
  await deviceName.fill('Bench desk');
  await page.locator('[data-testid=setup-submit]').click();
  await page.locator('[data-testid=nav-today]').waitFor();
}

/** The browser's own date (YYYY-MM-DD): the month whose log is this month's. */
function localDate() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Writes the site's supplies ending with the month of `day` (tests/examples/stock_2k.rs). */
function makeStock(dir, day) {
  const started = Date.now();
  execFileSync(STOCK, [dir, day], { stdio: ['ignore', 'inherit', 'inherit'] });
  const stock = JSON.parse(fs.readFileSync(path.join(dir, 'stock.json'), 'utf8'));
  stock.wallMs = Date.now() - started;
  stock.snapshots = [stock.inventory, ...stock.months].map(({ doc, file }) => ({
    doc,
    base64: fs.readFileSync(path.join(dir, file)).toString('base64'),
  }));
  return stock;
}

/** Puts the snapshots into the app's IndexedDB records, in one transaction (in the page). */
async function storeSnapshots(snapshots) {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('front-desk');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('snapshots', 'readwrite');
    for (const { doc, base64 } of snapshots) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      tx.objectStore('snapshots').put(bytes, doc);
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  db.close();
}

/**
 * Waits until the desk is quiet (in the page): every edit at the relay, and no long task
 * (50 ms or more of main-thread work) for half a second, so that start-up, a document's
 * sync with the relay or the previous step's work does not run into the next measurement.
 */
async function settle() {
  const saved = () => /all saved/.test(document.querySelector('[data-testid=sync-status]')?.textContent ?? '');
  let last = performance.now();
  const tasks = new PerformanceObserver((list) => {
    for (const task of list.getEntries()) last = Math.max(last, task.startTime + task.duration);
  });
  tasks.observe({ type: 'longtask' });
  while (!saved() || performance.now() - last < 500) await new Promise((resolve) => setTimeout(resolve, 100));
  tasks.disconnect();
}

/**
 * Clicks `button` (a selector) in the page and resolves, once at least `rows` item rows are
 * in the list, with the times from the click: rows there, the frame after, and what the
 * driver marked meanwhile (its load of the inventory, if this click started it).
 */
function clickUntilRows({ button, rows }) {
  const count = () => document.querySelectorAll('[data-testid=stock-list] [data-testid=stock-row]').length;
  return new Promise((resolve, reject) => {
    const target = document.querySelector(button);
    if (!target) return reject(new Error(`no ${button} to click`));
    const times = { clicked: NaN, shown: NaN, painted: NaN, rows: 0 };
    const done = () => {
      const at = (name) => performance.getEntriesByName(name, 'mark').filter((m) => m.startTime >= times.clicked)[0]?.startTime ?? NaN;
      const measure = (name) =>
        performance.getEntriesByName(name, 'measure').filter((m) => m.startTime >= times.clicked)[0]?.duration ?? NaN;
      resolve({
        shown: times.shown - times.clicked,
        painted: times.painted - times.clicked,
        rows: times.rows,
        loadStarted: at('front-desk:load inventory/main') - times.clicked,
        idbRead: measure('front-desk:idb-read inventory/main'),
        opened: at('front-desk:open inventory/main') - times.clicked,
        automergeLoad: measure('front-desk:automerge-load inventory/main'),
      });
    };
    const check = () => {
      const n = count();
      if (n < rows) return false;
      observer.disconnect();
      times.shown = performance.now();
      times.rows = n;
      requestAnimationFrame(() =>
        setTimeout(() => {
          times.painted = performance.now();
          done();
        }, 0),
      );
      return true;
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true });
    times.clicked = performance.now();
    target.click();
    check();
  });
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low] + (sorted[Math.ceil(rank)] - sorted[low]) * (rank - low);
}

const ms = (value) => `${Math.round(value)} ms`;
const stats = (values) => `median ${ms(quantile(values, 0.5))}, p90 ${ms(quantile(values, 0.9))}`;
const median = (values) => ms(quantile(values, 0.5));
const kib = (bytes) => `${Math.round(bytes / 1024)} KiB`;

/** The lines to print and keep, from the runs' times. */
function report(stock, opens, alls) {
  const inv = stock.inventory;
  const logs = stock.months.reduce((sum, m) => sum + m.bytes, 0);
  const pick = (list, f) => list.map(f);
  return [
    `${inv.doc}: ${inv.items} items (${inv.lot_tracked} by lot, ${inv.lots} lots; ${inv.low} at or below reorder point, ` +
      `${inv.suggestions} to reorder; ${inv.open_orders} open orders), ${stock.movements} movements in ${stock.months.length} ` +
      `monthly logs; generated in ${(stock.generated_ms / 1000).toFixed(1)} s; headless Chromium, release build`,
    `sizes (Automerge snapshots, bytes): ${inv.doc} ${inv.bytes}; logs ${logs} ` +
      `(${stock.months.map((m) => `${m.doc.split('/').pop()} ${m.bytes}`).join(', ')}); total ${stock.total_bytes} (${kib(stock.total_bytes)})`,
    `(a) open Stock after a reload, list shows its first ${stock.first_page} rows: ${stats(pick(opens, (o) => o.shown))} ` +
      `over ${opens.length} reloads [target 500 ms]`,
    `  painted (next frame): ${stats(pick(opens, (o) => o.painted))}`,
    `  click → load of ${inv.doc} starts ${median(pick(opens, (o) => o.loadStarted))}; IndexedDB read ${median(pick(opens, (o) => o.idbRead))}; ` +
      `Automerge load ${median(pick(opens, (o) => o.automergeLoad))} (opened ${median(pick(opens, (o) => o.opened + o.automergeLoad))} after the click); ` +
      `then reading the items and drawing the list ${median(pick(opens, (o) => o.shown - o.opened - o.automergeLoad))}`,
    `(c) "Show all": all ${stock.list_rows} rows ${stats(pick(alls, (o) => o.shown))}, painted ${stats(pick(alls, (o) => o.painted))} ` +
      `over ${alls.length} reloads`,
  ];
}

/**
 * Runs `action` under the DevTools CPU profiler; returns the time per function, self and
 * total (with what it calls; a function on the stack twice counts once), top first.
 */
async function profile(page, action) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await action();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  const label = ({ functionName, url, lineNumber }) => {
    const file = url ? path.basename(new URL(url).pathname) : '';
    return `${functionName || '(anonymous)'}${file && !file.endsWith('.wasm') ? ` ${file}:${lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const total = new Map();
  const add = (map, name, t) => map.set(name, (map.get(name) ?? 0) + t);
  profile.samples.forEach((id, i) => {
    const t = (profile.timeDeltas?.[i + 1] ?? 0) / 1000;
    add(self, label(nodes.get(id).callFrame), t);
    const stack = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) stack.add(label(nodes.get(at).callFrame));
    for (const name of stack) add(total, name, t);
  });
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { self: sorted(self), total: sorted(total) };
}

function printProfile(title, { self, total }, top = 25) {
  const sampled = self.reduce((sum, [, t]) => sum + t, 0);
  const lines = [`${title}: ${ms(sampled)} sampled; self time:`];
  for (const [name, t] of self.slice(0, top)) lines.push(`  ${ms(t).padStart(7)}  ${name}`);
  lines.push('  total time (with callees):');
  for (const [name, t] of total.slice(0, top * 2)) lines.push(`  ${ms(t).padStart(7)}  ${name}`);
  return lines;
}

/** A reload, then the desk left to start up and go quiet, on the Today page. */
async function reload(page) {
  await page.reload({ waitUntil: 'commit' });
  await page.locator('[data-testid=nav-stock]').waitFor();
  await page.evaluate(settle);
  const rows = await page.locator('[data-testid=stock-row]').count();
  if (rows !== 0) throw new Error(`after a reload the page already shows ${rows} stock rows: is the Stock tab remembered?`);
}

async function openStock(page, stock) {
  const opened = await page.evaluate(clickUntilRows, { button: '[data-testid=nav-stock]', rows: stock.first_page });
  if (opened.rows < stock.first_page) throw new Error(`the list shows ${opened.rows} rows, expected ${stock.first_page}`);
  return opened;
}

async function showAll(page, stock) {
  await page.evaluate(settle);
  const all = await page.evaluate(clickUntilRows, { button: '[data-testid=stock-more]', rows: stock.list_rows });
  if (all.rows !== stock.list_rows) throw new Error(`"Show all" shows ${all.rows} rows, expected ${stock.list_rows}`);
  return all;
}

async function main() {
  for (const [what, file] of [
    ['the release relay (cargo build --release -p sync-server)', RELAY],
    ['the stock generator (cargo build --release -p tests --example stock_2k)', STOCK],
    ['the client build (make client)', path.join(DIST, 'index.html')],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`missing ${what}: ${file}`);
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'front-desk-bench-stock-'));
  const log = fs.openSync(path.join(RESULTS, 'bench-stock-relay.log'), 'w');
  let relay;
  let browser;
  try {
    const started = await startRelay(path.join(tmp, 'data'), log);
    relay = started.relay;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, serviceWorkers: 'allow' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await setUp(page, started.link);
    const stock = makeStock(path.join(tmp, 'stock'), await page.evaluate(localDate));
    await page.evaluate(storeSnapshots, stock.snapshots);

    // The first round warms the HTTP and service-worker caches and Chromium's wasm code
    // cache, and leaves the inventory at the relay (its first sync sends the whole
    // document); it is not counted.
    const opens = [];
    const alls = [];
    for (let i = 0; i <= RELOADS; i++) {
      await reload(page);
      const opened = await openStock(page, stock);
      const all = await showAll(page, stock);
      if (i > 0) {
        opens.push(opened);
        alls.push(all);
      }
      await page.evaluate(settle);
    }

    const lines = report(stock, opens, alls);
    if (PROFILE) {
      await reload(page);
      const opening = await profile(page, () => openStock(page, stock));
      lines.push(...printProfile('CPU profile, opening Stock after a reload', opening));
      await page.evaluate(settle);
      const all = await profile(page, () => showAll(page, stock));
      lines.push(...printProfile('CPU profile, "Show all"', all));
    }
    const problems = await page.locator('[data-testid=problem]').allTextContents();
    if (problems.length > 0) lines.push(`problems shown: ${problems.join('; ')}`);
    if (errors.length > 0) lines.push(`page errors: ${errors.join('; ')}`);
    const text = lines.join('\n') + '\n';
    process.stdout.write(text);
    fs.writeFileSync(path.join(RESULTS, 'bench-stock.txt'), text);
  } finally {
    await browser?.close();
    if (relay) await stopRelay(relay);
    fs.closeSync(log);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
