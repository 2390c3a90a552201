// Opens an `interdep lab` page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from output/report/node_modules) with the network cut off, and uses it as a
// student would: picks scenarios, moves sliders, switches an event off, changes an admission
// rule. Checks that no request leaves the page, no console or page error appears, each change
// reruns the engine and redraws the charts, and writes every state's overrides, merged text and
// datasets to a JSON file, which tests/lab_check.py compares with the native engine.
//
//   node lab_check.mjs LAB.html STATES.json PLAYWRIGHT_DIR [SCREENSHOT.png]
//
// Exit status 0 when every check passed, 1 otherwise (each failure is printed).
import fs from 'node:fs';

import { openOffline } from './offline_browser.mjs';

const [labPath, statesPath, playwrightDir, screenshotPath] = process.argv.slice(2);
if (!labPath || !statesPath || !playwrightDir) {
  console.error('usage: node lab_check.mjs LAB.html STATES.json PLAYWRIGHT_DIR [SCREENSHOT.png]');
  process.exit(2);
}
const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

const { url: labUrl, page, log, close } = await openOffline(labPath, playwrightDir);
const result = { requests: log.requests, console_errors: log.console_errors,
  page_errors: log.page_errors, states: [], latency_ms: [] };
const DATASETS = ['relations', 'relation_overall', 'trade', 'energy', 'sensitivity', 'vulnerability',
  'leverage', 'membership', 'finance'];
