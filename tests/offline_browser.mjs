// A headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the browser
// tests of self-contained pages (tests/report_check.mjs, tests/lab_check.mjs): the network is
// cut off, and every request other than the page itself, every console error and every page
// error is recorded in `log`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function openOffline(pagePath, playwrightDir) {
  const { chromium } = await import(pathToFileURL(path.join(playwrightDir, 'index.mjs')).href);
  const url = pathToFileURL(path.resolve(pagePath)).href;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'interdep-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    // As root in a container, and with the network closed: no sandbox, no background traffic.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const log = { requests: [], console_errors: [], page_errors: [] };
  // Every request other than the page itself is aborted and counted: a self-contained page
  // makes none.
  await context.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested === url) return route.continue();
    log.requests.push(requested);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (request) => {
    const requested = request.url();
    if (requested !== url && !log.requests.includes(requested)) log.requests.push(requested);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') log.console_errors.push(message.text());
  });
  page.on('pageerror', (error) => log.page_errors.push(String(error)));
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { url, page, log, close };
}
