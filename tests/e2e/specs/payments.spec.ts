import { expect, test } from '@playwright/test';

import { desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test("a co-pay taken offline at one desk appears in the other desk's end-of-day figures", async ({ browser }) => {
  const id = unique();
  const deskA = await open(browser, 'Front desk A');
  const deskB = await open(browser, 'Front desk B');
  // A site of this scenario's own, so that its takings hold only this scenario's money.
  const site = `Takings ${id}`;
  const provider = `Dr Sky Copay ${id}`;
  const visit = `Visit ${id}`;
  const patient = `Jamie Payer ${id}`;
  await deskA.addSite(site);
  await deskA.chooseSite(site);
  await deskA.addProvider(provider);
  await deskA.page.getByTestId('nav-settings').click();
  const types = deskA.page.getByTestId('types-card');
  await types.getByTestId('type-name').fill(visit);
  await types.getByTestId('type-duration').fill('20');
  await types.getByLabel('Co-pay at the desk (optional)').fill('30');
  await types.getByTestId('add-type').click();
  await expect(types.getByTestId('type').filter({ hasText: visit })).toBeVisible();

  await deskA.page.getByTestId('nav-today').click();
  await deskA.fillBooking({ patient, days: 1, time: '09:00', minutes: 20, provider });
  await deskA.page.locator('select[name=type_id]').selectOption({ label: `${visit} (20 min)` });
  await deskA.page.getByTestId('book').click();
  await expect(deskA.appointment(patient)).toBeVisible();
  await deskA.expectAllSaved();

  await deskB.chooseSite(site);
  await deskB.page.getByTestId('nav-takings').click();
  await expect(deskB.page.getByTestId('takings-collected')).toHaveText('0.00');

  // Offline, desk A takes the co-pay in cash.
  await deskA.context.setOffline(true);
  await expect(deskA.status).toHaveText(/^Offline/);
  await deskA.openAppointment(patient);
  const panel = deskA.page.getByTestId('payments');
  await expect(panel.getByTestId('copay-due')).toHaveText('Co-pay 30.00: 30.00 due.');
  await expect(panel.getByLabel('Amount')).toHaveValue('30.00');
  await panel.getByLabel('Method').selectOption({ label: 'Cash' });
  await panel.getByRole('button', { name: 'Take payment' }).click();
  await expect(panel.getByTestId('copay-due')).toHaveText('Co-pay 30.00: paid.');
  await expect(panel.getByTestId('payment')).toContainText('Paid 30.00 by cash · receipt R');
  // The payment, and the opening of the patient's record, which the audit keeps.
  await deskA.expectWaiting(2);

  // Back online: desk B's end of day shows it in desk A's drawer.
  await deskA.context.setOffline(false);
  await expect(deskB.page.getByTestId('takings-collected')).toHaveText('30.00', { timeout: 20_000 });
  const row = deskB.page.getByTestId('takings-desk').filter({ hasText: 'Front desk A' });
  await expect(row.getByRole('cell')).toHaveText(['30.00', '0.00', '0.00', '0.00', '30.00', 'Open']);
  await expect(deskB.page.getByTestId('takings-payments')).toContainText(`${patient} · 30.00 cash`);
  await deskA.expectAllSaved();
});
