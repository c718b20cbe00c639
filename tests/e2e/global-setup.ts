import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { BASE_URL, PORT } from './playwright.config';

const ROOT = path.resolve(__dirname, '..', '..');
const RELAY = process.env.SYNC_SERVER_BIN ?? path.join(ROOT, 'target', 'debug', 'sync-server');
const DIST = process.env.E2E_DIST ?? path.join(ROOT, 'dist');
const RESULTS = path.join(__dirname, 'test-results');
/** Where the scenarios note every patient name and phone number they type. */
const BOOKED = path.join(RESULTS, 'booked-patients.txt');

/**
 * Starts the relay with a fresh data directory and one access token for the organisation
 * "e2e". The tests read the address and the token from E2E_BASE_URL and E2E_TOKEN, and
 * the organisation's keys (as a manager's device puts them in a device's link; the relay
 * never sees them) from E2E_KEY. Returns the teardown, which stops the relay, scans what
 * it stored for every patient the scenarios booked (none may be found), and deletes it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const [what, file] of [
    ['the relay (cargo build -p sync-server)', RELAY],
    ['the client build (trunk build --release)', path.join(DIST, 'index.html')],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`missing ${what}: ${file}`);
  }
  if (await healthy()) {
    throw new Error(`something already answers on ${BASE_URL}; stop it or set E2E_PORT`);
  }

  fs.mkdirSync(RESULTS, { recursive: true });
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'front-desk-e2e-'));

  // The scenarios share organisation "e2e"; the demo clinic needs one of its own, empty.
  // The scenarios' devices are managers' devices: they may list and revoke tokens.
  const token = createToken(data, 'e2e', ['--manage']);
  const demoToken = createToken(data, 'demo');
  // The demo clinic again, for the look of every page (hand.spec.ts): pages are measured
  // on a full organisation without touching the demo scenario's.
  const lookToken = createToken(data, 'look');
  // The demo clinic with its past year, read by a manager's phone at a fixed date
  // (reports.spec.ts).
  const yearToken = createToken(data, 'year');
  // A tablet of "e2e" enrolled for the main site only.
  const mainToken = createToken(data, 'e2e', ['--sites', 'main']);
  // A tablet of "e2e" whose token a scenario revokes.
  const revoked = createTokenWithId(data, 'e2e', 'e2e revoked');
  // A tablet of "e2e" that a manager's phone revokes from its Settings.
  const lost = createTokenWithId(data, 'e2e', 'Lost tablet');
  // A tablet of "e2e" that a manager's phone enrols: it opens the phone's link and waits
  // for the phone to approve it.
  const enrolled = createTokenWithId(data, 'e2e', 'Enrolled tablet');

  const log = fs.openSync(path.join(RESULTS, 'relay.log'), 'w');
  const relay = spawn(
    RELAY,
    // A snapshot every 20 entries, rather than 500, so that the scenarios' documents are
    // snapshotted and compacted as a practice's are over weeks.
    ['serve', '--addr', `127.0.0.1:${PORT}`, '--data', data, '--dist', DIST, '--snapshot-every', '20'],
    { stdio: ['ignore', log, log], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info' } },
  );
  let exited: string | null = null;
  relay.on('exit', (code, signal) => {
    exited = `relay exited (code ${code}, signal ${signal}); see test-results/relay.log`;
  });

  const deadline = Date.now() + 30_000;
  while (!(await healthy())) {
    if (exited) throw new Error(exited);
    if (Date.now() > deadline) {
      relay.kill('SIGKILL');
      throw new Error(`the relay did not answer ${BASE_URL}/healthz within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  process.env.E2E_BASE_URL = BASE_URL;
  process.env.E2E_TOKEN = token;
  process.env.E2E_DEMO_TOKEN = demoToken;
  process.env.E2E_LOOK_TOKEN = lookToken;
  process.env.E2E_YEAR_TOKEN = yearToken;
  process.env.E2E_MAIN_TOKEN = mainToken;
  process.env.E2E_REVOKED_TOKEN = revoked.token;
  process.env.E2E_REVOKED_TOKEN_ID = revoked.id;
  process.env.E2E_LOST_TOKEN = lost.token;
  process.env.E2E_ENROLLED_TOKEN = enrolled.token;
  process.env.E2E_RELAY_BIN = RELAY;
  process.env.E2E_RELAY_DATA = data;
  process.env.E2E_RELAY_LOG = path.join(RESULTS, 'relay.log');
  process.env.E2E_KEY = newKeys();
  process.env.E2E_DEMO_KEY = newKeys();
  process.env.E2E_LOOK_KEY = newKeys();
  process.env.E2E_YEAR_KEY = newKeys();
  fs.rmSync(BOOKED, { force: true });
  process.env.E2E_BOOKED = BOOKED;

  return async () => {
    if (!exited) {
      relay.kill('SIGTERM');
      const stopped = await Promise.race([
        new Promise<boolean>((resolve) => relay.once('exit', () => resolve(true))),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
      ]);
      if (!stopped) relay.kill('SIGKILL');
    }
    fs.closeSync(log);
    try {
      scanRelay(data);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  };
}

/** An organisation's first keys, written as the app writes them (`fdk1.{id}.{epoch}-{key}`). */
function newKeys(): string {
  return `fdk1.${randomBytes(16).toString('hex')}.1-${randomBytes(32).toString('hex')}`;
}