try {
  await page.goto(labUrl, { waitUntil: 'load' });

  const runs = () => page.evaluate(() => Number(document.body.dataset.runs || 0));
  // Waits until the page has run more than `before` times; false after 30 s or on an error.
  async function ranAfter(before, what) {
    const ok = await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n
      || !document.getElementById('error').hidden, before, { timeout: 30000 }).then(() => true, () => false);
    const error = await page.evaluate(() => (document.getElementById('error').hidden ? '' : document.getElementById('error').textContent));
    check(ok && !error, `${what}: no rerun (${error || 'timed out'})`);
    return ok && !error;
  }
  async function record(label) {
    // The page's slider-to-redrawn-charts time of the last change, once its frame was drawn.
    await page.waitForFunction(() => window.interdepLab.inputAt === undefined, null, { timeout: 10000 }).catch(() => {});
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const state = await page.evaluate(({ names, label }) => {
      const lab = window.interdepLab, r = lab.current;
      const data = JSON.parse(document.getElementById('lab-data').textContent);
      const scenario = data.scenarios.find((s) => s.id === lab.scenario);
      const datasets = {};
      for (const n of names) if (r.datasets[n]) datasets[n] = Array.from(r.datasets[n].values);
      return { label, scenario: lab.scenario, file: scenario.file, overrides: lab.overrides(),
        text: r.text, frames: r.frames, time: Array.from(r.time), datasets,
        ms: lab.latencyMs === undefined ? lab.lastMs : lab.latencyMs };
    }, { names: DATASETS, label });
    result.states.push(state);
    result.latency_ms.push({ label, ms: state.ms });
    await checkChangesAddUp(label);
    await page.evaluate(() => { window.interdepLab.latencyMs = undefined; });
    return state;
  }
  // Every change the page prints beside its ends is the difference of the ends as printed, to
  // their decimals ("0.284 (baseline 0.275, +0.008)" did not add up): the pair's sentence and
  // each row of "what changed".
  async function checkChangesAddUp(label) {
    const shown = await page.evaluate(() => {
      const summary = /is (-?\d+\.\d+) \(baseline (-?\d+\.\d+), ([+-]\d+\.\d+)\)/.exec(document.getElementById('pair-summary').textContent);
      const rows = [...document.querySelectorAll('#changes tr')].slice(1).map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent));
      return summary ? [summary.slice(1), ...rows] : rows;
    });
    check(shown.length > 0, `${label}: no change printed beside its ends`);
    for (const [now, was, change] of shown) {
      const digits = (t) => t.split('.')[1].length;
      const units = (t) => Math.round(Number(t) * 10 ** digits(t));  // in the last printed decimal
      check(digits(now) === digits(was) && digits(was) === digits(change) && units(now) - units(was) === units(change),
        `${label}: ${now} against ${was} is printed as a change of ${change}`);
    }
  }
  async function chartImage(id) {
    return (await page.locator(`#${id} canvas`).first().screenshot()).toString('base64');
  }
  async function setRange(key, fraction) {
    return page.evaluate(({ key, fraction }) => {
      const input = document.querySelector(`input[data-key="${key}"]`);
      if (!input) return false;
      const min = Number(input.min), max = Number(input.max);
      input.value = String(min + fraction * (max - min));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return true;
    }, { key, fraction });
  }

  check(await ranAfter(0, 'opening the page'), 'the page did not run its first scenario');
  // A change and its ends, to the decimals at which the printed ends differ (up to 6), the change
  // their difference; one too small for 6 keeps its sign, as `interdep explain` prints it.
  const printed = await page.evaluate(() => [[0.2836, 0.2754], [0.27549, 0.27489], [-0.1004, -0.0996],
    [0.5 + 1e-9, 0.5], [0.5 - 1e-9, 0.5], [0.25, 0.25], [0.6666, 0.6664]].map(([a, b]) => Object.values(window.interdepLab.shownChange(a, b)).join(' ')));
  // (0.6664 → 0.6666: the decimals the change needs, not "0.667 0.666 +0.001", five times it.)
  check(JSON.stringify(printed) === JSON.stringify(['0.284 0.275 +0.009', '0.2755 0.2749 +0.0006', '-0.1004 -0.0996 -0.0008',
    '0.500000 0.500000 +0.000000', '0.500000 0.500000 -0.000000', '0.250 0.250 +0.000', '0.6666 0.6664 +0.0002']),
  `changes as printed: ${JSON.stringify(printed)}`);
  check(await page.evaluate(() => typeof window.uPlot === 'function'), 'uPlot is not in the page');
  const outside = await page.evaluate(() => [...document.querySelectorAll('[src], link, iframe, img, object, embed')]
    .map((n) => n.outerHTML.slice(0, 100)));
  check(outside.length === 0, 'elements referring outside the page: ' + outside.join(' | '));
  await record('the first scenario as written');

  // Sanctions: the pressure rate, an event switched off, its date and intensity moved.
  let before = await runs();
  await page.selectOption('#scenario', 'sanctions');
  await ranAfter(before, 'choosing sanctions');
  await page.selectOption('#actor', 'PAK');
  await page.selectOption('#partner', 'RUS');
  await record('sanctions as written');
  const account = await page.textContent('#explain');
  check(/^Pakistan → Russia, overall relation/.test(account.trim()) && /It moved from/.test(account),
    `no explain account for Pakistan → Russia: ${account.slice(0, 200)}`);
  const image = await chartImage('chart-relations');
  before = await runs();
  check(await setRange('model.decide.pressure', 0.8), 'no pressure slider');
  await ranAfter(before, 'moving the pressure slider');
  check((await chartImage('chart-relations')) !== image, 'the relations chart did not change with the pressure slider');
  await record('sanctions, pressure raised');
  // After a rerun and before any hover, the legends show the last month and its values, and
  // explain's account keeps its own lines (no second wrap by the page: as many rendered lines
  // as the text has).
  const legend = await page.evaluate(() => [...document.querySelectorAll('#chart-relations .u-legend .u-value')].map((v) => v.textContent));
  check(legend.length > 1 && /^\d{4}-\d{2}$/.test(legend[0]) && legend.slice(1).every((v) => /^[−-]?\d/.test(v)),
    `the relations legend before a hover: ${JSON.stringify(legend)}`);
  const wrapped = await page.evaluate(() => {
    const box = document.getElementById('explain');
    const lines = box.textContent.replace(/\n$/, '').split('\n').length;
    const style = getComputedStyle(box);
    const rendered = (box.scrollHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) /
      parseFloat(style.lineHeight);
    return { lines, rendered };
  });
  check(Math.round(wrapped.rendered) <= wrapped.lines + 1,
    `explain's ${wrapped.lines} lines are drawn as ${wrapped.rendered.toFixed(1)}: wrapped a second time`);

  const event = await page.evaluate(() => {
    const box = document.querySelector('input[type=checkbox][data-key^="events."]');
    return box ? box.dataset.key.split('.')[1] : null;
  });
  if (check(event !== null, 'no event switch in the sanctions scenario')) {
    before = await runs();
    await page.evaluate((k) => {
      const box = document.querySelector(`input[data-key="events.${k}.enabled"]`);
      box.checked = false;
      box.dispatchEvent(new Event('change', { bubbles: true }));
    }, event);
    await ranAfter(before, 'switching an event off');
    const off = await record('sanctions, an event switched off');
    check(off.overrides.includes(`events.${event}.enabled=false`), `the switch set ${off.overrides}`);
    const events = await page.evaluate(() => [...document.querySelectorAll('input[data-key$=".date"]')].map((x) => x.dataset.key));
    if (check(events.length > 1, 'fewer than two event date sliders')) {
      // A date moved and put back where it was is no change (the range's own rounding of
      // 2025.1667 was listed as events.N.date=2025.16666666667).
      const written = await page.evaluate((k) => document.querySelector(`input[data-key="${k}"]`).value, events[0]);
      before = await runs();
      await setRange(events[0], 0.9);
      await ranAfter(before, 'moving an event date away');
      before = await runs();
      await page.evaluate(({ k, v }) => {
        const input = document.querySelector(`input[data-key="${k}"]`);
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, { k: events[0], v: written });
      await ranAfter(before, 'moving an event date back');
      const back = await page.evaluate((k) => ({ overrides: window.interdepLab.overrides(),
        changed: document.querySelector(`input[data-key="${k}"]`).parentElement.classList.contains('changed') }), events[0]);
      check(!back.overrides.some((o) => o.startsWith(`${events[0]}=`)) && !back.changed,
        `a date put back where it was still counts as a change: ${JSON.stringify(back)}`);
      before = await runs();
      await setRange(events[1], 0.3);
      await ranAfter(before, 'moving an event date');
      const intensities = await page.evaluate(() => [...document.querySelectorAll('input[data-key$=".intensity"]')].map((x) => x.dataset.key));
      if (intensities.length) {
        before = await runs();
        await setRange(intensities[intensities.length - 1], 0.9);
        await ranAfter(before, 'moving an intensity');
      }
      await record('sanctions, event date and intensity moved');
    }
  }

  // An actor's interests and risk attitude.
  before = await runs();
  await page.selectOption('#control-actor', { index: 0 });
  const interests = await page.evaluate(() => [...document.querySelectorAll('input[data-key*=".interests."]')].map((x) => x.dataset.key));
  if (check(interests.length > 1, 'no interest sliders')) {
    await setRange(interests[0], 0.7);
    await ranAfter(before, 'moving an interest weight');
    before = await runs();
    const risk = await page.evaluate(() => document.querySelector('input[data-key$=".risk"]').dataset.key);
    await setRange(risk, 0.1);
    await ranAfter(before, 'moving a risk attitude');
    await record('sanctions, interests and risk of an actor');
    // The weights shown are the weights run: each slider's figure is its override to 2
    // decimals (the moved one showed 0.70 beside others that did not add up to 1).
    const shown = await page.evaluate(() => [...document.querySelectorAll('input[data-key*=".interests."]')]
      .map((x) => ({ key: x.dataset.key, shown: x.parentElement.querySelector('.value').textContent })));
    const runs_ = await page.evaluate(() => window.interdepLab.overrides());
    for (const { key, shown: text } of shown) {
      const o = runs_.find((x) => x.startsWith(`${key}=`));
      if (o) check(Number(o.split('=')[1]).toFixed(2) === text, `${key} shows ${text}, runs ${o}`);
    }
    // Another actor chosen and this one again: its sliders show the changes in force.
    const riskShown = await page.evaluate((k) => document.querySelector(`input[data-key="${k}"]`).parentElement.querySelector('.value').textContent, risk);
    await page.selectOption('#control-actor', { index: 1 });
    await page.selectOption('#control-actor', { index: 0 });
    const again = await page.evaluate((k) => {
      const box = document.querySelector(`input[data-key="${k}"]`).parentElement;
      return { shown: box.querySelector('.value').textContent, changed: box.classList.contains('changed') };
    }, risk);
    check(again.shown === riskShown && again.changed,
      `the risk attitude set to ${riskShown} reads ${JSON.stringify(again)} after choosing another actor and back`);
    // A pair is two actors: choosing the partner as the actor swaps them.
    const swapped = await page.evaluate(() => {
      const a = document.getElementById('actor'), b = document.getElementById('partner');
      const was = [a.value, b.value];
      a.value = b.value;
      a.dispatchEvent(new Event('change', { bubbles: true }));
      return { was, now: [a.value, b.value] };
    });
    check(swapped.now[0] === swapped.was[1] && swapped.now[1] === swapped.was[0],
      `choosing the partner as the actor: ${JSON.stringify(swapped)}`);
  }

  // BRICS: the admission rule; the baseline switched to the scenario as written.
  before = await runs();
  await page.selectOption('#scenario', 'brics');
  await ranAfter(before, 'choosing brics');
  before = await runs();
  const rule = await page.evaluate(() => {
    const select = document.querySelector('select[data-key^="institutions."]');
    if (!select) return null;
    select.value = select.value === 'majority' ? 'consensus' : 'majority';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    return select.dataset.key;
  });
  if (check(rule !== null, 'no admission rule control in brics')) {
    await ranAfter(before, 'changing an admission rule');
    await record('brics, an admission rule changed');
  }
  before = await runs();
  await page.selectOption('#baseline', '');
  await ranAfter(before, 'choosing the scenario as written as the baseline');
  check(await page.evaluate(() => document.querySelectorAll('#network line').length > 0), 'the network shows no pair');

  if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
} catch (error) {
  failures.push(`the browser session failed: ${error}`);
} finally {
  await close();
}
check(result.requests.length === 0, 'requests left the page: ' + result.requests.join(', '));
check(result.console_errors.length === 0, 'console errors: ' + result.console_errors.join(' | '));
check(result.page_errors.length === 0, 'page errors: ' + result.page_errors.join(' | '));
fs.writeFileSync(statesPath, JSON.stringify(result));
for (const f of failures) console.error('FAIL: ' + f);
console.log(`lab_check.mjs: ${result.states.length} states recorded; slider to redrawn charts: ` +
  result.latency_ms.map((l) => `${l.ms.toFixed(1)} ms`).join(', '));
process.exit(failures.length ? 1 : 0);
