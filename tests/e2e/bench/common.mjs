// What the browser benchmarks (bench/month-10k.mjs, bench/stock-2k.mjs) share: `runBench`,
// which runs one of them from start to end on the release client (`dist/`) served by the
// release relay (a free port, a fresh data directory, a first-run organisation, the device
// set up in headless Chromium; the relay stopped at the end, whatever happens, and never
// outliving this process), and the helpers they both use: the browser's date, snapshots
// written straight into the app's IndexedDB records, waiting for a quiet desk, medians and
// p90s, and the DevTools CPU profile.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..', '..');
const RELAY = process.env.SYNC_SERVER_BIN ?? path.join(ROOT, 'target', 'release', 'sync-server');
const DIST = process.env.E2E_DIST ?? path.join(ROOT, 'dist');
const RESULTS = path.join(HERE, '..', 'test-results');
export const PROFILE = process.env.BENCH_PROFILE === '1';

const relays = new Set();
// Whatever ends this process (an error, Ctrl-C), the relay does not outlive it.
process.on('exit', () => relays.forEach((relay) => relay.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/**
 * Starts the relay on a free port, its output to `log` (test-results/`logName`); resolves
 * with the process and the link it prints.
 */
function startRelay(data, log, logName) {
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
      reject(new Error(`the relay exited (code ${code}, signal ${signal}); see test-results/${logName}`));
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

/** The owner the benchmarks' organisation starts with, and signs in as after each reload. */
export const OWNER = { name: 'Bench Owner', pin: '482916' };

/**
 * Names the device, as a person does on a new tablet (the token comes from the link), then
 * sets the new organisation up with its first owner, who is signed in.
 */
async function setUp(page, link) {
  await page.goto(link);
  const deviceName = page.locator('input[name=device_name]');
  await deviceName.waitFor();
  await deviceName.fill('Bench desk');
  await page.locator('[data-testid=setup-submit]').click();
  await page.locator('[data-testid=first-owner]').waitFor();
  await page.getByLabel('Your name').fill(OWNER.name);
  await page.getByLabel('Choose a PIN').fill(OWNER.pin);
  await page.getByLabel('The same PIN again').fill(OWNER.pin);
  await page.getByRole('button', { name: 'Start as owner' }).click();
  await page.locator('[data-testid=nav-today]').waitFor();
}

/**
 * After a reload, the app opens locked: the owner signs in, one touch on the name and the
 * PIN. Marks `bench:sign-in` on the page's timeline at the touch on "Sign in".
 */
export async function signIn(page) {
  await page.getByRole('button', { name: OWNER.name, exact: true }).click();
  await page.getByLabel('PIN', { exact: true }).fill(OWNER.pin);
  const submit = page.getByRole('button', { name: 'Sign in' });
  await submit.evaluate((button) =>
    button.addEventListener('click', () => performance.mark('bench:sign-in'), { capture: true, once: true }),
  );
  await submit.click();
}

/**
 * Runs one benchmark and exits with 1 if it fails. First checks that the release relay,
 * `needs` (more `[what, file]` pairs: the data generator) and the client build are there;
 * then starts the relay with a fresh data directory in a new temporary directory named
 * `tmpPrefix`…, its output in test-results/`relayLog`, and headless Chromium, and sets the
 * device up. `bench({ page, context, tmp })` does the rest and returns the lines to keep;
 * with any page errors added, they are printed and written to test-results/`results`. The
 * browser, the relay and the temporary directory go at the end, whatever happens.
 */
export function runBench({ needs, tmpPrefix, relayLog, results, bench }) {
  run({ needs, tmpPrefix, relayLog, results, bench }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

async function run({ needs, tmpPrefix, relayLog, results, bench }) {
  for (const [what, file] of [
    ['the release relay (cargo build --release -p sync-server)', RELAY],
    ...needs,
    ['the client build (make client)', path.join(DIST, 'index.html')],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`missing ${what}: ${file}`);
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const log = fs.openSync(path.join(RESULTS, relayLog), 'w');
  let relay;
  let browser;
  try {
    const started = await startRelay(path.join(tmp, 'data'), log, relayLog);
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
    const lines = await bench({ page, context, tmp });
    if (errors.length > 0) lines.push(`page errors: ${errors.join('; ')}`);
    const text = lines.join('\n') + '\n';
    process.stdout.write(text);
    fs.writeFileSync(path.join(RESULTS, results), text);
  } finally {
    await browser?.close();
    if (relay) await stopRelay(relay);
    fs.closeSync(log);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The browser's own date (YYYY-MM-DD): the day the app opens on, today. */
export function localDate() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The snapshots `{ doc, file }` a generator wrote into `dir`, as `storeSnapshots` takes them. */
export function readSnapshots(dir, docs) {
  return docs.map(({ doc, file }) => ({
    doc,
    base64: fs.readFileSync(path.join(dir, file)).toString('base64'),
  }));
}

/**
 * Puts the snapshots into the app's IndexedDB records (app/src/platform/idb.rs: store
 * `snapshots`, key = document id, value = the Automerge bytes), in one transaction (in the
 * page).
 */
export async function storeSnapshots(snapshots) {
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
 * (50 ms or more of main-thread work) for half a second. Whatever the last step started in
 * the background (start-up, a document's sync with the relay, the next month read for the
 * conflicts badge) must not run into the next measurement: a reload's new document waits
 * for the old one's task to end, and a booking or a click for the previous one's.
 */
export async function settle() {
  const saved = () => /all saved/.test(document.querySelector('[data-testid=sync-status]')?.textContent ?? '');
  let last = performance.now();
  const tasks = new PerformanceObserver((list) => {
    for (const task of list.getEntries()) last = Math.max(last, task.startTime + task.duration);
  });
  tasks.observe({ type: 'longtask' });
  while (!saved() || performance.now() - last < 500) await new Promise((resolve) => setTimeout(resolve, 100));
  tasks.disconnect();
}

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low] + (sorted[Math.ceil(rank)] - sorted[low]) * (rank - low);
}

export const ms = (value) => `${Math.round(value)} ms`;
export const stats = (values) => `median ${ms(quantile(values, 0.5))}, p90 ${ms(quantile(values, 0.9))}`;
export const median = (values) => ms(quantile(values, 0.5));

/**
 * Runs `action` under the DevTools CPU profiler; returns the time per function, self and
 * total (with what it calls; a function on the stack twice counts once), top first.
 */
export async function profile(page, action) {
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

/** The lines of a profile: `top` functions by self time, twice as many by total time. */
export function printProfile(title, { self, total }, top = 25) {
  const sampled = self.reduce((sum, [, t]) => sum + t, 0);
  const lines = [`${title}: ${ms(sampled)} sampled; self time:`];
  for (const [name, t] of self.slice(0, top)) lines.push(`  ${ms(t).padStart(7)}  ${name}`);
  lines.push('  total time (with callees):');
  for (const [name, t] of total.slice(0, top * 2)) lines.push(`  ${ms(t).padStart(7)}  ${name}`);
  return lines;
}
