import * as fs from 'node:fs';

import { expect, test } from '@playwright/test';

import { PHONE, desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

/** The relay's log lines about snapshots of schedule months, so far. */
function snapshotLines(what: 'snapshot offered' | 'snapshot sent'): string[] {
  const log = process.env.E2E_RELAY_LOG;
  if (!log) throw new Error('E2E_RELAY_LOG unset: run through playwright.config.ts');
  // Colours and fields as tracing writes them; only the message and the document matter.
  const plain = fs.readFileSync(log, 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
  return plain.split('\n').filter((line) => line.includes(what) && line.includes('doc=schedule/'));
}

test("a new tablet catches up a month from the relay's snapshot and the entries after it", async ({ browser }) => {
  const id = unique();
  const provider = `Dr Sol Snapshot ${id}`;
  const phone = await open(browser, `Manager phone snapshots ${id}`, PHONE);
  await phone.addProvider(provider);
  // The relay of this suite asks for a snapshot every 20 entries of a log: a day's bookings
  // here reach that, and the phone, all its edits in the log, sends one, sealed.
  const patients: string[] = [];
  for (let i = 0; i < 22; i++) {
    const minutes = 8 * 60 + 15 * i;
    const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const patient = `Snapshot Patient ${id} ${i}`;
    patients.push(patient);
    await phone.book({ patient, phone: `0170 555 1${String(i).padStart(3, '0')}`, time, minutes: 15, provider });
  }
  await phone.expectAllSaved();
  await expect.poll(() => snapshotLines('snapshot offered').filter((l) => l.includes('stored=true')).length, {
    message: 'the phone sent a snapshot the relay kept',
    timeout: 20_000,
  }).toBeGreaterThan(0);

  const sentBefore = snapshotLines('snapshot sent').length;
  const tablet = await open(browser, `New tablet snapshots ${id}`);
  for (const patient of [patients[0], patients[21]]) {
    await expect(tablet.appointment(patient)).toBeVisible({ timeout: 20_000 });
  }
  // It started from nothing, so the relay sent it the month's snapshot first.
  expect(snapshotLines('snapshot sent').length).toBeGreaterThan(sentBefore);
});
