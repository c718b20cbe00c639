import { expect, test } from '@playwright/test';

import { PHONE, desksPerScenario, relay, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test("a new tablet set up with the link the manager's phone makes reads the schedule; one opened without the keys reads nothing", async ({
  browser,
}) => {
  const id = unique();
  const patient = `Morgan Linkfield ${id}`;
  const provider = `Dr Kim Keys ${id}`;
  const phone = await open(browser, `Manager phone keys ${id}`, PHONE);
  await phone.addProvider(provider);
  await phone.book({ patient, phone: `0170 555 0${id.length}19`, time: '10:30', minutes: 20, provider });
  await phone.expectAllSaved();

  // Settings, Add a device: the token made for the tablet in, the link out.
  await phone.page.getByTestId('nav-settings').click();
  const card = phone.page.getByTestId('new-device');
  await card.getByLabel("The new device's access token").fill(relay().token);
  await card.getByRole('button', { name: 'Make the link' }).click();
  const link = await card.getByLabel('Link for the new device').inputValue();
  const url = new URL(link);
  // Token and keys travel in the fragment, which no browser sends to the relay.
  expect(url.search).toBe('');
  expect(url.hash).toMatch(/^#token=[^&]+&key=fdk1\./);

  const tablet = await open(browser, `New tablet keys ${id}`, {}, relay().token, { link });
  await expect(tablet.appointment(patient)).toBeVisible({ timeout: 20_000 });

  // A tablet given the token alone cannot read the list of who may sign in, and says why;
  // it is not offered to start a new organisation.
  const bare = await open(browser, `Bare tablet keys ${id}`, {}, relay().token, { link: `/#token=${relay().token}`, signIn: false });
  await expect(bare.page.getByTestId('needs-keys')).toContainText("has not been given the organisation's keys", { timeout: 20_000 });
  await expect(bare.page.getByTestId('first-owner')).toHaveCount(0);
});