/**
 * Every file the relay stored (the database and its write-ahead log), searched for each
 * patient name and phone number the scenarios typed ({@link BOOKED}): the relay must hold
 * none of them.
 */
function scanRelay(data: string) {
  const needles = fs.existsSync(BOOKED)
    ? [...new Set(fs.readFileSync(BOOKED, 'utf8').split('\n').filter((l) => l.trim().length >= 5))]
    : [];
  if (needles.length === 0) {
    // A run of scenarios that book nobody (one spec file alone) has nothing to look for.
    console.log('relay scan: no patient was booked, nothing to look for');
    return;
  }
  let bytes = 0;
  const hits: string[] = [];
  for (const file of fs.readdirSync(data)) {
    const content = fs.readFileSync(path.join(data, file));
    bytes += content.length;
    for (const needle of needles) if (content.includes(Buffer.from(needle, 'utf8'))) hits.push(`${needle} in ${file}`);
  }
  const summary = `relay scan: ${needles.length} patient names and phone numbers searched in ${bytes} bytes, ${hits.length} found`;
  fs.writeFileSync(path.join(RESULTS, 'relay-scan.txt'), `${summary}\n${hits.join('\n')}\n`);
  console.log(summary);
  if (hits.length > 0) throw new Error(`${summary}: the relay stored patient data it can read (test-results/relay-scan.txt)`);
}

/** A new access token for `org`, created with the relay's own command line. */
function createToken(data: string, org: string, more: string[] = []): string {
  const created = execFileSync(RELAY, ['token', 'create', '--org', org, '--label', org, '--data', data, ...more], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The secret is printed alone on its line; anything else is prose.
  const token = created
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z0-9_~.+/=-]{20,}$/.test(line))
    .pop();
  if (!token) throw new Error(`no token in the output of \`sync-server token create\`:\n${created}`);
  return token;
}

/** A new access token for `org` and its public id (which `token revoke` takes). */
function createTokenWithId(data: string, org: string, label: string): { token: string; id: string } {
  const created = spawnSync(RELAY, ['token', 'create', '--org', org, '--label', label, '--data', data], {
    encoding: 'utf8',
  });
  const token = created.stdout.trim().split('\n').pop()?.trim();
  const id = /token id ([0-9a-f]+)/.exec(created.stderr)?.[1];
  if (created.status !== 0 || !token || !id) throw new Error(`\`sync-server token create\` failed:\n${created.stderr}`);
  return { token, id };
}

async function healthy(): Promise<boolean> {
  try {
    const response = await fetch(`${BASE_URL}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
