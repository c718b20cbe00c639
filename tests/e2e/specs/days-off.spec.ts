import { expect, test } from '@playwright/test';

import { Desk, desksPerScenario, nextWeekday, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test('a desk books offline on a day the manager then closes the site: after syncing both see the clash, and keeping it clears it on both', async ({
  browser,
}) => {
  const id = unique();
  const manager = await open(browser, 'Manager tablet');
  const desk = await open(browser, 'Front desk A');
  // A site of this scenario's own, so that its closure changes no other scenario's day.
  const site = `Harbour ${id}`;
  const provider = `Dr Quinn Away ${id}`;
  const patient = `Morgan Closed ${id}`;
  const closure = `Burst pipe ${id}`;
  await manager.addSite(site);
  await manager.chooseSite(site);
  await manager.addProvider(provider);

  const days = nextWeekday();
  await desk.chooseSite(site);
  await desk.page.getByRole('button', { name: 'New booking' }).click();
  await expect(desk.page.locator('select[name=provider]')).toContainText(provider, { timeout: 20_000 });
  await desk.showDay(days);
  await desk.expectAllSaved();
  await desk.context.setOffline(true);
  await expect(desk.status).toHaveText(/^Offline/);
  await desk.book({ patient, days, time: '10:00', minutes: 30, provider });
  await expect(desk.page.getByTestId('booking-day-off')).toBeHidden();

  // Meanwhile the manager closes the site that day, in the calendar.
  await manager.page.locator('[data-testid=nav-settings]').click();
  const card = manager.page.getByTestId('closures-card');
  await card.getByLabel('Holiday or closure').fill(closure);
  await card.getByLabel('Where').selectOption({ label: site });
  const day = (await manager.dayAt(days, '00:00')).slice(0, 10);
  await card.getByLabel('First day').fill(day);
  await card.getByRole('button', { name: 'Add to the calendar' }).click();
  await expect(card.getByTestId('closure-added')).toHaveText(`Added ${closure}.`);
  await expect(card.getByTestId('closure').filter({ hasText: closure })).toContainText(site);

  // The manager's day says so, and so does the form before anyone books.
  await manager.showDay(days);
  const banner = (d: Desk) => d.page.getByRole('list', { name: 'Closed or away on this day' });
  await expect(banner(manager)).toContainText(`${site} is closed: ${closure}`);
  await manager.fillBooking({ patient: `Jordan Warned ${id}`, days, time: '11:00', minutes: 20, provider });
  await expect(manager.page.getByTestId('booking-day-off')).toContainText(
    `${site} is closed then (${closure}`,
  );
  await manager.page.getByTestId('booking-close').click();

  // Back online, the desk learns of the closure: both list the clash.
  await desk.context.setOffline(false);
  const clash = (d: Desk) => d.page.locator('[data-testid=conflict]').filter({ hasText: `${site} is closed` });
  for (const d of [desk, manager]) {
    await d.page.locator('[data-testid=nav-conflicts]').click();
    await expect(clash(d)).toHaveCount(1, { timeout: 20_000 });
    await expect(clash(d)).toContainText(`10:00 ${patient}`);
    await expect(clash(d)).toContainText(closure);
  }
  await desk.showDay(days);
  await expect(banner(desk)).toContainText(`${site} is closed: ${closure}`);
  await expect(desk.appointment(patient)).toBeVisible();

  // The desk keeps the booking (the patient comes to the door anyway); the clash is gone
  // on both, and the reason is in the appointment's history.
  await desk.page.locator('[data-testid=nav-conflicts]').click();
  await clash(desk).getByPlaceholder('Why it stays (optional)').fill('Seen in the car park clinic');
  await clash(desk).getByRole('button', { name: 'Keep it' }).click();
  for (const d of [desk, manager]) {
    await expect(clash(d)).toHaveCount(0, { timeout: 20_000 });
    await d.expectAllSaved();
  }
  await manager.showDay(days);
  await manager.openAppointment(patient);
  await expect(manager.page.locator('[data-testid=history]')).toContainText('Seen in the car park clinic');
});
