// Opens an interdep HTML report in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from output/report/node_modules) with the network cut off, and checks what a
// person would see: no request leaves the page, no console or page error, every chart drawn,
// the network redrawn when the time slider moves. Writes every number the page shows with its
// data-* reference to a JSON file, which tests/report_check.py compares with h5py's reading.
//
//   node report_check.mjs REPORT.html SHOWN.json PLAYWRIGHT_DIR [SCREENSHOT.png]
//
// Exit status 0 when every check passed, 1 otherwise (each failure is printed).
import fs from 'node:fs';

import { openOffline } from './offline_browser.mjs';

const [reportPath, shownPath, playwrightDir, screenshotPath] = process.argv.slice(2);
if (!reportPath || !shownPath || !playwrightDir) {
  console.error('usage: node report_check.mjs REPORT.html SHOWN.json PLAYWRIGHT_DIR [SCREENSHOT.png]');
  process.exit(2);
}
const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

const { url: reportUrl, page, log, close } = await openOffline(reportPath, playwrightDir);
const result = { requests: log.requests, console_errors: log.console_errors,
  page_errors: log.page_errors, charts: {}, shown: [], comparison: [] };
try {
  // A page error stops the script for good: do not wait out the timeout then.
  const firstPageError = new Promise((resolve) => page.once('pageerror', () => resolve(false)));
  await page.goto(reportUrl, { waitUntil: 'load' });
  const ready = await Promise.race([firstPageError,
    page.waitForSelector('body[data-ready="true"]', { timeout: 20000 }).then(() => true, () => false)]);
  check(ready, 'the page script did not finish (body[data-ready] never set)');

  // Nothing refers outside the file: no src/href other than in-page anchors, no <link>.
  const outside = await page.evaluate(() => {
    const found = [];
    for (const node of document.querySelectorAll('[src], [href], link, iframe, img, object, embed')) {
      const ref = node.getAttribute('src') || node.getAttribute('href') || '';
      if (node.tagName === 'LINK' || !ref.startsWith('#')) found.push(node.outerHTML.slice(0, 120));
    }
    return found;
  });
  check(outside.length === 0, 'elements referring outside the page: ' + outside.join(' | '));
  check(await page.evaluate(() => typeof window.uPlot === 'function'), 'the uPlot library is not in the page');

  // Every chart container holds a canvas of non-zero size with lines drawn on it.
  async function chartPixels() {
    return page.evaluate(() => {
      const out = {};
      for (const box of document.querySelectorAll('[data-chart]')) {
        const canvas = box.querySelector('canvas');
        if (!canvas) { out[box.dataset.chart] = { canvas: false }; continue; }
        const context2d = canvas.getContext('2d');
        const { width, height } = canvas;
        let drawn = 0, coloured = 0;
        if (width > 0 && height > 0) {
          const pixels = context2d.getImageData(0, 0, width, height).data;
          for (let k = 0; k < pixels.length; k += 4) {
            if (pixels[k + 3] === 0) continue;
            ++drawn;
            // Saturated pixels: series lines and points, not the grey axes and grid.
            const max = Math.max(pixels[k], pixels[k + 1], pixels[k + 2]);
            const min = Math.min(pixels[k], pixels[k + 1], pixels[k + 2]);
            if (max - min > 60) ++coloured;
          }
        }
        const rect = box.getBoundingClientRect();
        out[box.dataset.chart] = { canvas: true, width: width, height: height, box_width: rect.width,
          box_height: rect.height, drawn: drawn, coloured: coloured };
      }
      return out;
    });
  }
  result.charts = await chartPixels();
  const expectedCharts = ['relation', 'trade', 'interdependence'];
  // The timeline is drawn for a run with events, else a sentence says there are none.
  const eventCount = await page.evaluate(() => JSON.parse(document.getElementById('interdep-data').textContent).events.length);
  if (eventCount > 0) expectedCharts.push('timeline');
  else check(/No events: the run applied none/.test(await page.textContent('#events')), 'a run without events does not say so');
  const actorCount = await page.evaluate(() => JSON.parse(document.getElementById('interdep-data').textContent).actors.length);
  const noSignedTriad = actorCount >= 3 && await page.$('#balance') !== null && /No triad is signed at any time/.test(await page.textContent('#balance'));
  if (await page.$('#network-svg') && actorCount >= 3 && !noSignedTriad) expectedCharts.push('balance');
  else if (actorCount < 3) check(/has no triads/.test(await page.textContent('#balance')), 'a world of two actors does not say it has no triads');
  // Gas is drawn only for a pair with gas between them, else a sentence says there is none.
  const gasEmpty = await page.evaluate(() => document.querySelector('[data-chart="gas"]').dataset.empty);
  if (gasEmpty === 'true') {
    check(/^No gas flows between /.test(await page.textContent('#gas-note')), 'an empty gas panel without its note');
  } else {
    expectedCharts.push('gas');
  }
  // The year axis has whole years, and the legends show the end of the run before any hover.
  const legendYear = await page.evaluate(() => {
    const value = document.querySelector('[data-chart="relation"] .u-legend .u-series:first-child .u-value');
    return value ? value.textContent : null;
  });
  check(/^\d{4}(-\d{2}){0,2}$/.test(legendYear || ''), `the relation chart's legend shows no year before a hover: '${legendYear}'`);
  for (const name of expectedCharts) {
    const chart = result.charts[name];
    if (!check(chart && chart.canvas, `chart ${name}: no canvas`)) continue;
    check(chart.width > 0 && chart.height > 0 && chart.box_width > 0 && chart.box_height > 0,
      `chart ${name}: zero size (${JSON.stringify(chart)})`);
    check(chart.coloured > 200, `chart ${name}: no series drawn (${chart.coloured} coloured pixels)`);
  }

  // The pair's events are listed under the relation chart with their labels whole (the chart's
  // marks carry numbers and as much of each label as fits): one item per event row between the
  // two, numbered as the Events table numbers it (#row + 1), an unlabelled one with a short
  // made-up label ("AA→BB impulse (−5)").
  result.pair_lists = [];
  async function checkEventList(view) {
    const listed = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('interdep-data').textContent);
      const box = document.querySelector('[data-chart="relation"]');
      const a = box.dataset.actor, b = box.dataset.partner;
      const expected = data.events.filter((e) => (e.actor === a && e.target === b) ||
        (e.actor === b && e.target === a)).map((e) => ({ number: e.row + 1, label: e.label }));
      const shown = [...document.querySelectorAll('#pair-events li')].map((li) => ({ number: li.value, text: li.textContent }));
      return { pair: a + ':' + b, expected, shown };
    });
    result.pair_lists.push(listed);
    const numbers = (list) => JSON.stringify(list.map((x) => x.number).sort((x, y) => x - y));
    const whole = listed.expected.every((e) => listed.shown.some((item) => item.number === e.number &&
      (e.label === '' ? item.text.trim().split(' ').length > 2 : item.text.endsWith(' ' + e.label))));
    check(whole && numbers(listed.shown) === numbers(listed.expected),
      `${view}: the events of ${listed.pair} are not each listed whole, with the Events table's number, under the relation chart: ` +
      `expected ${JSON.stringify(listed.expected)}, shown ${JSON.stringify(listed.shown)}`);
    return listed.shown.length;
  }
  let listedEvents = await checkEventList('first pair');

  // Nothing spills out of its card: every table (or the box it scrolls in) ends inside its card,
  // and the network's nodes do not overlap (a matrix of 20 actors ran 760 px past the card's
  // edge, and nodes of a fixed size covered each other from 17 actors).
  async function checkLayout(view) {
    const found = await page.evaluate(() => {
      const spilt = [];
      for (const table of document.querySelectorAll('section.card table')) {
        const card = table.closest('section.card').getBoundingClientRect();
        let box = table;
        for (let n = table.parentElement; n && !n.matches('section.card'); n = n.parentElement) {
          const overflow = getComputedStyle(n).overflowX;
          if (overflow === 'auto' || overflow === 'scroll') { box = n; break; }
        }
        const r = box.getBoundingClientRect();
        if (r.width > 0 && (r.right > card.right + 1 || r.left < card.left - 1))
          spilt.push((table.id || table.className || 'a table') + ' ends at ' + Math.round(r.right) + ' px, its card at ' + Math.round(card.right));
      }
      const nodes = [...document.querySelectorAll('#network-svg circle')].map((c) =>
        [Number(c.getAttribute('cx')), Number(c.getAttribute('cy')), Number(c.getAttribute('r'))]);
      let overlaps = 0;
      for (let i = 0; i < nodes.length; ++i) for (let j = i + 1; j < nodes.length; ++j)
        if (Math.hypot(nodes[i][0] - nodes[j][0], nodes[i][1] - nodes[j][1]) < nodes[i][2] + nodes[j][2]) ++overlaps;
      return { spilt, overlaps, nodes: nodes.length };
    });
    check(found.spilt.length === 0, `${view}: tables spill out of their cards: ${found.spilt.join('; ')}`);
    check(found.overlaps === 0, `${view}: ${found.overlaps} pairs of the network's ${found.nodes} nodes overlap`);
  }
  await checkLayout('end of run');

  // The texts on the charts do not overprint: the relation chart's event labels (each row's
  // texts left to right, apart) and the timeline's point labels (boxes apart). The page writes
  // where it put each into the chart's data-labels.
  async function checkLabels(view) {
    const labels = await page.evaluate(() => {
      const read = (name) => {
        const root = document.querySelector(`[data-chart="${name}"] .uplot`);
        return root && root.dataset.labels !== undefined ? JSON.parse(root.dataset.labels) : null;
      };
      return { relation: read('relation'), timeline: read('timeline'), events: document.querySelectorAll('#pair-events li').length,
        timelineShown: document.querySelector('[data-chart="timeline"]') !== null };
    });
    if (labels.events > 0 && check(labels.relation !== null, `${view}: the relation chart does not say where its event labels are`)) {
      const byRow = {};
      for (const l of labels.relation) (byRow[l.row] = byRow[l.row] || []).push(l);
      for (const row of Object.values(byRow)) {
        row.sort((a, b) => a.x0 - b.x0);
        for (let k = 1; k < row.length; ++k)
          check(row[k - 1].x1 <= row[k].x0, `${view}: event labels '${row[k - 1].text}' and '${row[k].text}' overprint on the relation chart`);
      }
    }
    if (labels.timelineShown && check(labels.timeline !== null, `${view}: the timeline does not say where its labels are`)) {
      const boxes = labels.timeline;
      for (let i = 0; i < boxes.length; ++i) for (let j = i + 1; j < boxes.length; ++j) {
        const a = boxes[i], b = boxes[j];
        check(a.x1 <= b.x0 || b.x1 <= a.x0 || a.bottom <= b.top || b.bottom <= a.top,
          `${view}: timeline labels '${a.text}' and '${b.text}' overprint`);
      }
    }
  }
  await checkLabels('end of run');

  // Collects every shown number with its reference (data-file, data-dataset, data-index).
  async function collectShown(label) {
    const rows = await page.evaluate(() => [...document.querySelectorAll('[data-dataset]')].map((node) => ({
      file: node.dataset.file, dataset: node.dataset.dataset, index: JSON.parse(node.dataset.index),
      text: node.dataset.value === undefined ? node.textContent : null,
      value: node.dataset.value === undefined ? null : Number(node.dataset.value),
    })));
    for (const row of rows) row.view = label;
    result.shown.push(...rows);
    return rows;
  }
  await collectShown('end of run');

  // The time slider: the network and the interdependence matrix redraw for the chosen frame.
  const slider = await page.$('#snapshot-frame');
  result.slider_labels = [];
  if (check(slider !== null, 'no time slider (#snapshot-frame)')) {
    const frames = Number(await slider.getAttribute('max')) + 1;
    for (const frame of [0, Math.floor(frames / 2), frames - 1]) {
      await page.evaluate((f) => {
        const input = document.getElementById('snapshot-frame');
        input.value = String(f);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, frame);
      result.slider_labels.push({ frame: frame, label: await page.textContent('#snapshot .time-label'),
        headings: await page.$$eval('#snapshot h3', (nodes) => nodes.map((n) => n.textContent)) });
      const matrixFrame = await page.getAttribute('#interdependence-matrix', 'data-frame');
      check(matrixFrame === String(frame), `interdependence matrix shows frame ${matrixFrame} after moving the slider to ${frame}`);
      const svg = await page.$('#network-svg');
      if (svg) {
        check(await svg.getAttribute('data-frame') === String(frame), `network shows frame ${await svg.getAttribute('data-frame')} after moving the slider to ${frame}`);
        const box = await svg.boundingBox();
        check(box && box.width > 0 && box.height > 0, 'network SVG has zero size');
        const lines = await page.$$eval('#network-svg line[data-dataset="network/sign"]', (nodes) => nodes.length);
        const circles = await page.$$eval('#network-svg circle', (nodes) => nodes.length);
        const actors = await page.$$eval('#end-relations thead th', (nodes) => nodes.length - 1);
        check(circles === actors && lines === actors * (actors - 1) / 2,
          `network at frame ${frame}: ${circles} nodes and ${lines} ties for ${actors} actors`);
      }
      await collectShown('slider at frame ' + frame);
    }
  }

  // Pairs with events (up to eight): each one's list is whole.
  const eventPairs = await page.evaluate(() => {
    const data = JSON.parse(document.getElementById('interdep-data').textContent);
    const index = new Map(data.actors.map((a, k) => [a.code, k]));
    const pairs = new Set();
    for (const e of data.events)
      if (index.has(e.actor) && index.has(e.target) && e.actor !== e.target) pairs.add(index.get(e.actor) + ':' + index.get(e.target));
    return [...pairs].slice(0, 8).map((p) => p.split(':').map(Number));
  });
  const pairSelects = await page.$$('#pair select');
  for (const [i, j] of eventPairs) {
    if (pairSelects.length < 2) break;
    await pairSelects[0].selectOption(String(i));
    await pairSelects[1].selectOption(String(j));
    listedEvents += await checkEventList(`pair ${i}:${j}`);
    await checkLabels(`pair ${i}:${j}`);
  }
  check(eventPairs.length === 0 || listedEvents > 0, 'pairs with events, but no event listed under the relation chart');
  result.listed_events = listedEvents;

  // Another pair and a domain: the relation chart redraws with lines.
  const selects = await page.$$('#pair select');
  if (check(selects.length === 3, 'the pair section should have actor, partner and relation selectors')) {
    await selects[0].selectOption({ index: 0 });
    await selects[1].selectOption({ index: 1 });
    await selects[2].selectOption({ index: 1 });
    const redrawn = await chartPixels();
    check(redrawn.relation && redrawn.relation.coloured > 200, 'relation chart empty after choosing another pair and domain');
    check(await page.getAttribute('[data-chart="relation"]', 'data-partner') !== null, 'relation chart lost its pair');
  }

  // Comparison rows: the four numbers of each, for the arithmetic checks in report_check.py.
  result.comparison = await page.$$eval('table.comparison tbody tr', (rows) => rows.map((row) => {
    const get = (role) => row.querySelector(`[data-role="${role}"]`).textContent;
    return { quantity: row.dataset.quantity, actor: Number(row.dataset.actor), partner: Number(row.dataset.partner),
      domain: row.dataset.domain === '' ? null : Number(row.dataset.domain), peak_time: Number(row.dataset.peakTime),
      scenario_end: get('scenario_end'), baseline_end: get('baseline_end'),
      end_difference: get('end_difference'), peak_difference: get('peak_difference') };
  }));
  result.narratives = await page.$$eval('article.narrative', (nodes) => nodes.map((n) => n.querySelector('.narrative-text').textContent));
  result.sections = await page.$$eval('section.card', (nodes) => nodes.map((n) => n.id));
  result.event_table = await page.$$eval('#event-table tbody tr', (rows) => rows.map((row) =>
    [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
  result.text = await page.evaluate(() => document.body.innerText);

  if (screenshotPath) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath, fullPage: true });
  }
} finally {
  await close();
}

check(result.requests.length === 0, `${result.requests.length} network request(s): ${result.requests.join(', ')}`);
check(result.console_errors.length === 0, 'console errors: ' + result.console_errors.join(' | '));
check(result.page_errors.length === 0, 'page errors: ' + result.page_errors.join(' | '));
check(result.shown.length > 0, 'no number on the page carries data-dataset');
fs.writeFileSync(shownPath, JSON.stringify(result, null, 1));

for (const failure of failures) console.error('FAIL: ' + failure);
console.log(`report_check.mjs: ${result.shown.length} shown numbers collected, charts ${Object.keys(result.charts).join(' ')}, ` +
  `${result.requests.length} requests, ${failures.length} failure(s)`);
process.exit(failures.length === 0 ? 0 : 1);
