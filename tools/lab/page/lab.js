// interdep lab (docs/lab.md): the page's script. The engine is interdep's own, compiled to
// WebAssembly (createInterdepLab, tools/lab/lab_core.cpp); the scenarios are the merged texts
// in #lab-data, written into the engine's in-memory file system. Every control sets one scenario
// key, as `interdep run --set KEY=VALUE` does, and any change reruns the scenario at once.
'use strict';

(async function main() {
  const data = JSON.parse(document.getElementById('lab-data').textContent);
  const $ = (id) => document.getElementById(id);
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

  // Everything the page shows comes from here; window.interdepLab lets a test read it.
  const lab = {
    scenario: data.scenarios[0].id,
    baseline: data.baseline,
    info: null,        // the chosen scenario as written (lab_describe)
    edits: new Map(),  // scenario key -> value text, in the order first set
    interestMoved: new Map(),  // actor code -> the interest key the student moved last
    current: null,     // the last run of the edited scenario
    baselineRun: null,
    runs: 0,
    overrides() { return [...this.edits].map(([k, v]) => `${k}=${v}`); },
    shownChange: null,  // how a change is printed (below), for the test
  };
  window.interdepLab = lab;

  function el(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) {
      if (k === 'text') node.textContent = v;
      else if (k === 'class') node.className = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }
  function showError(message) {
    const box = $('error');
    box.hidden = !message;
    box.textContent = message || '';
  }
  function yearMonth(t) {
    const year = Math.floor(t + 1e-9);
    const month = Math.min(12, Math.floor((t - year) * 12 + 1e-6) + 1);
    return `${year}-${String(month).padStart(2, '0')}`;
  }
  // A decimal year as a run of `perYear` steps a year counts it: "2027" (yearly), "2027 Q2"
  // (quarterly), "2027-04" (monthly), else the day its step starts ("2027-04-08"; the engine's
  // decimal year: year + (month - 1 + (day - 1) / days of the month) / 12).
  function dateOnClock(t, perYear) {
    const year = Math.floor(t + 1e-9);
    if (perYear === 1) return String(year);
    if (perYear === 4) return `${year} Q${Math.min(4, Math.floor((t - year) * 4 + 1e-6) + 1)}`;
    if (perYear === 12) return yearMonth(t);
    const months = (t - year) * 12;
    const month = Math.min(11, Math.floor(months + 1e-9));
    const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const day = Math.min(days, Math.floor((months - month) * days + 1e-6) + 1);
    return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  function fixed(x, digits = 3) { return Number.isFinite(x) ? x.toFixed(digits) : '—'; }
  // A change from `was` to `now` as the page prints it: by the engine's own rule, that of
  // `interdep explain` and `compare` (shown_change, engine/text/text_format.hpp): both ends and
  // the change to 3 decimals, more (up to 6) for a change too small to show in them and while
  // ends that differ print alike; the change is the printed ends' difference, so that "0.284
  // (baseline 0.275, +0.009)" adds up.
  function shownChange(now, was) {
    if (!Number.isFinite(now) || !Number.isFinite(was)) return { now: fixed(now), was: fixed(was), change: '—' };
    const shown = JSON.parse(shownChangeText(was, now));
    return { now: shown.now, was: shown.was, change: shown.change };
  }
  // A TOML float for an override: always with a '.' or an exponent.
  function tomlFloat(x) {
    const text = String(x);
    return /[.eE]/.test(text) ? text : `${text}.0`;
  }

  lab.shownChange = shownChange;

  // ---- the engine --------------------------------------------------------------------------
  let engine;
  try {
    // The module's bytes are in the page (base64): handed over, nothing is fetched.
    const text = document.getElementById('engine-wasm').textContent.trim();
    const binary = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    engine = await createInterdepLab({ wasmBinary: binary });
  } catch (e) {
    $('status').textContent = '';
    showError(`The engine could not start in this browser: ${e}`);
    return;
  }
  engine.FS.mkdir('/lab');
  for (const s of data.scenarios) engine.FS.writeFile(`/lab/${s.id}.toml`, s.text);
  const describeScenario = engine.cwrap('lab_describe', 'string', ['string', 'string']);
  const runScenarioText = engine.cwrap('lab_run', 'string', ['string', 'string']);
  const resolvedText = engine.cwrap('lab_resolved_text', 'string', []);
  const explainPair = engine.cwrap('lab_explain', 'string', ['number', 'number', 'number']);
  const shownChangeText = engine.cwrap('lab_shown_change', 'string', ['number', 'number']);

  // One run: the answer's datasets copied out of the engine's memory (the next run reuses it).
  function run(id, overrides) {
    const started = performance.now();
    const answer = JSON.parse(runScenarioText(`/lab/${id}.toml`, overrides.join('\n')));
    if (!answer.ok) return { error: answer };
    const result = { id, overrides: [...overrides], info: answer, time: answer.time,
      frames: answer.frames, text: resolvedText(), datasets: {} };
    for (const d of answer.datasets) {
      result.datasets[d.name] = { ...d,
        values: new Float64Array(engine.HEAPF64.buffer, d.offset, d.count).slice() };
    }
    result.ms = performance.now() - started;
    lab.inMemory = result;  // the run explain reads
    return result;
  }
  function describe(id) {
    const answer = JSON.parse(describeScenario(`/lab/${id}.toml`, ''));
    if (!answer.ok) throw new Error(answer.error);
    return answer;
  }

  // ---- reading a run -----------------------------------------------------------------------
  const actorIndex = (r, code) => r.info.actors.findIndex((a) => a.code === code);
  // The series of a pair dataset (actor, partner) for codes a, b; null when either is absent.
  function pairSeries(r, name, a, b) {
    const d = r && r.datasets[name];
    const i = r ? actorIndex(r, a) : -1, j = r ? actorIndex(r, b) : -1;
    if (!d || i < 0 || j < 0) return null;
    const n = r.info.actors.length, out = new Array(r.frames);
    for (let f = 0; f < r.frames; ++f) out[f] = d.values[f * d.frame_size + i * n + j];
    return out;
  }
  function relationSeries(r, a, b, domain) {
    if (domain === '') return pairSeries(r, 'relation_overall', a, b);
    const d = r && r.datasets.relations;
    const i = r ? actorIndex(r, a) : -1, j = r ? actorIndex(r, b) : -1;
    const k = r ? r.info.domains.findIndex((x) => x.name === domain) : -1;
    if (!d || i < 0 || j < 0 || k < 0) return null;
    const n = r.info.actors.length, nd = r.info.domains.length, out = new Array(r.frames);
    for (let f = 0; f < r.frames; ++f) out[f] = d.values[f * d.frame_size + (i * n + j) * nd + k];
    return out;
  }
  // The frame of run r at time t (frames matched by time, as below); -1 when it has none.
  const frameAt = (r, t) => r.time.findIndex((x) => x.toFixed(6) === t.toFixed(6));
  // A baseline series on the current run's time axis (frames matched by time; null elsewhere).
  function onCurrentTimes(baseRun, series) {
    if (!series) return null;
    const at = new Map(baseRun.time.map((t, f) => [t.toFixed(6), series[f]]));
    return lab.current.time.map((t) => (at.has(t.toFixed(6)) ? at.get(t.toFixed(6)) : null));
  }

  // ---- controls ----------------------------------------------------------------------------
  // Every control the page draws, by the key it sets: what names it (its label as the page shows
  // it, with the actor, event or institution it belongs to) and the value it shows, so that a
  // setting the engine refuses is said at its control (refusal below), whichever kind it is.
  const controls = new Map();
  function control(key, name, shown) { controls.set(key, { name, shown }); }
  // The one way a control changes a setting: `value` (TOML text) for `key`, no change when it is
  // the scenario's own (`original`); the rerun follows in the next frame, once for all the keys
  // one move set.
  function setEdit(key, value, original) {
    if (value === original) lab.edits.delete(key);
    else lab.edits.set(key, value);
    scheduleRun();
  }
  // A range for `key`, at the value as written (`value`) or at the change in force (`current`,
  // when the control is drawn again: another actor chosen and back).
  // `fixed`: shown, not movable (disabled, no listener).
  function slider(parent, { label, name, key, min, max, step, value, format, toValue, current, fixed: held }) {
    const now = current === undefined ? value : current;
    const shown = el('span', { class: 'value', text: format(now) });
    control(key, `“${name || label}”`, () => shown.textContent);
    const input = el('input', { type: 'range', min: String(min), max: String(max), step: String(step),
      value: String(now), 'data-key': key, 'aria-label': name || label });
    const box = el('div', { class: 'control' }, [el('label', {}, [el('span', { text: label }), shown]), input]);
    const original = toValue(value);
    box.classList.toggle('changed', toValue(now) !== original);
    if (held) {
      input.disabled = true;
      parent.append(box);
      return input;
    }
    input.addEventListener('input', () => {
      const v = Number(input.value);
      // Back where it was written (within half a step: the range keeps its own rounding of a
      // date such as 2025.1667): no change, not a change of the last digits.
      const back = Math.abs(v - value) < step / 2;
      shown.textContent = format(back ? value : v);
      box.classList.toggle('changed', !back);
      setEdit(key, back ? original : toValue(v), original);
    });
    parent.append(box);
    return input;
  }
  function niceMax(x) {
    const p = 10 ** Math.floor(Math.log10(x));
    return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= x);
  }

  function buildControls() {
    const info = lab.info, box = $('controls');
    controls.clear();
    box.replaceChildren(el('h2', { text: 'What if…' }));
    box.append(el('h3', { text: 'Decision rates (1/yr)' }));
    for (const [term, label] of [['pressure', 'pressure (third parties)'],
      ['balance', 'balance (friend of a friend)'], ['reciprocity', 'reciprocity']]) {
      const value = info.decide[term], max = niceMax(Math.max(3 * value, 1));
      slider(box, { label, key: `model.decide.${term}`, min: 0, max, step: max / 200, value,
        format: (v) => fixed(v, 2), toValue: tomlFloat });
    }

    box.append(el('h3', { text: 'An actor' }));
    const who = el('select', { id: 'control-actor', 'aria-label': 'actor to edit' },
      info.actors.map((a, i) => el('option', { value: String(i), text: `${a.name} (${a.code})` })));
    const actorBox = el('div');
    box.append(who, actorBox);
    const showActor = () => {
      const a = info.actors[Number(who.value)];
      actorBox.replaceChildren();
      const edited = (key) => (lab.edits.has(key) ? Number(lab.edits.get(key)) : undefined);
      slider(actorBox, { label: 'risk attitude (−1 averse … +1 accepting)', name: `risk attitude of ${a.name} (${a.code})`, key: `actors.${a.code}.risk`,
        min: -1, max: 1, step: 0.01, value: a.risk, format: (v) => fixed(v, 2), toValue: tomlFloat,
        current: edited(`actors.${a.code}.risk`) });
      const interestKey = (d) => `actors.${a.code}.interests.${d.name}`;
      if (info.domains.length === 1) {
        // One domain: the weight is always 1 (weights sum to 1), so there is nothing to move (its
        // slider at 0 sent "NaN.0" to the engine).
        const d = info.domains[0];
        slider(actorBox, { label: `${d.label || d.name} (interest of ${a.code})`, key: interestKey(d),
          min: 0, max: 1, step: 0.01, value: a.interests[0], format: (v) => fixed(v, 2), toValue: tomlFloat, fixed: true });
        actorBox.append(el('p', { class: 'hint', text: `Interest weight fixed at 1: ${d.label || d.name} is this scenario's only domain, and an actor's weights sum to 1.` }));
        return;
      }
      actorBox.append(el('p', { class: 'hint', text: 'Interest weights (the others rescale to sum to 1):' }));
      const inputs = [];
      info.domains.forEach((d, k) => {
        const input = slider(actorBox, { label: `${d.label || d.name} (interest of ${a.code})`,
          key: interestKey(d), min: 0, max: 1, step: 0.01, value: a.interests[k],
          format: (v) => fixed(v, 2), toValue: tomlFloat, current: edited(interestKey(d)) });
        inputs.push(input);
      });
      // The weights in force, exact: the changes' values, else as written. A move rescales these,
      // never the sliders' positions, which a range of step 0.01 rounds (a drag away and back
      // turned economy:energy 3:2 into 4:1).
      const weightsNow = () => info.domains.map((d, m) => (lab.edits.has(interestKey(d)) ? Number(lab.edits.get(interestKey(d))) : a.interests[m]));
      // One weight moved: the others keep their proportions and the sum stays 1.
      inputs.forEach((input, k) => input.addEventListener('input', () => {
        const written = a.interests;
        // Back where it was written (within half a step), as every slider.
        const v = Math.abs(Number(input.value) - written[k]) < 0.005 ? written[k] : Number(input.value);
        const was = weightsNow();
        const rest = was.reduce((s, w, m) => (m === k ? s : s + w), 0);
        let weights = was.map((w, m) => (m === k ? v : rest > 0 ? w * (1 - v) / rest : (1 - v) / (was.length - 1)));
        // All back where they were written (one slider dragged away and back, the others only
        // rescaled): the scenario as written, not a change in the last digits.
        if (weights.every((w, m) => Math.abs(w - written[m]) <= 1e-9)) weights = [...written];
        lab.interestMoved.set(a.code, interestKey(info.domains[k]));
        weights.forEach((w, m) => {
          // Each slider shows the weight that runs (its position only as near as its step).
          if (m !== k) inputs[m].value = String(w);
          inputs[m].parentElement.querySelector('.value').textContent = fixed(w, 2);
          inputs[m].parentElement.classList.toggle('changed', tomlFloat(w) !== tomlFloat(written[m]));
          setEdit(interestKey(info.domains[m]), tomlFloat(w), tomlFloat(written[m]));
        });
      }));
    };
    who.addEventListener('change', showActor);
    showActor();

    if (info.events.length) box.append(el('h3', { text: 'Events' }));
    // An event's date moves a step of the run's clock at a time and reads as that clock counts
    // (a yearly run's by a year: a month would offer dates that all act at one step).
    const perYear = info.steps / info.years;
    const start = info.start, last = info.start + info.years - 1 / perYear;
    const clockDate = (t) => dateOnClock(t, perYear);
    for (const e of info.events) {
      const item = el('div', { class: 'event' });
      const on = el('input', { type: 'checkbox', 'data-key': `events.${e.entry}.enabled` });
      // As written: an event written `enabled = false` starts off, for the class to switch on.
      const written = e.enabled !== false;
      on.checked = written;
      item.classList.toggle('off', !written);
      const what = e.label || e.kind;
      control(`events.${e.entry}.enabled`, `the switch of “${what}”`, () => (on.checked ? 'on' : 'off'));
      on.addEventListener('change', () => {
        item.classList.toggle('off', !on.checked);
        setEdit(`events.${e.entry}.enabled`, on.checked ? 'true' : 'false', written ? 'true' : 'false');
      });
      item.append(el('label', {}, [on, ` ${what}`]));
      if (!written) item.append(el('p', { class: 'hint', text: 'Written off in the scenario (enabled = false): switch it on to run it.' }));
      // Each control named with its event (screen readers listed a row of "date" sliders).
      slider(item, { label: 'date', name: `date of ${what}`, key: `events.${e.entry}.date`, min: start, max: last,
        step: 1 / perYear, value: e.date, format: clockDate, toValue: tomlFloat });
      if ((e.kind === 'sanction' || e.kind === 'trade_cost') && e.intensity > 0) {
        const max = niceMax(Math.max(3 * e.intensity, 1));
        slider(item, { label: 'intensity', name: `intensity of ${what}`, key: `events.${e.entry}.intensity`, min: max / 200, max,
          step: max / 200, value: e.intensity, format: (v) => fixed(v, 2), toValue: tomlFloat });
      }
      box.append(item);
    }

    if (info.institutions.length) box.append(el('h3', { text: 'Admission rules' }));
    for (const k of info.institutions) {
      const rule = el('select', { 'data-key': `institutions.${k.name}.rule` },
        ['consensus', 'majority', 'pce'].map((r) => el('option', { value: r, text: r })));
      rule.value = k.rule;
      control(`institutions.${k.name}.rule`, `the admission rule of ${k.label || k.name}`, () => rule.value);
      rule.addEventListener('change', () => setEdit(`institutions.${k.name}.rule`, `"${rule.value}"`, `"${k.rule}"`));
      box.append(el('div', { class: 'control' }, [el('label', {}, [el('span', { text: k.label || k.name }), rule])]));
    }
  }

  // ---- views -------------------------------------------------------------------------------
  const charts = {};
  // Draws (or updates) a uPlot chart; recreated when its series change.
  function chart(id, series, columns, { range } = {}) {
    const target = $(id);
    const key = JSON.stringify(series.map((s) => s.label)) + JSON.stringify(range || null);
    const plotData = [lab.current.time, ...columns];
    if (charts[id] && charts[id].key === key) {
      charts[id].plot.setData(plotData);
      return;
    }
    if (charts[id]) charts[id].plot.destroy();
    const width = Math.max(320, target.clientWidth || 800);
    const options = {
      width, height: 300,
      scales: { x: { time: false }, y: range ? { range: () => range } : {} },
      // Axis text a projector shows (uPlot's own is 12 px).
      axes: [{ font: '15px system-ui, sans-serif', values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
        { font: '15px system-ui, sans-serif', size: 60 }],
      legend: { live: true },
      // Before the cursor is over a chart, its legend shows the last month's values (idx is null).
      series: [{ label: 'year', value: (u, t, k, idx) => yearMonth(idx == null ? u.data[0][u.data[0].length - 1] : t) },
        ...series.map((s) => ({
          label: s.label, stroke: s.color, width: s.dash ? 1.5 : 2.5, dash: s.dash ? [6, 5] : undefined,
          value: (u, v, k, idx) => {
            const shown = idx == null ? u.data[k][u.data[k].length - 1] : v;
            return shown == null ? '—' : fixed(shown, 4);
          },
          spanGaps: false,
        }))],
    };
    target.replaceChildren();
    charts[id] = { key, plot: new uPlot(options, plotData, target) };
  }
  // Charts follow the page's width (a window made narrower on a projector).
  let resizing = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(() => {
      for (const [id, c] of Object.entries(charts))
        c.plot.setSize({ width: Math.max(320, $(id).clientWidth || 800), height: 300 });
    });
  });

  function fillPickers() {
    const info = lab.info;
    const options = (select, items, keep) => {
      const before = select.value;
      select.replaceChildren(...items.map(([v, t]) => el('option', { value: v, text: t })));
      if (keep && items.some(([v]) => v === before)) select.value = before;
    };
    const actors = info.actors.map((a) => [a.code, `${a.name} (${a.code})`]);
    const first = !$('actor').options.length;
    options($('actor'), actors, true);
    options($('partner'), actors, true);
    // At first Pakistan and Russia, the pair the mission's scenarios are about, where present.
    const has = (code) => actors.some(([c]) => c === code);
    if (first && has('PAK')) $('actor').value = 'PAK';
    if (first && has('RUS')) $('partner').value = 'RUS';
    if ($('partner').value === $('actor').value && actors.length > 1)
      $('partner').value = actors.find(([c]) => c !== $('actor').value)[0];
    for (const x of ['actor', 'partner']) $(x).dataset.was = $(x).value;  // the pair before a change
    options($('domain'), [['', 'overall (interest-weighted)'], ...info.domains.map((d) => [d.name, d.label || d.name])], true);
  }

  function drawViews() {
    const cur = lab.current, base = lab.baselineRun;
    if (!cur) return;
    const a = $('actor').value, b = $('partner').value, domain = $('domain').value;
    const name = (code) => (cur.info.actors.find((x) => x.code === code) || { name: code }).name;
    const full = $('full-range').checked;
    const last = cur.frames - 1;

    // Relations, both directions, with the baseline dashed.
    const rel = [relationSeries(cur, a, b, domain), relationSeries(cur, b, a, domain)];
    const relBase = base ? [onCurrentTimes(base, relationSeries(base, a, b, domain)),
      onCurrentTimes(base, relationSeries(base, b, a, domain))] : [null, null];
    const relSeries = [], relCols = [];
    [[`${name(a)} → ${name(b)}`, 0], [`${name(b)} → ${name(a)}`, 1]].forEach(([label, k]) => {
      relSeries.push({ label, color: COLORS[k] }); relCols.push(rel[k]);
      if (relBase[k]) { relSeries.push({ label: `${label} (baseline)`, color: COLORS[k], dash: true }); relCols.push(relBase[k]); }
    });
    chart('chart-relations', relSeries, relCols, { range: full ? [-1, 1] : undefined });

    // Trade both ways; gas only where some flows.
    const flowSeries = [], flowCols = [];
    const addFlow = (dataset, from, to, k, unit) => {
      const s = pairSeries(cur, dataset, from, to);
      const sb = base ? onCurrentTimes(base, pairSeries(base, dataset, from, to)) : null;
      const any = (x) => x && x.some((v) => v !== null && v !== 0);
      if (dataset === 'energy' && !any(s) && !any(sb)) return false;
      const label = `${dataset === 'trade' ? 'exports' : 'gas'} ${name(from)} → ${name(to)}, ${unit}`;
      flowSeries.push({ label, color: COLORS[k] }); flowCols.push(s);
      if (sb) { flowSeries.push({ label: `${label} (baseline)`, color: COLORS[k], dash: true }); flowCols.push(sb); }
      return true;
    };
    addFlow('trade', a, b, 0, 'US$ bn/yr'); addFlow('trade', b, a, 1, 'US$ bn/yr');
    const gas = [addFlow('energy', a, b, 2, 'bcm/yr'), addFlow('energy', b, a, 3, 'bcm/yr')];
    chart('chart-flows', flowSeries, flowCols);
    $('flows-note').textContent = gas.some(Boolean) ? '' : `No gas flows between ${name(a)} and ${name(b)} in either run.`;

    // Interdependence of a on b, and the leverage between them.
    const lev = pairSeries(cur, 'leverage', a, b);  // V[a,b] - V[b,a]: b's leverage over a
    const intSeries = [
      { label: `sensitivity of ${name(a)} to ${name(b)}`, color: COLORS[0] },
      { label: `vulnerability of ${name(a)} to ${name(b)}`, color: COLORS[1] },
      { label: `vulnerability of ${name(b)} to ${name(a)}`, color: COLORS[2] },
      { label: `leverage of ${name(a)} over ${name(b)}`, color: COLORS[3] }];
    const intCols = [pairSeries(cur, 'sensitivity', a, b), pairSeries(cur, 'vulnerability', a, b),
      pairSeries(cur, 'vulnerability', b, a), lev && lev.map((v) => -v)];
    if (base) {
      const lb = onCurrentTimes(base, pairSeries(base, 'leverage', a, b));
      if (lb) { intSeries.push({ label: `leverage of ${name(a)} over ${name(b)} (baseline)`, color: COLORS[3], dash: true }); intCols.push(lb.map((v) => (v == null ? null : -v))); }
    }
    chart('chart-interdependence', intSeries, intCols);

    // The pair in words, at the end of the run.
    const end = yearMonth(cur.time[last]);
    const r = rel[0] ? rel[0][last] : NaN, rb = relBase[0] ? relBase[0][last] : null;
    const lv = lev ? -lev[last] : NaN;
    const holder = lv >= 0 ? name(a) : name(b), other = lv >= 0 ? name(b) : name(a);
    const shown = rb != null ? shownChange(r, rb) : { now: fixed(r) };
    $('pair-summary').textContent = `In ${end}: ${name(a)}'s ${domain ? `${domain} ` : ''}relation toward ${name(b)} is ${shown.now}` +
      (rb != null ? ` (baseline ${shown.was}, ${shown.change})` : '') +
      `. ${holder} holds leverage over ${other}: ${fixed(Math.abs(lv), 4)} (vulnerability ${other} minus ${holder}).`;

    drawExplanation(cur, a, b, domain);
    drawMemberships(cur, base);
    drawNetwork(cur);
    drawChanges(cur, base);
  }

  // explain's account of the pair over the whole run (the engine's own, as `interdep explain`).
  function drawExplanation(cur, a, b, domain) {
    const box = $('explain');
    if (lab.inMemory !== cur) { box.textContent = ''; return; }
    const d = domain === '' ? -1 : cur.info.domains.findIndex((x) => x.name === domain);
    const answer = JSON.parse(explainPair(actorIndex(cur, a), actorIndex(cur, b), d));
    box.textContent = answer.ok ? answer.text : `No account for this pair: ${answer.error}`;
  }

  function drawMemberships(cur, base) {
    const box = $('memberships');
    const ins = cur.info.institutions, n = cur.info.actors.length, ni = ins.length;
    if (!ni) { box.replaceChildren(el('p', { class: 'hint', text: 'This scenario has no institutions.' })); return; }
    const m = cur.datasets.membership;
    // The baseline's state when this run ends (none when the baseline does not reach it).
    const baseEnd = base ? frameAt(base, cur.time[cur.frames - 1]) : -1;
    const rows = [];
    ins.forEach((k, q) => {
      for (let i = 0; i < n; ++i) {
        const at = (f) => m.values[f * m.frame_size + i * ni + q];
        const changes = [];
        for (let f = 1; f < cur.frames; ++f)
          if (at(f) !== at(f - 1)) changes.push(`${at(f) ? 'joins' : 'leaves'} ${yearMonth(cur.time[f])}`);
        let inBase = '';
        if (base && baseEnd >= 0) {
          const bi = actorIndex(base, cur.info.actors[i].code), bq = base.info.institutions.findIndex((x) => x.name === k.name);
          const bm = base.datasets.membership;
          if (bi >= 0 && bq >= 0 && bm) inBase = bm.values[baseEnd * bm.frame_size + bi * base.info.institutions.length + bq] ? 'member' : '—';
        }
        if (!at(0) && !changes.length && inBase !== 'member') continue;
        rows.push(el('tr', {}, [el('td', { text: k.label || k.name }), el('td', { text: cur.info.actors[i].name }),
          el('td', { text: at(0) ? 'member' : '—' }), el('td', { text: changes.join(', ') || 'no change' }),
          el('td', { text: at(cur.frames - 1) ? 'member' : '—' }), el('td', { text: inBase })]));
      }
    });
    box.replaceChildren(el('table', {}, [el('tr', {}, ['institution', 'actor', 'at the start', 'changes', 'at the end', 'baseline at the end'].map((t) => el('th', { text: t }))), ...rows]));
  }

  function drawNetwork(cur) {
    const slider = $('network-time');
    slider.max = String(cur.frames - 1);  // a position a recorded frame ([output] every)
    const f = Math.min(Number(slider.value), cur.frames - 1);
    const threshold = cur.info.tie_threshold ?? 0.1;  // [network] tie_threshold, as the report
    $('network-threshold').textContent = fixed(threshold, 2);
    $('network-time-label').textContent = yearMonth(cur.time[f]);
    const n = cur.info.actors.length, d = cur.datasets.relation_overall;
    const size = 560, c = size / 2, radius = size / 2 - 70;
    const at = (i) => [c + radius * Math.cos(2 * Math.PI * i / n - Math.PI / 2), c + radius * Math.sin(2 * Math.PI * i / n - Math.PI / 2)];
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `signed network in ${yearMonth(cur.time[f])}`);
    for (let i = 0; i < n; ++i) for (let j = i + 1; j < n; ++j) {
      const r = (d.values[f * d.frame_size + i * n + j] + d.values[f * d.frame_size + j * n + i]) / 2;
      if (!(Math.abs(r) > threshold)) continue;
      const line = document.createElementNS(NS, 'line');
      const [x1, y1] = at(i), [x2, y2] = at(j);
      Object.entries({ x1, y1, x2, y2, stroke: r > 0 ? '#009e73' : '#d55e00', 'stroke-width': 1 + 8 * Math.abs(r),
        'stroke-dasharray': r > 0 ? '' : '8 5', 'data-pair': `${cur.info.actors[i].code}-${cur.info.actors[j].code}` })
        .forEach(([k, v]) => line.setAttribute(k, String(v)));
      const title = document.createElementNS(NS, 'title');
      title.textContent = `${cur.info.actors[i].name} – ${cur.info.actors[j].name}: ${fixed(r)}`;
      line.append(title);
      svg.append(line);
    }
    cur.info.actors.forEach((a, i) => {
      const [x, y] = at(i);
      const dot = document.createElementNS(NS, 'circle');
      Object.entries({ cx: x, cy: y, r: 22, fill: '#fff', stroke: '#111', 'stroke-width': 2 }).forEach(([k, v]) => dot.setAttribute(k, String(v)));
      const label = document.createElementNS(NS, 'text');
      Object.entries({ x, y: y + 6, 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 600 }).forEach(([k, v]) => label.setAttribute(k, String(v)));
      label.textContent = a.code;
      svg.append(dot, label);
    });
    $('network').replaceChildren(svg);
  }

  // The pairs whose overall relation at the end moved most against the baseline: both read when
  // this run ends (a baseline of another period is read at that time, or not at all), over the
  // pairs both runs have.
  function drawChanges(cur, base) {
    const box = $('changes');
    if (!base) { box.replaceChildren(el('p', { class: 'hint', text: 'No baseline chosen.' })); return; }
    const end = cur.frames - 1, when = yearMonth(cur.time[end]), baseEnd = frameAt(base, cur.time[end]);
    if (baseEnd < 0) {
      box.replaceChildren(el('p', { class: 'hint', text: `Not compared: this run ends in ${when}, and the baseline, `
        + `which runs from ${yearMonth(base.time[0])} to ${yearMonth(base.time[base.frames - 1])}, has no state then.` }));
      return;
    }
    const missing = cur.info.actors.filter((x) => actorIndex(base, x.code) < 0).map((x) => x.name);
    const notes = missing.length
      ? [el('p', { class: 'hint', text: `Not compared: the pairs of ${missing.join(', ')}, whom the baseline does not have.` })] : [];
    if (cur.info.actors.length - missing.length < 2) { box.replaceChildren(...notes); return; }
    const rows = [];
    const n = cur.info.actors.length;
    for (let i = 0; i < n; ++i) for (let j = 0; j < n; ++j) {
      if (i === j) continue;
      const a = cur.info.actors[i].code, b = cur.info.actors[j].code;
      const s = pairSeries(cur, 'relation_overall', a, b), sb = pairSeries(base, 'relation_overall', a, b);
      if (!s || !sb) continue;
      const delta = s[end] - sb[baseEnd];
      if (Math.abs(delta) < 5e-4) continue;
      rows.push({ a: cur.info.actors[i].name, b: cur.info.actors[j].name, now: s[end], was: sb[baseEnd], delta });
    }
    rows.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
    if (!rows.length) {
      box.replaceChildren(el('p', { text: `No overall relation ends (${when}) more than 0.0005 away from the baseline`
        + `${missing.length ? ' among the pairs both have' : ''}.` }), ...notes);
      return;
    }
    box.replaceChildren(el('table', {}, [el('tr', {}, [`relation in ${when}`, 'now', 'baseline', 'change'].map((t) => el('th', { text: t }))),
      ...rows.slice(0, 8).map((r) => {
        const shown = shownChange(r.now, r.was);  // each row to the decimals its change needs
        return el('tr', {}, [el('td', { text: `${r.a} → ${r.b}` }), el('td', { class: 'num', text: shown.now }),
          el('td', { class: 'num', text: shown.was }), el('td', { class: `num ${r.delta > 0 ? 'positive' : 'negative'}`, text: shown.change })]);
      })]), ...notes);
  }

  // ---- running -----------------------------------------------------------------------------
  let pending = false;
  function scheduleRun() {
    if (pending) return;
    pending = true;
    lab.inputAt = performance.now();
    requestAnimationFrame(() => { pending = false; rerun(); });
  }
  // The baseline run of the menu's choice, when the one held is another's; explain reads the
  // engine's last run, so the run `shown` is then run again (the same numbers) and returned.
  function followBaseline(shown) {
    const baseId = lab.baseline || lab.scenario;
    if (lab.baselineRun && lab.baselineRun.id === baseId) return shown;
    const base = run(baseId, []);
    lab.baselineRun = base.error ? null : base;
    if (lab.inMemory !== shown) {
      const again = run(shown.id, shown.overrides);
      if (!again.error) return again;
    }
    return shown;
  }
  function rerun() {
    const started = performance.now();
    const result = run(lab.scenario, lab.overrides());
    if (result.error) {
      const text = result.error.error;
      // Out of memory is the browser's limit, not the setting's (the first run has no setting).
      showError(/bad_alloc/.test(text)
        ? `This world is too large for the browser's memory (${text}): run it with interdep run, or model fewer actors or years, or record fewer frames ([output] every).`
        : refusal(result.error));
      // The charts keep the last valid run, against the baseline the menu shows (another chosen
      // while a refusal is shown left the old baseline's numbers, then "No baseline chosen.").
      if (lab.current && lab.current.id === lab.scenario) {
        const baseId = lab.baseline || lab.scenario;
        if (!lab.baselineRun || lab.baselineRun.id !== baseId) {
          lab.current = followBaseline(lab.current);
          drawViews();
        }
      }
      return;
    }
    showError('');
    lab.current = followBaseline(result);
    drawViews();
    lab.runs += 1;
    lab.lastMs = performance.now() - started;
    $('status').textContent = `Run ${lab.runs}: ${result.info.name}, ${result.frames} frames, engine ${fixed(result.ms, 1)} ms, redrawn in ${fixed(lab.lastMs, 1)} ms` +
      (lab.edits.size ? ` · ${lab.edits.size} change${lab.edits.size > 1 ? 's' : ''}: ${lab.overrides().join(', ')}` : ' · as written');
    // Slider to redrawn charts: from the first input of this rerun to the frame after the
    // charts were drawn (the page's own measure, docs/performance.md).
    if (lab.inputAt !== undefined) {
      const inputAt = lab.inputAt;
      lab.inputAt = undefined;
      requestAnimationFrame(() => { lab.latencyMs = performance.now() - inputAt; document.body.dataset.latency = String(lab.latencyMs); });
    }
    document.body.dataset.runs = String(lab.runs);
  }

  // A setting the engine refused, said at the control that made it: its name, the value it
  // shows and the key and value it set, and the engine's reason with the key it is about. Not
  // the place in the scenario's merged text, a text in the engine's memory that no one sees.
  function refusal(error) {
    let assignment = error.override || '';
    let key = assignment ? assignment.slice(0, assignment.indexOf('=')) : '';
    // An interest weight the rescale wrote: said at the slider the student moved (the engine
    // names the last weight written, one the student did not touch).
    const interest = /^actors\.(.+)\.interests\.[^.]+$/.exec(key);
    const moved = interest && lab.interestMoved.get(interest[1]);
    if (moved && moved !== key && lab.edits.has(moved)) {
      key = moved;
      assignment = `${moved}=${lab.edits.get(moved)}`;
    }
    // The key in error, where it is not the control's own (the lift an event switched off left
    // with nothing to lift).
    const at = error.key && error.key !== key ? `key '${error.key}'${eventName(error.key)}: ` : '';
    // The command line's note of the --set that caused it ("(refused once --set K=V applies:
    // ...)") says again, in words a student never typed, what the control named below says.
    const message = assignment && error.message ? error.message.replace(/ \(refused once --set [^]*\)$/, '') : error.message;
    const reason = error.input ? at + message : error.error;
    if (!assignment) {
      return studentTerms(lab.edits.size ? `This setting is refused (changes in force: ${lab.overrides().join(', ')}): ${reason}`
        : `This scenario is refused: ${reason}`);
    }
    const c = controls.get(key);
    const named = c ? `${c.name}, set to ${c.shown()} (${assignment}),` : `The setting ${assignment}`;
    return studentTerms(`${named[0].toUpperCase()}${named.slice(1)} is refused: ${reason}`);
  }
  // The places the engine's reason gives for the values it is about, in the student's terms: a
  // value of the scenario's merged text (" (X = 4 was set at /lab/fast.toml:68; ...)", a text in
  // the engine's memory that no one sees) is "written in the scenario", a value a control set
  // ("was set by --set K=V") is set by that control, named as the controls are.
  function studentTerms(text) {
    return text
      .replace(/ was set by --set ([^=;()\s]+)=[^;()]*/g, (all, key) => {
        const c = controls.get(key);
        return c ? ` is set by ${c.name}` : ` is set by the change ${key}`;
      })
      .replace(/ was set at \/lab\/[^;()]*?:\d+(?::\d+)?(?=[;)]|$)/g, ' is written in the scenario')
      .replace(/ (?:set )?at \/lab\/[^;()]*?:\d+(?::\d+)?(?=[;),.:]|\s|$)/g, (all) => (all.startsWith(' set') ? ' set in the scenario' : ' in the scenario'))
      .replace(/\/lab\/[^\s;()]*?\.toml(?::\d+)*/g, 'the scenario');
  }
  // The event an events.N key is about, by its label as the controls show it.
  function eventName(key) {
    const m = /^events\.(\d+)\./.exec(key);
    const e = m && lab.info.events.find((x) => x.entry === Number(m[1]));
    return e ? ` (“${e.label || e.kind}”)` : '';
  }

  function chooseScenario(id) {
    lab.scenario = id;
    lab.edits.clear();
    lab.interestMoved.clear();
    lab.info = describe(id);
    const s = data.scenarios.find((x) => x.id === id);
    $('scenario-description').textContent = s.description || '';
    buildControls();
    fillPickers();
    rerun();
  }

  // Two files of one name and stem (other/baseline.toml beside baseline.toml) are told apart by
  // their ids (baseline, baseline-2: what --baseline takes).
  const label = (s) => `${s.name} (${s.file.split('/').pop()})`;
  const shared = (s) => data.scenarios.filter((t) => label(t) === label(s)).length > 1;
  $('scenario').append(...data.scenarios.map((s) => el('option', { value: s.id, text: label(s) + (shared(s) ? ` [${s.id}]` : '') })));
  $('baseline').append(el('option', { value: '', text: 'the chosen scenario as written' }),
    ...data.scenarios.map((s) => el('option', { value: s.id, text: s.name + (shared(s) ? ` [${s.id}]` : '') })));
  $('baseline').value = lab.baseline;
  $('scenario').addEventListener('change', () => chooseScenario($('scenario').value));
  $('baseline').addEventListener('change', () => { lab.baseline = $('baseline').value; lab.baselineRun = null; rerun(); });
  $('reset').addEventListener('click', () => chooseScenario(lab.scenario));
  // A pair is two actors: choosing the partner's actor as the actor (or back) swaps the two.
  for (const [id, other] of [['actor', 'partner'], ['partner', 'actor']]) {
    $(id).addEventListener('change', () => {
      if ($(id).value === $(other).value) $(other).value = $(id).dataset.was;
      for (const x of ['actor', 'partner']) $(x).dataset.was = $(x).value;
    });
  }
  for (const id of ['actor', 'partner', 'domain', 'full-range']) $(id).addEventListener('change', drawViews);
  $('network-time').addEventListener('input', () => lab.current && drawNetwork(lab.current));
  $('download').addEventListener('click', () => {
    if (!lab.current) return;
    // The file is the last run that passed (the charts' run), headed by the changes its text
    // holds, as comments: the merged text alone does not say which keys the page moved. A
    // setting refused since is not in it, and the header says so (it listed the refused change
    // above a text without it).
    const r = lab.current, held = r.overrides;
    let said = held.length
      ? `# Edited in interdep lab from "${r.id}": ${held.join(', ')}\n`
      : `# "${r.id}" as written, from interdep lab\n`;
    const refused = lab.overrides().filter((o) => !held.includes(o));
    const dropped = held.filter((o) => !lab.edits.has(o.slice(0, o.indexOf('='))));
    if (refused.length || dropped.length) {
      said += '# The last run that passed, the one the charts show; not in it, refused: '
        + `${[...refused, ...dropped.map((o) => `${o.slice(0, o.indexOf('='))} as written`)].join(', ')}\n`;
    }
    const url = URL.createObjectURL(new Blob([said + r.text], { type: 'application/toml' }));
    const link = el('a', { href: url, download: `${r.id}-edited.toml` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  try {
    chooseScenario(lab.scenario);
  } catch (e) {
    showError(String(e));
  }
})();
