import { expect, test } from '@playwright/test';

import { PHONE, desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test('two desks offline register one patient and book them; after syncing both see the pair, one merges, both show one patient with both appointments', async ({
  browser,
}) => {
  const id = unique();
  const deskA = await open(browser, 'Front desk A');
  const deskB = await open(browser, 'Front desk B', PHONE);
  const provider = `Dr Jamie Fixture ${id}`;
  const patient = `Jamie Rivera ${id}`;
  // A number of this scenario's own: the same number on two records is what pairs them.
  const phone = `555 ${[...id].map((c) => c.charCodeAt(0) % 10).join('')}`;

  await deskA.addProvider(provider);
  await deskA.expectAllSaved();
  await deskB.page.getByRole('button', { name: 'New booking' }).click();
  await expect(deskB.page.locator('select[name=provider]')).toContainText(provider, { timeout: 20_000 });

  for (const desk of [deskA, deskB]) {
    await desk.context.setOffline(true);
    await expect(desk.status).toHaveText(/^Offline/);
  }
  await deskA.book({ patient, phone, time: '10:00', minutes: 20, provider });
  await deskB.book({ patient, phone, time: '11:00', minutes: 20, provider });
  // Each booking, and the new patient it registers.
  await deskA.expectWaiting(2);
  await deskB.expectWaiting(2);

  for (const desk of [deskA, deskB]) await desk.context.setOffline(false);
  for (const desk of [deskA, deskB]) {
    await expect(desk.appointment(patient)).toHaveCount(2, { timeout: 20_000 });
    await desk.expectAllSaved();
    await desk.page.getByTestId('nav-patients').click();
  }
  const pair = (desk: typeof deskA) =>
    desk.page.getByRole('region', { name: 'Possible duplicates' }).getByRole('listitem', { name: `${patient} and ${patient}` });
  for (const desk of [deskA, deskB]) {
    await expect(pair(desk)).toBeVisible({ timeout: 20_000 });
    await expect(pair(desk)).toContainText('Same phone number');
  }

  // Desk A keeps the first record; it asks before merging.
  await pair(deskA).getByRole('button', { name: 'Keep the first record' }).click();
  await deskA.answer('Merge');
  await expect(deskA.page.getByRole('status').filter({ hasText: `Merged: one record for ${patient}.` })).toBeVisible();
  for (const desk of [deskA, deskB]) {
    await expect(pair(desk)).toHaveCount(0, { timeout: 20_000 });
    await desk.page.getByLabel('Find a patient').fill(patient);
    const found = desk.page.getByRole('list', { name: 'Patients found' }).getByRole('button');
    await expect(found).toHaveCount(1);
    await found.click();
    const visits = desk.page.getByRole('list', { name: 'Appointments' }).getByRole('listitem');
    await expect(visits).toHaveCount(2, { timeout: 20_000 });
    await expect(visits.nth(0)).toContainText('10:00');
    await expect(visits.nth(1)).toContainText('11:00');
  }
});
