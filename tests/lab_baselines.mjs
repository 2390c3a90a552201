// Opens an `interdep lab` page of five scenarios (two of one name and stem) (tests/lab_check.sh baselines) in headless
// Chromium and checks what "What changed against the baseline" and the network say when the
// baseline cannot be read as the scenario is: a scenario that ends earlier than its baseline
// (read at its own end, not the baseline's), one of other actors (said, not "no change"), and
// one that records every 12th step (the network's slider moves over the recorded frames).
//
//   node lab_baselines.mjs LAB.html PLAYWRIGHT_DIR
import { openOffline } from './offline_browser.mjs';

const [labPath, playwrightDir] = process.argv.slice(2);
const failures = [];
const check = (condition, message) => { if (!condition) failures.push(message); };
const { url, page, log, close } = await openOffline(labPath, playwrightDir);
try {
  await page.goto(url, { waitUntil: 'load' });
  const runs = () => page.evaluate(() => Number(document.body.dataset.runs || 0));
  async function choose(id) {
    const before = await runs();
    await page.selectOption('#scenario', id);
    await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before, { timeout: 30000 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return page.evaluate(() => document.getElementById('changes').textContent);
  }
  // Two files of one name and stem are told apart by their ids in both menus.
  const menus = await page.evaluate(() => ['scenario', 'baseline'].map((id) =>
    [...document.getElementById(id).options].map((o) => o.textContent)));
  check(menus[0].includes('short (short.toml) [short]') && menus[0].includes('short (short.toml) [short-2]'),
    `the scenario menu does not tell the two short.toml apart: ${menus[0].join(' | ')}`);
  check(menus[1].includes('short [short-2]'), `the baseline menu: ${menus[1].join(' | ')}`);
  // The baseline cut at five years: the same relations in 2030-01, so nothing changed.
  const short = await choose('short');
  check(short.includes('No overall relation ends (2030-01) more than 0.0005 away from the baseline'),
    `short against baseline: ${short}`);
  // Two actors the baseline does not have.
  const two = await choose('two');
  check(two.includes('Not compared: the pairs of Aland, Bland, whom the baseline does not have'),
    `two against baseline: ${two}`);
  // Ten years recorded every 12th step: 11 frames, the slider's last position the last frame.
  await choose('yearly');
  const slider = await page.evaluate(() => document.getElementById('network-time').max);
  check(slider === '10', `the network slider of a yearly record ends at ${slider}, not 10`);
  // A run of quarterly steps: an event's date moves by a quarter and reads as one (it offered
  // months, three of which act at one step).
  await choose('quarterly');
  const date = await page.evaluate(() => {
    const input = [...document.querySelectorAll('input[data-key$=".date"]')][0];
    return { step: input.step, shown: input.closest('.control').querySelector('.value').textContent };
  });
  check(Number(date.step) === 0.25, `a quarterly run's event date moves by ${date.step}, not a quarter`);
  check(/^\d{4} Q[1-4]$/.test(date.shown), `a quarterly run's event date reads ${date.shown}, not a quarter`);
} catch (error) {
  failures.push(`the browser session failed: ${error}`);
} finally {
  await close();
}
check(log.page_errors.length === 0, 'page errors: ' + log.page_errors.join(' | '));
for (const f of failures) console.error('FAIL: ' + f);
process.exit(failures.length ? 1 : 0);
