import { expect, test } from '@playwright/test';
import fs from 'node:fs';

import { Desk, PHONE, desksPerScenario, nextWeekday, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test("the manager's phone works the confirmation calls offline; the desk sees every outcome once it reconnects", async ({
  browser,
}) => {
  const id = unique();
  const desk = await open(browser, 'Front desk A');
  const phone = await open(browser, 'Manager phone', PHONE);
  // A site of this scenario's own, so that its call list holds only this scenario's patients.
  const site = `Calls ${id}`;
  const provider = `Dr Rowan Calls ${id}`;
  const reached = `Casey Reached ${id}`;
  const missed = `Drew Missed ${id}`;
  await desk.addSite(site);
  await desk.chooseSite(site);
  await desk.addProvider(provider);
  // The call day of a site open on weekdays is the next weekday.
  const days = nextWeekday();
  await desk.book({ patient: reached, phone: '555 0101', days, time: '09:00', minutes: 20, provider });
  await desk.book({ patient: missed, phone: '555 0102', days, time: '09:30', minutes: 20, provider });
  await desk.expectAllSaved();

  const row = (d: Desk, patient: string) =>
    d.page.getByTestId('call').filter({ hasText: patient });
  const rate = (d: Desk) => d.page.getByTestId('calls-rate');
  await phone.chooseSite(site);
  await phone.page.getByTestId('nav-calls').click();
  await expect(row(phone, reached)).toBeVisible({ timeout: 20_000 });
  await expect(row(phone, missed)).toBeVisible();
  await expect(rate(phone)).toHaveText('Confirmed 0 of 2 (0%)');
  await phone.expectAllSaved();

  // Offline, one touch each: Casey confirms, Drew does not answer.
  await phone.context.setOffline(true);
  await expect(phone.status).toHaveText(/^Offline/);
  await row(phone, reached).getByRole('button', { name: 'Confirmed' }).click();
  await row(phone, missed).getByRole('button', { name: 'No answer' }).click();
  await expect(rate(phone)).toHaveText('Confirmed 1 of 2 (50%)');
  await expect(row(phone, missed)).toContainText('1 try, last: no answer');
  await phone.expectWaiting(2);

  // The desk does not know yet.
  await desk.page.getByTestId('nav-calls').click();
  await expect(rate(desk)).toHaveText('Confirmed 0 of 2 (0%)');

  // Back online, the desk sees both outcomes: the list, the rate and the appointment.
  await phone.context.setOffline(false);
  await expect(rate(desk)).toHaveText('Confirmed 1 of 2 (50%)', { timeout: 20_000 });
  await expect(row(desk, reached)).toHaveCount(0);
  await expect(row(desk, missed)).toContainText('1 try, last: no answer');
  await phone.expectAllSaved();

  // The texts to send, as a file for an SMS service: those still to confirm, each with
  // the site's reminder; nothing is sent from the app.
  const [download] = await Promise.all([
    desk.page.waitForEvent('download'),
    desk.page.getByRole('button', { name: 'Texts to send (file for an SMS service)' }).click(),
  ]);
  const texts = fs.readFileSync(await download.path(), 'utf8');
  expect(texts.split('\r\n')[0]).toBe('patient,phone,message');
  expect(texts).toContain(`${missed},5550102,"Hello Drew, this is ${site} reminding you of your appointment with ${provider} on `);
  expect(texts).not.toContain(reached);

  await desk.showDay(days);
  await desk.openAppointment(reached);
  await expect(desk.page.getByTestId('history')).toContainText('Confirmation call: confirmed');
  await expect(desk.page.getByTestId('history')).toContainText('Manager phone');
});
