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
// The relay, the browser and the helpers both browser benchmarks use are in bench/common.mjs.
//
// The relay is stopped at the end, whatever happens.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  localDate, median, printProfile, profile, PROFILE, readSnapshots, ROOT, runBench, settle, signIn, stats, storeSnapshots,
} from './common.mjs';

const STOCK = process.env.STOCK_2K_BIN ?? path.join(ROOT, 'target', 'release', 'examples', 'stock_2k');
const RELOADS = 5;

/** Writes the site's supplies ending with the month of `day` (tests/examples/stock_2k.rs). */
function makeStock(dir, day) {
  const started = Date.now();
  execFileSync(STOCK, [dir, day], { stdio: ['ignore', 'inherit', 'inherit'] });
  const stock = JSON.parse(fs.readFileSync(path.join(dir, 'stock.json'), 'utf8'));
  stock.wallMs = Date.now() - started;
  stock.snapshots = readSnapshots(dir, [stock.inventory, ...stock.months]);
  return stock;
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

/** A reload, then the desk left to start up and go quiet, on the Today page. */
async function reload(page) {
  await page.reload({ waitUntil: 'commit' });
  await signIn(page);
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

runBench({
  needs: [['the stock generator (cargo build --release -p tests --example stock_2k)', STOCK]],
  tmpPrefix: 'front-desk-bench-stock-',
  relayLog: 'bench-stock-relay.log',
  results: 'bench-stock.txt',
  bench: async ({ page, tmp }) => {
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
    return lines;
  },
});
