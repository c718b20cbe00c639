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
//  3. reloads once to warm up, then RELOADS times: the app opens locked, loading the documents
//     behind the sign-in screen; times navigation start → the sign-in screen, and the touch
//     on "Sign in" (the owner's PIN, checked with Argon2id) → the day grid holding every
//     appointment of the day (a MutationObserver installed before the page's scripts);
//  4. books BOOKINGS appointments through the form, timing click → the new block on the
//     grid and click → the driver's `front-desk:edit-stored` mark (the IndexedDB
//     transaction of the edit has committed).
// With BENCH_PROFILE=1 it also takes a CPU profile of one more reload and one more booking
// (DevTools protocol) and prints where the time went. The release build has no function
// names (wasm-opt drops them); for names, point E2E_DIST at a build made with
// `data-keep-debug` and CARGO_PROFILE_WASM_RELEASE_STRIP=none, its wasm optimised again
// with `wasm-opt -Oz -g` (and the preload's integrity hash updated).
//
// The relay, the browser and the helpers both browser benchmarks use are in bench/common.mjs.
//
// The relay is stopped at the end, whatever happens.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  localDate, median, ms, printProfile, profile, PROFILE, quantile, readSnapshots, ROOT, runBench, settle, signIn, stats,
  storeSnapshots,
} from './common.mjs';

const MONTH = process.env.MONTH_10K_BIN ?? path.join(ROOT, 'target', 'release', 'examples', 'month_10k');
const RELOADS = 5;
const BOOKINGS = 10;

/** Writes the month of `day` and its directory (tests/examples/month_10k.rs) into `dir`. */
function makeMonth(dir, day) {
  execFileSync(MONTH, [dir, day], { stdio: ['ignore', 'ignore', 'inherit'] });
  const month = JSON.parse(fs.readFileSync(path.join(dir, 'month.json'), 'utf8'));
  month.snapshots = readSnapshots(dir, [month.directory, month.schedule]);
  return month;
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
    if (document.querySelector('[data-testid=sign-in-person]')) mark('bench:lock-shown');
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
    lockShown: at('bench:lock-shown'),
    signIn: at('bench:sign-in'),
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

/** Fills the booking form as tests/e2e/specs/desk.ts does. */
async function fillBooking(page, booking) {
  const form = page.locator('form[data-testid=booking-form]');
  // The form opens when needed.
  if (!(await form.isVisible())) {
    await page.getByRole('button', { name: 'New booking' }).click();
  }
  await form.locator('input[name=patient_name]').fill(booking.patient);
  const [day, time] = booking.start.split('T');
  await form.getByLabel('Day', { exact: true }).fill(day);
  await form.getByLabel('Start', { exact: true }).fill(time);
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

/** The lines to print and keep, from the runs' times. */
function report(month, loads, bookings) {
  const pick = (f) => loads.map(f);
  const doc = month.schedule.doc;
  const measure = (name) => pick((l) => l.measures[`front-desk:${name} ${doc}`] ?? NaN);
  const lines = [
    `month ${doc}: ${month.schedule.appointments} appointments (${Math.round(month.schedule.bytes / 1024)} KiB snapshot); ` +
      `${month.day}: ${month.day_appointments} appointments, ${month.day_blocks} on the grid; headless Chromium, release build`,
    `open the app on a 10k month, to the sign-in screen: ${stats(pick((l) => l.lockShown))} ` +
      `(after wasm ready: ${median(pick((l) => l.lockShown - l.wasmReady))}) over ${loads.length} reloads`,
    `sign in (touch on "Sign in", PIN check included) → Today's grid of the 10k month shown: ` +
      `${stats(pick((l) => l.shown - l.signIn))} [target 500 ms for load and render]`,
    `  painted (next frame): ${stats(pick((l) => l.painted - l.signIn))}`,
    `  page fetched ${median(pick((l) => l.pageFetched))}, wasm requested ${median(pick((l) => l.wasmRequested))}, ` +
      `fetched (responseEnd) ${median(pick((l) => l.wasmFetched))}, instantiated ${median(pick((l) => l.wasmReady))}` +
      `${loads.every((l) => l.byServiceWorker) ? ' (served by the service worker)' : ''}; ` +
      `driver start ${median(pick((l) => l.driverStart - l.wasmReady))} later`,
    `  driver start → documents open ${median(pick((l) => l.docsLoaded - l.driverStart))} ` +
      `(month: IndexedDB read ${median(measure('idb-read'))}, Automerge load ${median(measure('automerge-load'))}), ` +
      `behind the sign-in screen`,
    `  PIN check ${median(pick((l) => l.measures['front-desk:pin-verified'] ?? NaN))}`,
    `book one appointment into it: on screen ${stats(bookings.map((b) => b.shown))}, stored in IndexedDB ${stats(bookings.map((b) => b.stored))} ` +
      `over ${bookings.length} bookings [target 50 ms]`,
    `  painted (next frame): ${stats(bookings.map((b) => b.painted))}`,
  ];
  return lines;
}

runBench({
  needs: [['the month generator (cargo build --release -p tests --example month_10k)', MONTH]],
  tmpPrefix: 'front-desk-bench-',
  relayLog: 'bench-client-relay.log',
  results: 'bench-client.txt',
  bench: async ({ page, context, tmp }) => {
    const month = makeMonth(path.join(tmp, 'month'), await page.evaluate(localDate));
    await page.evaluate(storeSnapshots, month.snapshots);
    await context.addInitScript(watchLoad, month.day_blocks);

    // The first reload warms the HTTP and service-worker caches and Chromium's wasm code
    // cache, as on a desk that opened the app before; it is not counted.
    const loads = [];
    for (let i = 0; i <= RELOADS; i++) {
      await page.reload({ waitUntil: 'commit' });
      await signIn(page);
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
        await signIn(page);
        await page.evaluate(loadTimes);
      });
      lines.push(...printProfile('CPU profile, one reload', reload));
      await page.evaluate(settle);
      await fillBooking(page, booking(BOOKINGS));
      const booked = await profile(page, () => clickBook(page, booking(BOOKINGS).patient));
      lines.push(...printProfile('CPU profile, one booking', booked));
    }
    return lines;
  },
});
