import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// The administrator's console for security roles and queues, as an administrator, a role editor who loses the right
// mid-way, and a salesperson use it: the grid, field permissions, queues and their email-to-case rules.

const ADMIN = { email: 'admin@demo.crm.test', name: 'Ada Admin' };
const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { email: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];
let adminToken: string;

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const cell = (entity: string, privilege: string) => page.getByTestId(`cell-${entity}-${privilege}`);

async function open(who: { email: string; name: string; password?: string }, viewport = { width: 1280, height: 900 }): Promise<void> {
  context = await browser.newContext({ locale: 'en-US', viewport });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(hub.url);
  await signIn(page, who.email, who.password ?? hub.demoPassword, who.name);
}

interface RoleRead {
  id: string;
  name: string;
  privileges: { entity: string; privilege: string; depth: string }[];
  fieldPermissions: { entity: string; field: string; canRead: boolean; canUpdate: boolean }[];
}
const roleNamed = async (name: string): Promise<RoleRead | undefined> =>
  (ok(await hub.gql('{ securityRoles { id name privileges { entity privilege depth } fieldPermissions { entity field canRead canUpdate } } }', {}, adminToken)).securityRoles as RoleRead[]).find(
    (role) => role.name === name,
  );
const depthIn = (role: RoleRead | undefined, entity: string, privilege: string) =>
  role?.privileges.find((p) => p.entity === entity && p.privilege === privilege)?.depth ?? 'NONE';

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  browser = await launchChromium();
  adminToken = await hub.login(ADMIN.email);
}, 120_000);

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('security roles in the administrator’s console', () => {
  it('creates a role, grants Account Read to the organization in the grid and a field permission, all stored', async () => {
    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/roles`);
    await page.getByRole('heading', { level: 2, name: 'Security roles' }).waitFor();
    await page.getByRole('link', { name: 'System Administrator' }).waitFor();
    await shoot('admin-roles-list');

    const name = `Support agents ${uniqueTag()}`;
    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog', { name: 'New security role' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Description').fill('Answers the support queue.');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 2, name }).waitFor();
    expect(await cell('ACCOUNT', 'READ').getAttribute('aria-label')).toBe('Account, Read: None');

    // Each click gives the next depth at once; the saves follow in order.
    for (const depth of ['User', 'Business unit', 'Parent: child business units', 'Organization']) {
      await cell('ACCOUNT', 'READ').click();
      expect(await cell('ACCOUNT', 'READ').getAttribute('aria-label')).toBe(`Account, Read: ${depth}`);
    }
    // The grid is one tab stop (the cell last used); arrows move in it, and a digit picks a depth: 2 is Business unit.
    expect(await page.locator('button.cell[tabindex="0"]').count()).toBe(1);
    await cell('ACCOUNT', 'READ').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('cell-CONTACT-WRITE');
    await page.keyboard.press('2');
    expect(await cell('CONTACT', 'WRITE').getAttribute('aria-label')).toBe('Contact, Write: Business unit');
    await page.getByRole('checkbox', { name: 'Read Contact: Telephone' }).check();

    await expect.poll(async () => depthIn(await roleNamed(name), 'ACCOUNT', 'READ')).toBe('ORGANIZATION');
    await expect.poll(async () => depthIn(await roleNamed(name), 'CONTACT', 'WRITE')).toBe('BUSINESS_UNIT');
    await expect.poll(async () => (await roleNamed(name))?.fieldPermissions).toEqual([{ entity: 'CONTACT', field: 'telephone', canRead: true, canUpdate: false }]);
    await page.locator('.pending').waitFor({ state: 'detached' });
    await shoot('admin-role-grid');

    // Read back after a reload: what shows is what is stored.
    await page.reload();
    await page.getByRole('heading', { level: 2, name }).waitFor();
    expect(await cell('ACCOUNT', 'READ').getAttribute('aria-label')).toBe('Account, Read: Organization');
    expect(await page.getByRole('checkbox', { name: 'Read Contact: Telephone' }).isChecked()).toBe(true);

    // System Administrator is shown, not offered for change, with the reason.
    await page.goto(`${hub.url}/#/admin/roles`);
    await page.getByRole('link', { name: 'System Administrator' }).click();
    await page.getByTestId('role-locked').waitFor();
    expect(await page.getByTestId('role-locked').textContent()).toContain('cannot be changed');
    expect(await page.getByRole('img', { name: 'Account, Delete: Organization' }).count()).toBe(1);
    expect(await page.locator('button.cell').count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'Read Contact: Telephone' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('puts a cell back and says why when the API refuses the change, and is read-only for those who may only read roles', async () => {
    // A role editor: may read and change roles. They lose the right to change them while the page is open.
    const tag = uniqueTag();
    const editorRole = ok(await hub.gql('mutation($input: CreateSecurityRoleInput!) { createSecurityRole(input: $input) { id } }', { input: { name: `Role editors ${tag}` } }, adminToken)).createSecurityRole.id;
    const grant = async (privilege: string, depth: string) =>
      ok(await hub.gql('mutation($input: SetRolePrivilegeInput!) { setRolePrivilege(input: $input) { id } }', { input: { roleId: editorRole, entity: 'SECURITY_ROLE', privilege, depth } }, adminToken));
    await grant('READ', 'ORGANIZATION');
    await grant('WRITE', 'ORGANIZATION');
    const units = ok(await hub.gql('{ businessUnits { id name } }', {}, adminToken)).businessUnits as { id: string; name: string }[];
    const editor = { email: `editor.${tag.toLowerCase()}@demo.crm.test`, name: `Rolf Editor ${tag}`, password: `Ed-${randomBytes(9).toString('base64url')}-kite` };
    ok(await hub.gql('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { email: editor.email, fullName: editor.name, businessUnitId: units[0].id, password: editor.password, roleIds: [editorRole] } }, adminToken));

    await open(editor);
    const target = (await roleNamed('Salesperson'))!;
    await page.goto(`${hub.url}/#/admin/roles/${encodeURIComponent(target.id)}`);
    await page.getByRole('heading', { level: 2, name: 'Salesperson' }).waitFor();
    expect(await page.getByRole('button', { name: 'New role' }).count()).toBe(0);
    expect(await cell('LEAD', 'DELETE').getAttribute('aria-label')).toBe('Lead, Delete: User');

    await grant('WRITE', 'NONE');
    await cell('LEAD', 'DELETE').click();
    await page.getByTestId('privilege-error').waitFor();
    expect(await page.getByTestId('privilege-error').textContent()).toMatch(/^Changing the privilege:/);
    expect(await cell('LEAD', 'DELETE').getAttribute('aria-label')).toBe('Lead, Delete: User');
    await shoot('admin-role-refused');
    expect(depthIn(await roleNamed('Salesperson'), 'LEAD', 'DELETE')).toBe('USER');

    // Signed in again with only read: the role is shown, nothing offered for change.
    await page.reload();
    await page.getByTestId('role-read-only').waitFor();
    expect(await page.locator('button.cell').count()).toBe(0);
    expect(await page.getByRole('img', { name: 'Lead, Delete: User' }).count()).toBe(1);
    // A custom role is not offered for renaming or deleting to one who may only read roles.
    await page.goto(`${hub.url}/#/admin/roles/${encodeURIComponent(editorRole)}`);
    await page.getByTestId('role-read-only').waitFor();
    expect(await page.getByRole('button', { name: 'Rename', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('shows the grid as a tidy grid in Swedish', async () => {
    await open(ADMIN);
    await page.getByRole('combobox', { name: /Language|Språk/ }).selectOption('sv');
    const salesperson = (await roleNamed('Salesperson'))!;
    await page.goto(`${hub.url}/#/admin/roles/${encodeURIComponent(salesperson.id)}`);
    await page.getByRole('heading', { level: 3, name: 'Behörigheter', exact: true }).waitFor();
    expect(await cell('ACCOUNT', 'READ').getAttribute('aria-label')).toBe('Konto, Läsa: Affärsenhet');
    expect(await page.getByRole('navigation', { name: 'Administrationens delar' }).getByRole('link', { name: 'Säkerhetsroller' }).count()).toBe(1);
    await page.getByText('Överordnad: underordnade affärsenheter').waitFor();
    await shoot('admin-role-grid-sv');
    // Every row of the grid is as tall as the others: the long Swedish words wrap in the head row, not in the cells.
    const heights = await page.locator('table.grid tbody th').evaluateAll((cells) => cells.map((cell) => cell.clientHeight));
    expect(new Set(heights).size, `row heights ${heights}`).toBe(1);
    // On a phone the grid scrolls sideways inside its card; the page itself does not.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shoot('admin-role-grid-sv-narrow');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${hub.url}/#/admin/queues`);
    await page.getByRole('button', { name: 'Ny kö' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ny kö' });
    await dialog.getByRole('button', { name: 'Skapa' }).click();
    await dialog.locator('#queue-name-error').filter({ hasText: 'Fyll i detta.' }).waitFor();
    await shoot('admin-queue-new-sv');
    expect(errors).toEqual([]);
  });

  it('renames a custom role, refuses to delete it while someone holds it (saying how many), and deletes it once nobody does', async () => {
    const tag = uniqueTag();
    const role = ok(await hub.gql('mutation($input: CreateSecurityRoleInput!) { createSecurityRole(input: $input) { id } }', { input: { name: `Interns ${tag}` } }, adminToken)).createSecurityRole;
    const users = ok(await hub.gql('{ users { id email } }', {}, adminToken)).users as { id: string; email: string }[];
    const samId = users.find((u) => u.email === SAM.email)!.id;
    ok(await hub.gql('mutation($u: ID!, $r: ID!) { addUserRole(userId: $u, roleId: $r) { id } }', { u: samId, r: role.id }, adminToken));

    await open(ADMIN);
    // A system role keeps its name: neither Rename nor Delete, and the page says why.
    await page.goto(`${hub.url}/#/admin/roles/${encodeURIComponent((await roleNamed('Salesperson'))!.id)}`);
    await page.getByTestId('role-system').waitFor();
    expect(await page.getByRole('button', { name: 'Rename', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);

    await page.goto(`${hub.url}/#/admin/roles/${encodeURIComponent(role.id)}`);
    await page.getByRole('heading', { level: 2, name: `Interns ${tag}` }).waitFor();
    await page.getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename the role' });
    expect(await rename.getByLabel('Name').inputValue()).toBe(`Interns ${tag}`);
    await rename.getByLabel('Name').fill('Salesperson');
    await rename.getByRole('button', { name: 'Save' }).click();
    await rename.locator('#rename-role-name-error').filter({ hasText: 'Another role already has this name.' }).waitFor();
    expect(await rename.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await shoot('admin-role-rename-taken');
    await rename.getByLabel('Name').fill(`Trainees ${tag}`);
    await rename.getByLabel('Description').fill('New starters, first month.');
    await rename.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 2, name: `Trainees ${tag}` }).waitFor();
    await page.getByText('New starters, first month.').waitFor();
    expect(await roleNamed(`Trainees ${tag}`)).toBeDefined();

    // Still held by Sam: the confirmation, then the refusal with the count in words; nothing is deleted.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: `Delete Trainees ${tag}?` });
    await confirm.getByText('This cannot be undone.').waitFor();
    await shoot('admin-role-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    const refused = page.getByTestId('role-delete-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('1 user still holds this role.');
    await shoot('admin-role-delete-refused');
    expect(await roleNamed(`Trainees ${tag}`)).toBeDefined();

    // Nobody holds it any more: deleting it takes the administrator back to the list, without it.
    ok(await hub.gql('mutation($u: ID!, $r: ID!) { removeUserRole(userId: $u, roleId: $r) { id } }', { u: samId, r: role.id }, adminToken));
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 2, name: 'Security roles' }).waitFor();
    await page.getByRole('link', { name: 'System Administrator' }).waitFor();
    expect(await page.getByRole('link', { name: `Trainees ${tag}` }).count()).toBe(0);
    expect(await roleNamed(`Trainees ${tag}`)).toBeUndefined();
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('offers a salesperson neither roles nor changes to queues', async () => {
    const tag = uniqueTag().toLowerCase();
    ok(await hub.gql('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }', { input: { name: `Billing ${tag}`, emailAddress: `billing.${tag}@demo.crm.test` } }, adminToken));
    await open(SAM);
    await page.goto(`${hub.url}/#/admin`);
    const sections = page.getByRole('navigation', { name: 'Administration sections' });
    await sections.getByRole('link', { name: 'Queues' }).waitFor();
    expect(await sections.getByRole('link', { name: 'Security roles' }).count()).toBe(0);
    await page.goto(`${hub.url}/#/admin/roles`);
    await page.getByText('Your security roles do not let you open this section.').waitFor();

    await page.goto(`${hub.url}/#/admin/queues`);
    await page.getByRole('heading', { level: 2, name: 'Queues' }).waitFor();
    const queues = page.getByRole('table', { name: 'Queues' });
    await queues.getByRole('link', { name: `Billing ${tag}` }).waitFor();
    expect(await page.getByRole('button', { name: 'New queue' }).count()).toBe(0);
    await queues.getByRole('link', { name: `Billing ${tag}` }).click();
    await page.getByTestId('queue-read-only').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByLabel('Create a case from a new email to the queue').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('queues in the administrator’s console', () => {
  it('creates a queue and changes its email-to-case rule, a bad value refused beside its field first', async () => {
    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/queues`);
    await page.getByRole('heading', { level: 2, name: 'Queues' }).waitFor();
    await page.getByRole('button', { name: 'New queue' }).click();
    const dialog = page.getByRole('dialog', { name: 'New queue' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.locator('#queue-name-error').filter({ hasText: 'Fill this in.' }).waitFor();

    const tag = uniqueTag().toLowerCase();
    const name = `Returns ${tag}`;
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Email address').fill(`returns.${tag}@demo.crm.test`);
    await dialog.getByLabel('Owner').selectOption({ label: SAM.name });
    await dialog.getByLabel('Create a case from a new email to the queue').check();
    await shoot('admin-queue-new');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 2, name }).waitFor();
    // Its owner, and the mailbox the API made for it, a click away.
    await page.getByRole('definition').filter({ hasText: SAM.name }).waitFor();
    await page.getByTestId('queue-mailbox-state').waitFor();
    expect(await page.getByRole('link', { name: 'Open the mailbox' }).getAttribute('href')).toMatch(/^#\/mailboxes\//);

    const hours = page.getByLabel('Reopen a resolved case when a reply arrives within (hours)');
    await hours.fill('two days');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#queue-reopen-error').filter({ hasText: 'Write a whole number of hours' }).waitFor();
    await hours.fill('-5');
    await page.getByRole('button', { name: 'Save' }).click();
    const refused = page.locator('#queue-reopen-error');
    await refused.filter({ hasText: 'At least 0.' }).waitFor();
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    expect(await hours.getAttribute('aria-describedby')).toBe('queue-reopen-error');
    await shoot('admin-queue-refused');

    await hours.fill('72');
    await page.getByLabel('Create a contact for a sender no record matches').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = (
      ok(await hub.gql('{ queues { name owner { fullName } createCaseFromEmail createContactForUnknownSender reopenResolvedWithinHours } }', {}, adminToken)).queues as { name: string }[]
    ).find((q) => q.name === name);
    expect(stored).toEqual({ name, owner: { fullName: SAM.name }, createCaseFromEmail: true, createContactForUnknownSender: true, reopenResolvedWithinHours: 72 });

    await page.getByRole('link', { name: 'Queues' }).first().click();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain('72 hours');
    await shoot('admin-queues');
    expect(errors).toEqual([]);
  });

  it('renames a queue, gives it a new owner and address (its mailbox then awaits approval again), a name in use refused beside its field', async () => {
    const tag = uniqueTag().toLowerCase();
    const create = (name: string, emailAddress: string) =>
      hub.gql('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }', { input: { name, emailAddress } }, adminToken).then((r) => ok(r).createQueue.id as string);
    await create(`Sales desk ${tag}`, `desk.${tag}@demo.crm.test`);
    const id = await create(`Orders ${tag}`, `orders.${tag}@demo.crm.test`);

    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/queues/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { level: 2, name: `Orders ${tag}` }).waitFor();
    const name = page.getByLabel('Name', { exact: true });
    const address = page.getByLabel('Email address');
    await name.fill(`Sales desk ${tag}`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#queue-name-error').filter({ hasText: 'Another queue already has this name.' }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');

    await name.fill(`Purchase orders ${tag}`);
    await address.fill(SAM.email);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#queue-email-error').filter({ hasText: 'already uses this address' }).waitFor();
    await shoot('admin-queue-address-taken');

    await address.fill(`purchasing.${tag}@demo.crm.test`);
    await page.getByLabel('Owner', { exact: true }).selectOption({ label: SARA.name });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('heading', { level: 2, name: `Purchase orders ${tag}` }).waitFor();
    await page.getByTestId('queue-readdressed').filter({ hasText: `purchasing.${tag}@demo.crm.test` }).waitFor();
    await page.getByRole('definition').filter({ hasText: SARA.name }).waitFor();
    await page.getByText('Pending approval').waitFor();
    await shoot('admin-queue-edited');

    const stored = (ok(await hub.gql('{ queues { id name emailAddress owner { fullName } } }', {}, adminToken)).queues as { id: string }[]).find((q) => q.id === id);
    expect(stored).toEqual({ id, name: `Purchase orders ${tag}`, emailAddress: `purchasing.${tag}@demo.crm.test`, owner: { fullName: SARA.name } });
    const mailbox = (ok(await hub.gql('{ mailboxes { address approval } }', {}, adminToken)).mailboxes as { address: string; approval: string }[]).find(
      (m) => m.address === `purchasing.${tag}@demo.crm.test`,
    );
    expect(mailbox?.approval).toBe('PENDING_APPROVAL');
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
