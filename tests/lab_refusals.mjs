// Opens an `interdep lab` page holding `lift` (tests/lab_check.sh refusals: the sanctions
// scenario with the United States' sanctions on Russia lifted in 2030) in headless Chromium and
// moves controls to settings the engine refuses, each kind that can be refused: the event switch
// and an event's date slider, the sanction's (refused at the lift, another key) and the lift's
// own (refused at its own key). Each refusal must name the control as the page shows it, the
// value it shows and the key and value it set, and give the engine's reason, never a line of
// the page's merged text (/lab/lift.toml:89, a text no one sees); the page must run again once
// the control is put back.
//
//   node lab_refusals.mjs LAB.html PLAYWRIGHT_DIR
import fs from 'node:fs';

import { openOffline } from './offline_browser.mjs';

const [labPath, playwrightDir] = process.argv.slice(2);
const failures = [];
const check = (condition, message) => { if (!condition) failures.push(message); return condition; };
const SANCTION = 'United States widens sanctions on Russia, with secondary sanctions on third-country trade';
const LIFT = 'United States lifts its sanctions on Russia';
const { url, page, log, close } = await openOffline(labPath, playwrightDir);
try {
  await page.goto(url, { waitUntil: 'load' });
  const runs = () => page.evaluate(() => Number(document.body.dataset.runs || 0));
  const errorText = () => page.evaluate(() => (document.getElementById('error').hidden ? '' : document.getElementById('error').textContent));
  // A change by `act` (in the page), then the page's error once it shows another, or '' once it
  // ran.
  async function after(act, arg) {
    const before = { runs: await runs(), error: await errorText() };
    await page.evaluate(act, arg);
    await page.waitForFunction((was) => Number(document.body.dataset.runs || 0) > was.runs
      || (!document.getElementById('error').hidden && document.getElementById('error').textContent !== was.error),
    before, { timeout: 30000 });
    return errorText();
  }
  const toggle = ({ key, on }) => {
    const box = document.querySelector(`input[data-key="${key}"]`);
    box.checked = on;
    box.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const slide = ({ key, fraction, value }) => {
    const input = document.querySelector(`input[data-key="${key}"]`);
    input.value = value !== undefined ? value : String(Number(input.min) + fraction * (Number(input.max) - Number(input.min)));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  // A refusal in the page's words: the control, its value, its key=value, the reason; no place in
  // the merged text.
  function refused(text, { control, shown, set, reason }, what) {
    check(text.startsWith(`${control}, set to ${shown} (${set}), is refused: `), `${what}: names no control: ${text}`);
    check(text.includes(reason), `${what}: no reason "${reason}": ${text}`);
    check(!/\/lab\/|\.toml:\d/.test(text), `${what}: a place in the page's merged text: ${text}`);
    // The control is named: not the command line's "--set" again (it ended "(refused once --set
    // events.0.enabled=false applies: ...)").
    check(!text.includes('--set'), `${what}: the command line's words: ${text}`);
  }

  let before = await runs();
  await page.selectOption('#scenario', 'lift');
  await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before, { timeout: 30000 });
  const keys = await page.evaluate(({ sanction, lift }) => {
    const switchOf = (label) => [...document.querySelectorAll('.event')].find((x) => x.textContent.includes(label));
    const key = (item, end) => item && [...item.querySelectorAll('input')].map((x) => x.dataset.key).find((k) => k.endsWith(end));
    return { sanction: key(switchOf(sanction), '.enabled'), sanctionDate: key(switchOf(sanction), '.date'),
      lift: key(switchOf(lift), '.enabled'), liftDate: key(switchOf(lift), '.date') };
  }, { sanction: SANCTION, lift: LIFT });
  if (!check(keys.sanction && keys.liftDate, `the lift scenario's event controls: ${JSON.stringify(keys)}`))
    throw new Error('no controls to move');
  const liftKey = keys.lift.replace(/\.enabled$/, '.targets');

  // The switch: the sanction off leaves the lift nothing to lift, refused at the lift's key.
  let text = await after(toggle, { key: keys.sanction, on: false });
  refused(text, { control: `The switch of “${SANCTION}”`, shown: 'off', set: `${keys.sanction}=false`,
    reason: `key '${liftKey}' (“${LIFT}”): a lift_sanction of 'USA' on 'RUS' in 2030-01 lifts nothing` }, 'the sanction switched off');
  check(await after(toggle, { key: keys.sanction, on: true }) === '', 'the sanction switched on again does not run');

  // The sanction's date past its lift: refused at the lift too.
  const written = await page.evaluate((k) => document.querySelector(`input[data-key="${k}"]`).value, keys.sanctionDate);
  text = await after(slide, { key: keys.sanctionDate, fraction: 1 });
  const set = await page.evaluate(() => window.interdepLab.overrides()[0]);
  refused(text, { control: `“date of ${SANCTION}”`, shown: '2034-12', set,
    reason: `key '${liftKey}' (“${LIFT}”): a lift_sanction of 'USA' on 'RUS' in 2030-01 lifts nothing` }, 'the sanction dated past its lift');
  check(await after(slide, { key: keys.sanctionDate, value: written }) === '', 'the sanction dated back does not run');

  // The lift's date before the sanction: refused at the slider's own key, so said once.
  text = await after(slide, { key: keys.liftDate, fraction: 0 });
  const liftSet = await page.evaluate(() => window.interdepLab.overrides()[0]);
  refused(text, { control: `“date of ${LIFT}”`, shown: '2025-01', set: liftSet,
    reason: "a lift_sanction of 'USA' on 'RUS' in 2025-01 lifts nothing" }, 'the lift dated before its sanction');
  check(!text.includes(`key '${keys.liftDate}'`), `the lift's own key said twice: ${text}`);
  const liftWritten = await page.evaluate((k) => { const e = window.interdepLab.info.events.find((x) => `events.${x.entry}.date` === k); return String(e.date); }, keys.liftDate);
  check(await after(slide, { key: keys.liftDate, value: liftWritten }) === '', 'the lift dated back does not run');

  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const overrides = () => page.evaluate(() => window.interdepLab.overrides());

  // The download after a refused move is the last run that passed: its header lists what its
  // text holds, and says which change was refused (it listed the refused switch above a text
  // without it).
  await after(slide, { key: 'model.decide.pressure', fraction: 0.6 });
  const held = await overrides();
  check(held.length === 1 && held[0].startsWith('model.decide.pressure='), `the pressure raised: ${held}`);
  check((await after(toggle, { key: keys.sanction, on: false })).includes('is refused'), 'the sanction switched off is not refused');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = fs.readFileSync(await download.path(), 'utf8');
  const header = file.split('\n').filter((l) => l.startsWith('# ')).slice(0, 2);
  check(header[0] === `# Edited in interdep lab from "lift": ${held[0]}`, `the download after a refusal is headed ${JSON.stringify(header)}`);
  check(header[1] === `# The last run that passed, the one the charts show; not in it, refused: ${keys.sanction}=false`,
    `the download after a refusal does not say what it leaves out: ${JSON.stringify(header)}`);
  check(!/enabled = false/.test(file), 'the download after a refusal holds the refused switch');
  check(await after(toggle, { key: keys.sanction, on: true }) === '', 'the sanction switched on again does not run');

  // Interest weights: Pakistan's security dragged 0.35 -> 0.60 -> 0.35 a step at a time, as a
  // mouse does. The others keep their proportions exactly at every step, and once back the
  // weights are the scenario's as written (the sliders' rounding to 0.01 was read back, and
  // economy:energy 3:2 ended 4:1).
  await page.selectOption('#control-actor', { label: 'Pakistan (PAK)' });
  const asWritten = await page.evaluate(() => { const l = window.interdepLab; return l.info.actors.find((a) => a.code === 'PAK').interests; });
  const domains = await page.evaluate(() => window.interdepLab.info.domains.map((d) => d.name));
  const security = domains.indexOf('security');
  const weightsNow = async () => { const o = await overrides(); return domains.map((d, m) => { const x = o.find((v) => v.startsWith(`actors.PAK.interests.${d}=`)); return x ? Number(x.split('=')[1]) : asWritten[m]; }); };
  const beforeDrag = await overrides();
  const path = [];
  for (let v = 36; v <= 60; ++v) path.push(v / 100);
  for (let v = 59; v >= 35; --v) path.push(v / 100);
  let worst = 0;
  for (const v of path) {
    await after(slide, { key: 'actors.PAK.interests.security', value: String(v) });
    const w = await weightsNow();
    for (let m = 0; m < w.length; ++m) if (m !== security) {
      worst = Math.max(worst, Math.abs(w[m] / (1 - w[security]) - asWritten[m] / (1 - asWritten[security])));
    }
  }
  check(worst < 1e-12, `the other interest weights lost their proportions by ${worst} over the drag`);
  const back = await overrides();
  check(JSON.stringify(back) === JSON.stringify(beforeDrag),
    `Pakistan's security dragged away and back is a change: ${back}`);
  const shownBack = await page.evaluate(() => [...document.querySelectorAll('input[data-key*=".interests."]')].map((x) => x.parentElement.querySelector('.value').textContent));
  check(JSON.stringify(shownBack) === JSON.stringify(asWritten.map((w) => w.toFixed(2))), `the weights shown once back: ${shownBack}`);

  // fast: Pakistan as quick as the Euler step allows. The reciprocity rate raised is refused
  // with values of the merged text: said as the scenario's, not at /lab/fast.toml:68.
  before = await runs();
  await page.selectOption('#scenario', 'fast');
  await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before, { timeout: 30000 });
  const reciprocity = await page.evaluate(() => document.querySelector('input[data-key="model.decide.reciprocity"]').value);
  text = await after(slide, { key: 'model.decide.reciprocity', fraction: 1 });
  refused(text, { control: '“reciprocity”', shown: '1.00', set: 'model.decide.reciprocity=1.0',
    reason: 'relations of PAK with' }, 'the reciprocity rate raised');
  check(text.includes('actors.PAK.responsiveness = 4 is written in the scenario'), `the scenario's value not said as such: ${text}`);

  // The baseline chosen while a refusal is shown: the charts keep the last valid run, against
  // the baseline the menu shows (the old baseline's numbers stayed, then "No baseline chosen.").
  const shownNow = () => page.evaluate(() => ({ summary: document.getElementById('pair-summary').textContent,
    changes: document.getElementById('changes').textContent }));
  await page.selectOption('#baseline', 'off');
  await frames();
  const during = await shownNow();
  await page.selectOption('#domain', domains[0]);
  await page.selectOption('#domain', '');
  await frames();
  const redrawn = await shownNow();
  check(await after(slide, { key: 'model.decide.reciprocity', value: reciprocity }) === '', 'the reciprocity rate put back does not run');
  const expected = await shownNow();
  check(/\(baseline /.test(expected.summary), `fast against off has no baseline: ${expected.summary}`);
  check(JSON.stringify(during) === JSON.stringify(expected), `another baseline chosen during a refusal shows ${JSON.stringify(during)}, not ${JSON.stringify(expected)}`);
  check(JSON.stringify(redrawn) === JSON.stringify(expected), `... and once redrawn ${JSON.stringify(redrawn)}`);
  await page.selectOption('#baseline', '');
  await frames();

  // An interest weight refused: said at the slider the student moved, not at the last weight
  // the rescale wrote.
  await page.selectOption('#control-actor', { label: 'Pakistan (PAK)' });
  const securityName = await page.evaluate(() => document.querySelector('input[data-key="actors.PAK.interests.security"]').getAttribute('aria-label'));
  text = await after(slide, { key: 'actors.PAK.interests.security', value: '0.6' });
  refused(text, { control: `“${securityName}”`, shown: '0.60', set: 'actors.PAK.interests.security=0.6',
    reason: 'relations of PAK with' }, 'an interest weight raised');
  before = await runs();
  await page.click('#reset');
  await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before, { timeout: 30000 });

  // off: the EU's sanctions written off get a switch, off, that switches them on.
  before = await runs();
  await page.selectOption('#scenario', 'off');
  await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before, { timeout: 30000 });
  const switches = await page.evaluate(() => [...document.querySelectorAll('input[type=checkbox][data-key^="events."]')]
    .map((x) => `${x.dataset.key}:${x.checked}`));
  check(JSON.stringify(switches) === JSON.stringify(['events.0.enabled:true', 'events.1.enabled:false']),
    `the switches of an event on and one written off: ${switches}`);
  if (switches.length === 2) {
    check(await after(toggle, { key: 'events.1.enabled', on: true }) === '', 'the EU sanctions switched on do not run');
    check(JSON.stringify(await overrides()) === '["events.1.enabled=true"]', `switched on: ${await overrides()}`);
    check(await after(toggle, { key: 'events.1.enabled', on: false }) === '', 'the EU sanctions switched off again do not run');
    check((await overrides()).length === 0, `switched off again, as written: ${await overrides()}`);
  }

  // one: a single domain, so each actor's weight is 1: its slider is fixed, and input to it
  // changes nothing (at 0 it sent "NaN.0" to the engine).
  before = await runs();
  await page.selectOption('#scenario', 'one');
  await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before, { timeout: 30000 });
  const fixedWeight = await page.evaluate(() => {
    const input = document.querySelector('input[data-key="actors.AAA.interests.economy"]');
    return input && { disabled: input.disabled, hint: input.parentElement.parentElement.textContent };
  });
  check(fixedWeight && fixedWeight.disabled && /fixed at 1/.test(fixedWeight.hint), `a one-domain actor's weight: ${JSON.stringify(fixedWeight)}`);
  await page.evaluate(() => {
    const input = document.querySelector('input[data-key="actors.AAA.interests.economy"]');
    if (input) { input.value = '0'; input.dispatchEvent(new Event('input', { bubbles: true })); }
  });
  await frames();
  await frames();
  const err = await errorText();
  check(err === '' && (await overrides()).length === 0, `a one-domain weight moved: ${err} ${await overrides()}`);
} catch (error) {
  failures.push(`the browser session failed: ${error}`);
} finally {
  await close();
}
check(log.requests.length === 0, 'requests left the page: ' + log.requests.join(', '));
check(log.page_errors.length === 0, 'page errors: ' + log.page_errors.join(' | '));
for (const f of failures) console.error('FAIL: ' + f);
console.log(`lab_refusals.mjs: ${failures.length ? 'failed' : 'passed'}`);
process.exit(failures.length ? 1 : 0);
