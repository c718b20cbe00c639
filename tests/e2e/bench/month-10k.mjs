// The browser figures for the schedule's speed targets (`make bench-client`):
//
//   "A month document of 10,000 appointments: load from IndexedDB and render Today in at
//   most 500 ms in headless Chromium; booking one appointment shows on screen and is
//   committed to IndexedDB in at most 50 ms."
//
// Figures, not assertions (ARCHITECTURE.md, Benchmarks): this script prints them and writes
// them to test-results/bench-client.txt. It is not part of the Playwright suite
// (playwright.config.ts runs ./specs only) and needs no TypeScript runner: plain Node with
// the Playwright library installed in tests/e2e/node_modules.
//
// What it does, on the release client (`dist/`) served by the release relay:
//  1. starts the relay on a free port with a fresh data directory and a first-run
//     organisation, and opens the printed link in headless Chromium; sets the device up;
//  2. writes today's month (tests/examples/month_10k.rs: 10,000 appointments, a few hundred
//     of them today) and its directory as snapshots straight into IndexedDB, in the records
//     the app itself keeps (app/src/platform/idb.rs: store `snapshots`, key = document id,
//     value = the Automerge bytes), so that a reload takes the app's real start-up path;
//  3. reloads once to warm up, then RELOADS times, timing from navigation start until the
//     day grid holds every appointment of the day (a MutationObserver installed before the
//     page's scripts), and the same after the wasm module is instantiated;
//  4. books BOOKINGS appointments through the form, timing click → the new block on the
//     grid and click → the driver's `front-desk:edit-stored` mark (the IndexedDB
//     transaction of the edit has committed).
// With BENCH_PROFILE=1 it also takes a CPU profile of one more reload and one more booking
// (DevTools protocol) and prints where the time went. The release build has no function
// names (wasm-opt drops them); for names, point E2E_DIST at a build made with
// `data-keep-debug` and CARGO_PROFILE_WASM_RELEASE_STRIP=none, its wasm optimised again
// with `wasm-opt -Oz -g` (and the preload's integrity hash updated).
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
const MONTH = process.env.MONTH_10K_BIN ?? path.join(ROOT, 'target', 'release', 'examples', 'month_10k');
const DIST = process.env.E2E_DIST ?? path.join(ROOT, 'dist');
const RESULTS = path.join(HERE, '..', 'test-results');
const RELOADS = 5;
const BOOKINGS = 10;
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
      reject(new Error(`the relay exited (code ${code}, signal ${signal}); see test-results/bench-client-relay.log`));
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

