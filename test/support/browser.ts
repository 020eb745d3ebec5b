import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's Chromium driven by playwright-core, against the built UI (web/dist) the api serves.

/** The repository root, from test/support or from the copy `tsc -p bench` compiles into bench/dist. */
export const ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'web', 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = '/usr/bin/chromium';

/** Launches Chromium once the UI is built and the screenshot folder exists; throws saying what is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh`);
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is not built: run `npm run build -w web`');
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects what would show in the console as an error (CSP violations included) and uncaught exceptions. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}

/** Fills in the login screen and waits until the signed-in shell shows the user. */
export async function signIn(page: Page, email: string, password: string, fullName: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('viewer-name').filter({ hasText: fullName }).waitFor();
}
