import { expect, test } from '@playwright/test';

import { Desk, PHONE, desksPerScenario, nextWeekday, noteTyped, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test('two desks offline book one provider at 10:00: both show the clash, and resolving it on one clears it on both', async ({
  browser,
}) => {
  const id = unique();
  const deskA = await open(browser, 'Front desk A');
  const deskB = await open(browser, 'Front desk B');
  const provider = `Dr Harper Clash ${id}`;
  await deskA.addProvider(provider);
  // The booking form opens when needed: its provider list shows what the other device added.
  await deskB.page.getByRole('button', { name: 'New booking' }).click();
  await expect(deskB.page.locator('select[name=provider]')).toContainText(provider);
  const days = nextWeekday();
  for (const desk of [deskA, deskB]) {
    await desk.showDay(days);
    await desk.expectAllSaved();
    await desk.context.setOffline(true);
    await expect(desk.status).toHaveText(/^Offline/);
  }

  // Each desk alone sees no clash.
  const first = `Robin Offline ${id}`;
  const second = `Sasha Offline ${id}`;
  await deskA.book({ patient: first, days, time: '10:00', minutes: 20, provider });
  await deskB.book({ patient: second, days, time: '10:00', minutes: 30, provider });
  const clash = (desk: Desk) =>
    desk.page.locator('[data-testid=conflict]').filter({ hasText: `${provider} is booked twice` });
  for (const desk of [deskA, deskB]) {
    await desk.page.locator('[data-testid=nav-conflicts]').click();
    await expect(clash(desk)).toHaveCount(0);
  }

  // Back online, the merged schedule has both, and both desks show the clash.
  for (const desk of [deskA, deskB]) await desk.context.setOffline(false);
  for (const desk of [deskA, deskB]) {
    await expect(clash(desk)).toHaveCount(1, { timeout: 20_000 });
    await expect(clash(desk)).toContainText(first);
    await expect(clash(desk)).toContainText(second);
    await expect(desk.page.locator('[data-testid=conflict-badge]')).toBeVisible();
  }

  // Desk A keeps both with a note; the clash is gone on both desks.
  await clash(deskA).locator('input[name=clash_note]').fill('Second patient is a quick check');
  await clash(deskA).locator('[data-testid=conflict-keep]').click();
  for (const desk of [deskA, deskB]) {
    await expect(clash(desk)).toHaveCount(0, { timeout: 20_000 });
    await desk.expectAllSaved();
  }
  // The note is in the history of the appointment that keeps the clash (the earlier, or
  // on a tie the one with the smaller id), as desk B sees it.
  await deskB.showDay(days);
  const histories: string[] = [];
  for (const patient of [first, second]) {
    await deskB.openAppointment(patient);
    histories.push((await deskB.page.locator('[data-testid=history]').textContent()) ?? '');
  }
  expect(histories.join('\n')).toContain('Second patient is a quick check');
});

test('the front-desk flow: a check-in, a room and a check-out on desk A appear live on desk B', async ({ browser }) => {
  const id = unique();
  const deskA = await open(browser, 'Front desk A');
  const deskB = await open(browser, 'Front desk B');
  const provider = `Dr Indigo Flow ${id}`;
  const patient = `Parker Flow ${id}`;
  await deskA.addProvider(provider);
  await deskA.page.locator('[data-testid=nav-settings]').click();
  await deskA.page.locator('[data-testid=room-name]').fill(`Room ${id}`);
  await deskA.page.locator('[data-testid=add-room]').click();
  const days = nextWeekday();
  await deskA.showDay(days);
  await deskB.showDay(days);
  await deskA.book({ patient, days, time: '09:30', minutes: 20, provider });
  const onB = deskB.appointment(patient);
  await expect(onB).toHaveAttribute('data-status', 'booked', { timeout: 10_000 });

  // The day in view is not today, so each step is asked about first.
  await deskA.appointment(patient).locator('[data-testid=check-in]').click();
  await deskA.answer('Check in anyway');
  await expect(onB).toHaveAttribute('data-status', 'arrived', { timeout: 5_000 });
  await expect(onB.locator('[data-testid=waiting]')).toBeVisible();

  await deskA.appointment(patient).locator('[data-testid=to-room]').selectOption({ label: `Room ${id}` });
  await deskA.answer('Send to the room anyway');
  await expect(onB).toHaveAttribute('data-status', 'in-room', { timeout: 5_000 });

  // A check-out taken back: desk B sees the patient in the room again; then out for good.
  await deskA.appointment(patient).locator('[data-testid=check-out]').click();
  await deskA.answer('Check out anyway');
  await expect(deskA.appointment(patient)).toHaveAttribute('data-status', 'fulfilled');
  await expect(deskA.page.getByRole('status').filter({ hasText: `Checked out ${patient}.` })).toBeVisible();
  await deskA.page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(deskA.page.getByRole('status').filter({ hasText: `Undone: ${patient} is in the room again.` })).toBeVisible();
  await expect(onB).toHaveAttribute('data-status', 'in-room', { timeout: 5_000 });
  await deskA.appointment(patient).locator('[data-testid=check-out]').click();
  await deskA.answer('Check out anyway');
  await expect(onB).toHaveAttribute('data-status', 'fulfilled', { timeout: 5_000 });

  // Desk B's detail shows the whole history, in room and the undone check-out included.
  await deskB.openAppointment(patient);
  const history = deskB.page.locator('[data-testid=history] li');
  await expect(history).toHaveCount(6);
  await expect(deskB.page.locator('[data-testid=history]')).toContainText('Undone: checked out');
  await expect(deskB.page.locator('[data-testid=history]')).toContainText(`Room ${id}`);
  await expect(deskB.page.locator('[data-testid=history]')).toContainText('Front desk A');
});

test("the manager's phone shows today across every site and switches site in one tap", async ({ browser }) => {
  const id = unique();
  const phone = await open(browser, 'Manager phone', PHONE);
  const page = phone.page;
  const site = `Riverside ${id}`;
  await page.locator('[data-testid=nav-settings]').click();
  await page.locator('[data-testid=site-name]').fill(site);
  await page.locator('[data-testid=add-site]').click();

  await page.locator('[data-testid=nav-sites]').click();
  const cards = page.locator('[data-testid=site-card]');
  await expect(cards.filter({ hasText: site })).toHaveCount(1);
  expect(await cards.count()).toBeGreaterThanOrEqual(2);
  for (const figure of ['site-booked', 'site-arrived', 'site-waiting-long', 'site-no-show', 'site-conflicts']) {
    await expect(cards.filter({ hasText: site }).locator(`[data-testid=${figure}]`)).toHaveText('0');
  }
  // Nothing runs off the side of a 390 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await cards.filter({ hasText: site }).locator('button').click();
  await expect(page.locator('[data-testid=day-title]')).toContainText('Today');
  await expect(page.locator('[data-testid=site-picker] option:checked')).toHaveText(site);
});

test('the demo clinic fills an empty organisation: two sites, every status, a clash to resolve', async ({ browser }) => {
  const token = process.env.E2E_DEMO_TOKEN;
  if (!token) throw new Error('E2E_DEMO_TOKEN unset: run through playwright.config.ts');
  const desk = await open(browser, 'Demo desk', {}, token);
  const page = desk.page;
  await page.locator('[data-testid=nav-settings]').click();
  await page.locator('[data-testid=demo-clinic]').click();
  await expect(page.locator('[data-testid=demo-clinic]')).toBeDisabled();

  await page.locator('[data-testid=nav-sites]').click();
  await expect(page.locator('[data-testid=site-card]')).toHaveCount(2);
  // The demo fills the week around today; on a weekend, the Friday before is a busy day.
  const weekend = [0, 6].includes(new Date().getDay());
  await desk.showDay(weekend ? -(new Date().getDay() === 0 ? 2 : 1) : 0);
  await expect(page.locator('[data-testid=provider-column]').first()).toBeVisible();
  await expect(page.locator('[data-testid=day-grid] [data-testid=appointment]').first()).toBeVisible();
  await expect(page.locator('[data-testid=conflict-badge]')).toBeVisible();
  await desk.expectAllSaved();
});

test('a cancelled slot is offered to the waitlist and booked in one touch', async ({ browser }) => {
  const id = unique();
  const desk = await open(browser, 'Front desk W');
  const page = desk.page;
  const provider = `Dr Wren Waitlist ${id}`;
  const leaving = `Morgan Leaving ${id}`;
  const waiting = `Quinn Waiting ${id}`;
  await desk.addProvider(provider);
  const days = nextWeekday();
  await desk.showDay(days);
  await desk.book({ patient: leaving, days, time: '14:00', minutes: 30, provider });

  // Someone wants an earlier slot with this provider.
  await page.locator('[data-testid=nav-waitlist]').click();
  const form = page.locator('[data-testid=waitlist-form]');
  await form.locator('input[name=patient_name]').fill(waiting);
  await form.locator('input[name=phone]').fill('555 0123');
  await form.locator('select[name=provider]').selectOption({ label: provider });
  await form.locator('input[name=duration_minutes]').fill('20');
  await page.locator('[data-testid=add-waitlist]').click();
  const entry = page.locator('[data-testid=waitlist-entry]').filter({ hasText: waiting });
  await expect(entry).toBeVisible();

  // The 14:00 patient cancels: the freed slot offers the waiting patient.
  await desk.showDay(days);
  await desk.openAppointment(leaving);
  await page.locator('input[name=cancel_reason]').fill('Moving away');
  await page.locator('[data-testid=cancel]').click();
  const offers = page.locator('[data-testid=offers]');
  await expect(offers).toContainText(waiting);
  await offers.locator('[data-testid=offer-book]').click();
  await expect(offers).toHaveCount(0);
  await expect(desk.appointment(waiting)).toContainText('14:00');

  // Booked by mistake: "Undo" frees the slot and puts the patient back on the waitlist,
  // so the slot is offered again; then booked for good.
  await expect(page.getByRole('status').filter({ hasText: `${waiting} booked for` })).toBeVisible();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Undone: ${waiting} is back on the waitlist.` })).toBeVisible();
  await expect(desk.appointment(waiting)).toHaveCount(0);
  await expect(offers).toContainText(waiting);
  await offers.locator('[data-testid=offer-book]').click();
  await expect(offers).toHaveCount(0);
  await expect(desk.appointment(waiting)).toContainText('14:00');
  await desk.expectAllSaved();

  await page.locator('[data-testid=nav-waitlist]').click();
  await expect(entry).toHaveCount(0);
});

test('a touch on an empty slot opens the booking form on that provider and time, and books there', async ({ browser }) => {
  const id = unique();
  const desk = await open(browser, 'Front desk S', { viewport: { width: 1024, height: 768 }, hasTouch: true });
  const page = desk.page;
  const provider = `Dr Sol Slot ${id}`;
  const patient = `Tess Tapped ${id}`;
  await desk.addProvider(provider);
  const days = nextWeekday();
  await desk.showDay(days);
  const form = page.locator('form[data-testid=booking-form]');
  await expect(form).toBeHidden();

  // An hour and a half into the day, in the provider's own column.
  const column = page.locator(`[data-testid=provider-column][data-provider="${provider}"]`);
  await column.scrollIntoViewIfNeeded();
  const tapped = Date.now();
  await column.click({ position: { x: 40, y: 90 * 5 + 2 } });
  await expect(form.locator('select[name=provider]')).toHaveValue(/.+/);
  const shown = Date.now() - tapped;
  const note = page.getByTestId('booking-note');
  await expect(note).toContainText(provider);
  await expect(note).toContainText(':30');
  // 90 minutes below the grid's first hour.
  const first = (await page.locator('[data-testid=day-grid] .hour').first().innerText()).trim();
  const hour = String(Number(first.slice(0, 2)) + 1).padStart(2, '0');
  await expect(form.getByLabel('Day', { exact: true })).toHaveValue((await desk.dayAt(days, '00:00')).slice(0, 10));
  const start = await form.getByLabel('Start', { exact: true }).inputValue();
  expect(start).toBe(`${hour}:30`);
  await expect(form.locator('input[name=patient_name]')).toBeFocused();

  noteTyped(patient);
  await form.locator('input[name=patient_name]').pressSequentially(patient);
  const booking = Date.now();
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(desk.appointment(patient)).toContainText(start);
  const booked = Date.now() - booking;
  await expect(column).toContainText(patient);
  console.log(`slot figures: tap to the form filled in ${shown} ms; Book to the block on the grid ${booked} ms`);
  await page.getByTestId('booking-close').click();
  await expect(form).toBeHidden();
});
