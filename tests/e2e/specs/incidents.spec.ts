import { expect, test } from '@playwright/test';

import { PHONE, desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test("the manager's phone, offline, logs a complaint and its follow-up card; a desk sees the card once the phone reconnects", async ({
  browser,
}) => {
  const id = unique();
  const desk = await open(browser, 'Front desk A');
  const phone = await open(browser, 'Manager phone', PHONE);
  // A site of this scenario's own, so that its log and board hold only this scenario's.
  const site = `Incidents ${id}`;
  const what = `Waited an hour without a word ${id}`;
  await desk.addSite(site);
  await desk.chooseSite(site);
  await phone.chooseSite(site);
  await phone.page.getByTestId('nav-incidents').click();
  await expect(phone.page.getByTestId('incidents-overdue')).toHaveText('No response is overdue.');
  await phone.expectAllSaved();

  await phone.context.setOffline(true);
  await expect(phone.status).toHaveText(/^Offline/);
  const form = phone.page.locator('details.new-report');
  await form.locator('summary').click();
  // Bad input first: nothing is logged, and the sentence is at its field.
  await form.getByRole('button', { name: 'Log it' }).click();
  await expect(form.getByTestId('error-incident-kind')).toHaveText('Choose what the report is about.');
  await expect(form.getByTestId('error-incident-summary')).toHaveText('Say what happened.');
  await form.getByLabel('What it is').selectOption({ label: 'Patient complaint' });
  await form.getByLabel('What happened').fill(what);
  await form.getByLabel('Category (optional)').fill('Waiting time');
  await form.getByRole('button', { name: 'Log it' }).click();
  const report = phone.page.getByTestId('incident').filter({ hasText: what });
  await expect(report).toContainText('Patient complaint · Moderate');
  await expect(report.getByTestId('incident-stage')).toHaveText('Open');
  await expect(report.getByTestId('incident-due')).toContainText('respond by');
  await report.getByRole('button', { name: 'Follow-up card' }).click();
  // The card opens on the phone's board, linked back to the report.
  const title = `Follow up: ${what}`;
  await expect(phone.page.locator('[data-testid=card-title]').filter({ hasText: title }).first()).toBeVisible();
  await phone.expectWaiting(2);

  // Back online, the desk sees the card on the site's board.
  await phone.context.setOffline(false);
  await desk.page.getByTestId('nav-tasks').click();
  const card = desk.page
    .locator('[data-testid=board] [data-testid=task-card]')
    .filter({ has: desk.page.locator('[data-testid=card-title]', { hasText: title }) });
  await expect(card).toHaveCount(1, { timeout: 20_000 });
  await phone.expectAllSaved();
  // And the report on the desk's log, for a manager there to answer.
  await desk.page.getByTestId('nav-incidents').click();
  const onDesk = desk.page.getByTestId('incident').filter({ hasText: what });
  await expect(onDesk).toBeVisible();
  await onDesk.getByLabel('Response and outcome').fill('Called back and apologised');
  await onDesk.getByRole('button', { name: 'Closed' }).click();
  await expect(onDesk.getByTestId('incident-stage')).toHaveText('Closed');
  await phone.page.getByTestId('nav-incidents').click();
  const onPhone = phone.page.getByTestId('incident').filter({ hasText: what });
  await expect(onPhone.getByTestId('incident-stage')).toHaveText('Closed', { timeout: 20_000 });
  await expect(onPhone.getByLabel('Response and outcome')).toHaveValue('Called back and apologised');
});