/** The browser's own date (YYYY-MM-DD): the day the Today page opens on. */
function localDate() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Writes the month of `day` and its directory (tests/examples/month_10k.rs) into `dir`. */
function makeMonth(dir, day) {
  execFileSync(MONTH, [dir, day], { stdio: ['ignore', 'ignore', 'inherit'] });
  const month = JSON.parse(fs.readFileSync(path.join(dir, 'month.json'), 'utf8'));
  month.snapshots = [month.directory, month.schedule].map(({ doc, file }) => ({
    doc,
    base64: fs.readFileSync(path.join(dir, file)).toString('base64'),
  }));
  return month;
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
 * Installed before the page's own scripts on every load: marks when the wasm module is
 * instantiated (wasm-bindgen calls WebAssembly.instantiateStreaming, or instantiate), when
 * the grid holds `expected` appointments, and the frame after that (style, layout, paint).
 */
function watchLoad(expected) {
  const mark = (name) => {
    if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
  };
  for (const key of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[key];
    WebAssembly[key] = function (...args) {
      return original.apply(this, args).then((result) => {
        mark('bench:wasm-ready');
        return result;
      });
    };
  }
  let shown;
  window.__benchShown = new Promise((resolve) => (shown = resolve));
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll('[data-testid=appointment]').length < expected) return;
    observer.disconnect();
    mark('bench:grid-shown');
    requestAnimationFrame(() =>
      setTimeout(() => {
        mark('bench:grid-painted');
        shown();
      }, 0),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** After a load: its marks, measures and what the grid shows (in the page). */
async function loadTimes() {
  await window.__benchShown;
  const at = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
  const wasm = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname.endsWith('.wasm'));
  return {
    pageFetched: performance.getEntriesByType('navigation')[0]?.responseEnd ?? NaN,
    wasmRequested: wasm?.fetchStart ?? NaN,
    wasmFetched: wasm?.responseEnd ?? NaN,
    byServiceWorker: navigator.serviceWorker?.controller != null,
    wasmReady: at('bench:wasm-ready'),
    driverStart: at('front-desk:driver-start'),
    docsLoaded: at('front-desk:docs-loaded'),
    shown: at('bench:grid-shown'),
    painted: at('bench:grid-painted'),
    measures: Object.fromEntries(performance.getEntriesByType('measure').map((m) => [m.name, m.duration])),
    blocks: document.querySelectorAll('[data-testid=appointment]').length,
    title: document.querySelector('[data-testid=day-title]')?.textContent ?? '',
  };
}

/**
 * Before a booking is sent (in the page): waits for the first click, then for the block of
 * `patient` on the grid, the frame after it, and the driver's edit-stored mark.
 */
function watchBooking(patient) {
  const selector = `[data-testid=appointment][data-patient="${CSS.escape(patient)}"]`;
  window.__benchBooked = new Promise((resolve) => {
    const times = { clicked: NaN, shown: NaN, painted: NaN, stored: NaN };
    const done = () => {
      if (![times.painted, times.stored].some(Number.isNaN)) resolve(times);
    };
    document.addEventListener('click', () => (times.clicked = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (!document.querySelector(selector)) return;
      observer.disconnect();
      times.shown = performance.now();
      requestAnimationFrame(() =>
        setTimeout(() => {
          times.painted = performance.now();
          done();
        }, 0),
      );
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const marks = new PerformanceObserver((list) => {
      const stored = list.getEntriesByName('front-desk:edit-stored').find((m) => m.startTime >= times.clicked);
      if (!stored) return;
      marks.disconnect();
      times.stored = stored.startTime;
      done();
    });
    marks.observe({ type: 'mark' });
  });
}

/**
 * Waits until the desk is quiet (in the page): every edit at the relay, and no long task
 * (50 ms or more of main-thread work) for half a second. Whatever the last step started in
 * the background (the next month read for the conflicts badge, the relay's answers) must
 * not run into the next measurement: a reload's new document waits for the old one's
 * task to end, and a booking for the previous one's.
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

/** Fills the booking form as tests/e2e/specs/desk.ts does. */
async function fillBooking(page, booking) {
  const form = page.locator('form[data-testid=booking-form]');
  await form.locator('input[name=patient_name]').fill(booking.patient);
  await form.locator('input[name=start]').fill(booking.start);
  await form.locator('input[name=duration_minutes]').fill(String(booking.minutes));
  await form.locator('select[name=provider]').selectOption({ label: booking.provider });
  // A time that has passed today is recorded as a back-entry, as the desk would.
  const past = await page.evaluate((start) => new Date(start).getTime() < Date.now() + 60_000, booking.start);
  await form.locator('input[name=back_entry]').setChecked(past);
}

/** Books what the form holds for `patient`; returns the times from the click. */
async function clickBook(page, patient) {
  await page.evaluate(watchBooking, patient);
  await page.locator('[data-testid=book]').click();
  const times = await page.evaluate(() => window.__benchBooked);
  return { shown: times.shown - times.clicked, painted: times.painted - times.clicked, stored: times.stored - times.clicked };
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

/** The lines to print and keep, from the runs' times. */
function report(month, loads, bookings) {
  const pick = (f) => loads.map(f);
  const doc = month.schedule.doc;
  const measure = (name) => pick((l) => l.measures[`front-desk:${name} ${doc}`] ?? NaN);
  const lines = [
    `month ${doc}: ${month.schedule.appointments} appointments (${Math.round(month.schedule.bytes / 1024)} KiB snapshot); ` +
      `${month.day}: ${month.day_appointments} appointments, ${month.day_blocks} on the grid; headless Chromium, release build`,
    `load 10k month and render Today: ${stats(pick((l) => l.shown))} (after wasm ready: ${median(pick((l) => l.shown - l.wasmReady))}, ` +
      `p90 ${ms(quantile(pick((l) => l.shown - l.wasmReady), 0.9))}) over ${loads.length} reloads [target 500 ms]`,
    `  painted (next frame): ${stats(pick((l) => l.painted))}`,
    `  page fetched ${median(pick((l) => l.pageFetched))}, wasm requested ${median(pick((l) => l.wasmRequested))}, ` +
      `fetched (responseEnd) ${median(pick((l) => l.wasmFetched))}, instantiated ${median(pick((l) => l.wasmReady))}` +
      `${loads.every((l) => l.byServiceWorker) ? ' (served by the service worker)' : ''}; ` +
      `driver start ${median(pick((l) => l.driverStart - l.wasmReady))} later`,
    `  driver start → documents open ${median(pick((l) => l.docsLoaded - l.driverStart))} ` +
      `(month: IndexedDB read ${median(measure('idb-read'))}, Automerge load ${median(measure('automerge-load'))})`,
    `  documents open → grid shown ${median(pick((l) => l.shown - l.docsLoaded))} (the views: reading the month, layout, DOM)`,
    `book one appointment into it: on screen ${stats(bookings.map((b) => b.shown))}, stored in IndexedDB ${stats(bookings.map((b) => b.stored))} ` +
      `over ${bookings.length} bookings [target 50 ms]`,
    `  painted (next frame): ${stats(bookings.map((b) => b.painted))}`,
  ];
  return lines;
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

async function main() {
  for (const [what, file] of [
    ['the release relay (cargo build --release -p sync-server)', RELAY],
    ['the month generator (cargo build --release -p tests --example month_10k)', MONTH],
    ['the client build (make client)', path.join(DIST, 'index.html')],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`missing ${what}: ${file}`);
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'front-desk-bench-'));
  const log = fs.openSync(path.join(RESULTS, 'bench-client-relay.log'), 'w');
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
    const month = makeMonth(path.join(tmp, 'month'), await page.evaluate(localDate));
    await page.evaluate(storeSnapshots, month.snapshots);
    await context.addInitScript(watchLoad, month.day_blocks);

    // The first reload warms the HTTP and service-worker caches and Chromium's wasm code
    // cache, as on a desk that opened the app before; it is not counted.
    const loads = [];
    for (let i = 0; i <= RELOADS; i++) {
      await page.reload({ waitUntil: 'commit' });
      const load = await page.evaluate(loadTimes);
      if (load.blocks !== month.day_blocks || !load.title.includes('Today')) {
        throw new Error(`the grid shows ${load.blocks} appointments on "${load.title}", expected ${month.day_blocks} today`);
      }
      if (i > 0) loads.push(load);
      await page.evaluate(settle);
    }

    const providers = month.directory.providers;
    const booking = (i) => {
      const minutes = 12 * 60 + 5 * i;
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return { patient: `Patient ${10001 + i}`, start: `${month.day}T${time}`, minutes: 15, provider: providers[i % providers.length] };
    };
    const bookings = [];
    for (let i = 0; i < BOOKINGS; i++) {
      await fillBooking(page, booking(i));
      bookings.push(await clickBook(page, booking(i).patient));
      await page.evaluate(settle);
    }

    const lines = report(month, loads, bookings);
    if (PROFILE) {
      const reload = await profile(page, async () => {
        await page.reload({ waitUntil: 'commit' });
        await page.evaluate(loadTimes);
      });
      lines.push(...printProfile('CPU profile, one reload', reload));
      await page.evaluate(settle);
      await fillBooking(page, booking(BOOKINGS));
      const booked = await profile(page, () => clickBook(page, booking(BOOKINGS).patient));
      lines.push(...printProfile('CPU profile, one booking', booked));
    }
    if (errors.length > 0) lines.push(`page errors: ${errors.join('; ')}`);
    const text = lines.join('\n') + '\n';
    process.stdout.write(text);
    fs.writeFileSync(path.join(RESULTS, 'bench-client.txt'), text);
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
