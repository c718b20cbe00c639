import { execFileSync } from 'node:child_process';

import { expect, test } from '@playwright/test';

import { OWNER, PHONE, desksPerScenario, relay, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test("a new tablet opens the manager's link, is approved on the manager's phone and reads the schedule; one opened without keys reads nothing", async ({
  browser,
}) => {
  const token = process.env.E2E_ENROLLED_TOKEN;
  if (!token) throw new Error('E2E_ENROLLED_TOKEN unset: run through playwright.config.ts');
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
  await card.getByLabel("The new device's access token").fill(token);
  await card.getByRole('button', { name: 'Make the link' }).click();
  const linkField = card.getByLabel('Link for the new device');
  await expect(linkField).toBeVisible();
  const link = await linkField.inputValue();
  const url = new URL(link);
  // Token and the one-time enrolment secret travel in the fragment, which no browser sends
  // to the relay; no key travels at all.
  expect(url.search).toBe('');
  expect(url.hash).toMatch(/^#token=[^&]+&enrol=[0-9a-f]{32}$/);
  expect(link).not.toContain('fdk1');

  const tabletName = `New tablet keys ${id}`;
  const tablet = await open(browser, tabletName, {}, token, { link, signIn: false });
  await expect(tablet.page.getByTestId('awaits-approval')).toContainText(`approve ${tabletName}`, { timeout: 20_000 });

  // The phone sees the tablet ask, names it as it named itself, and approves it.
  const devices = phone.page.getByRole('list', { name: 'Devices' });
  const row = devices.getByTestId('device-row').filter({ has: phone.page.getByText('Enrolled tablet', { exact: true }) });
  await expect(row.getByTestId('device-keys')).toContainText('Asks for the keys', { timeout: 20_000 });
  await row.getByRole('button', { name: `Approve ${tabletName}` }).click();
  await expect(row.getByTestId('device-keys')).toHaveText('Has the keys', { timeout: 20_000 });

  await tablet.signIn();
  await tablet.showTomorrow();
  await expect(tablet.appointment(patient)).toBeVisible({ timeout: 20_000 });

  // A tablet given the token alone cannot read the list of who may sign in, and says why;
  // it is not offered to start a new organisation.
  const bare = await open(browser, `Bare tablet keys ${id}`, {}, relay().token, { link: `/#token=${relay().token}`, signIn: false });
  await expect(bare.page.getByTestId('needs-keys')).toContainText("has not been given the organisation's keys", { timeout: 20_000 });
  await expect(bare.page.getByTestId('first-owner')).toHaveCount(0);
});

// Before any revocation by the relay's command: that one is followed by a new key made by
// whichever manager's device comes next, and a device opened with the suite's link keys
// would then be behind the organisation's newest key and could not make the next one.
test("the manager's phone revokes a lost tablet from Settings; the tablet deletes everything at its next contact", async ({
  browser,
}) => {
  const token = process.env.E2E_LOST_TOKEN;
  if (!token) throw new Error('E2E_LOST_TOKEN unset: run through playwright.config.ts');
  const tag = unique();
  const tablet = await open(browser, `Lost tablet ${tag}`, {}, token);
  await tablet.expectAllSaved();
  const phone = await open(browser, `Manager phone revokes ${tag}`, PHONE);
  await phone.page.getByTestId('nav-settings').click();
  const devices = phone.page.getByRole('list', { name: 'Devices' });
  // A row shows the names its devices gave too (another scenario's tablet may be named
  // "Lost tablet …"): the row is found by its token's label.
  const row = devices.getByTestId('device-row').filter({ has: phone.page.getByText('Lost tablet', { exact: true }) });
  await expect(row).toHaveCount(1, { timeout: 20_000 });
  await expect(devices.getByTestId('device-row').filter({ hasText: 'this device' })).toHaveCount(1);
  await row.getByRole('button', { name: 'Revoke Lost tablet' }).click();
  await expect(phone.page.getByTestId('key-epoch')).toContainText('seals with key');
  const before = Number(/key (\d+)/.exec((await phone.page.getByTestId('key-epoch').textContent()) ?? '')?.[1]);
  await row.getByRole('button', { name: 'Revoke now' }).click();
  await expect(row).toContainText('Revoked');
  // The revocation starts a new key epoch: the phone makes it, the relay stores it wrapped
  // for the devices still enrolled, and the phone seals with it from then on.
  await expect(phone.page.getByTestId('key-epoch')).toContainText(`seals with key ${before + 1}.`, { timeout: 20_000 });

  // The tablet hears it at its next contact: here, when it comes back to the network.
  await tablet.context.setOffline(true);
  await expect(tablet.status).toHaveText(/^Offline/);
  await tablet.context.setOffline(false);
  await expect(tablet.page.getByTestId('wiped')).toContainText("This device's access to the organisation was revoked", {
    timeout: 30_000,
  });
});

test('a tablet whose token is revoked deletes everything it held at its next contact with the relay, and says so', async ({
  browser,
}) => {
  const token = process.env.E2E_REVOKED_TOKEN;
  const id = process.env.E2E_REVOKED_TOKEN_ID;
  const bin = process.env.E2E_RELAY_BIN;
  const data = process.env.E2E_RELAY_DATA;
  if (!token || !id || !bin || !data) throw new Error('E2E_REVOKED_TOKEN… unset: run through playwright.config.ts');
  const tag = unique();
  const patient = `Sasha Revokewell ${tag}`;
  const provider = `Dr Ari Revoke ${tag}`;
  const tablet = await open(browser, `Lost tablet ${tag}`, {}, token);
  await tablet.addProvider(provider);
  await tablet.book({ patient, time: '15:00', minutes: 20, provider });
  await tablet.expectAllSaved();

  // The tablet is lost: the manager revokes its token with the relay's command line while
  // it is away from the network.
  await tablet.context.setOffline(true);
  await expect(tablet.status).toHaveText(/^Offline/);
  execFileSync(bin, ['token', 'revoke', id, '--data', data], { stdio: 'ignore' });
  await tablet.context.setOffline(false);

  // At its next contact the relay orders the wipe: the app starts again at set-up and
  // says why, with nothing of the organisation left in the page or in its storage.
  const page = tablet.page;
  await expect(page.getByTestId('wiped')).toContainText("This device's access to the organisation was revoked", {
    timeout: 20_000,
  });
  await expect(page.locator('input[name=token]')).toBeVisible();
  expect(await page.content()).not.toContain(patient);
  const left = await page.evaluate(
    () =>
      new Promise<Record<string, number | string[]>>((resolve, reject) => {
        const opening = indexedDB.open('front-desk');
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const db = opening.result;
          const stores = ['snapshots', 'increments', 'outbox', 'cursors', 'meta'];
          const tx = db.transaction(stores);
          const counts: Record<string, number | string[]> = {};
          for (const name of stores.slice(0, 4)) {
            const request = tx.objectStore(name).count();
            request.onsuccess = () => (counts[name] = request.result);
          }
          const keys = tx.objectStore('meta').getAllKeys();
          keys.onsuccess = () => (counts.meta = keys.result.map(String));
          tx.oncomplete = () => resolve(counts);
        };
      }),
  );
  expect(left).toEqual({ snapshots: 0, increments: 0, outbox: 0, cursors: 0, meta: ['wiped'] });
});

test('a tablet away from the relay for more than its days keeps its data locked until it is back', async ({ browser }) => {
  const tag = unique();
  const tablet = await open(browser, `Away tablet ${tag}`);
  const page = tablet.page;
  // The page's clock is Playwright's from here on, so that days pass without waiting.
  await page.clock.install();
  await tablet.reopen();
  await tablet.expectAllSaved();

  await tablet.context.setOffline(true);
  await expect(tablet.status).toHaveText(/^Offline/);
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.clock.fastForward((14 * 24 + 1) * 60 * 60 * 1000); // 14 days and one hour
  const away = page.getByTestId('away-too-long');
  await expect(away).toContainText('has not reached the relay for more than 14 days');
  await expect(page.getByRole('button', { name: OWNER.name, exact: true })).toHaveCount(0);

  // Back on the network, the relay's welcome unlocks the sign-in.
  await tablet.context.setOffline(false);
  await expect(away).toHaveCount(0, { timeout: 20_000 });
  await tablet.signIn();
});
