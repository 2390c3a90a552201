// interdep report page: draws everything from the JSON data block (#interdep-data, written by
// output/report/report_data.cpp; fields in docs/report.md) with uPlot (inlined beside this
// script) and plain SVG/DOM. Loads nothing.
//
// Every number the browser test checks (tests/report_check.mjs) carries
//   data-file="run"|"baseline"  data-dataset="<HDF5 dataset path>"  data-index="[frame, i, ...]"
// (the index into that dataset as h5py reads it) and either shows the value as its text, rounded,
// or holds it exactly in data-value when it is drawn rather than written (tie signs, camps).
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('interdep-data').textContent);
  const N = data.actors.length;
  const D = data.domains.length;
  const F = data.frames;
  // A large world's page holds every k-th recorded frame (data.file_frames: where each shown
  // frame is in the file; null when every frame is shown). Indices into the file go through it.
  const fileFrame = (f) => (data.file_frames ? data.file_frames[f] : f);
  const LAST = F - 1;
  const time = data.time;
  const baseline = data.baseline;  // null without --baseline
  const network = data.network;    // null when the file has no /network group

  // Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
  const COLOURS = { blue: '#0072b2', orange: '#e69f00', green: '#009e73', vermillion: '#d55e00',
    sky: '#56b4e9', pink: '#cc79a7', yellow: '#f0e442', black: '#000000' };
  const FACTION_COLOURS = [COLOURS.blue, COLOURS.orange, COLOURS.sky, COLOURS.pink, COLOURS.yellow, '#999999'];
  const MINUS = '\u2212';

  // ---------------------------------------------------------------------------------------------
  // Small helpers.

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null) continue;
      if (name === 'text') node.textContent = value;
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, String(value));
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';  // the SVG namespace name, not a resource
  function svgEl(tag, attributes) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  }

  // `value` with `digits` decimals and a true minus sign; n/a for null (NaN or infinite in the file).
  function fmt(value, digits) {
    if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
    let text = value.toFixed(digits);
    if (Number(text) === 0) text = (0).toFixed(digits);  // no "−0.000"
    return text.replace('-', MINUS);
  }

  // Decimals for a matrix cell: 3, or two significant digits for a value that 3 decimals show as
  // 0 (a partner's vulnerability of 0.000061 is the asymmetry a lesson reads), at most 9.
  function matrixDigits(value) { return digitsFor(value, 3); }
  // `base` decimals, or two significant digits (at most 9 decimals) for a value they show as 0.
  function digitsFor(value, base) {
    if (value === null || !Number.isFinite(value) || value === 0 || Math.abs(value) >= 0.5 * Math.pow(10, -base)) return base;
    return Math.min(9, Math.max(base, 1 - Math.floor(Math.log10(Math.abs(value)))));
  }

  // The run's clock: one step is data.run.dt years. Its unit in words ("month", "week", "day",
  // "year", else "step") and how a time is written by it: a year's steps as "2025", a month's
  // (or quarter's) as "2025-03", a week's or day's as the day "2025-03-15", so that the frames of
  // a weekly run are told apart.
  const DT = data.run.dt;
  const whole = (x) => x >= 1 - 1e-6 && Math.abs(x - Math.round(x)) < 1e-6;
  const STEP_WORD = whole(DT) && Math.round(DT) === 1 ? 'year' : whole(DT * 12) && Math.round(DT * 12) === 1 ? 'month'
    : whole(DT * 4) && Math.round(DT * 4) === 1 ? 'quarter' : whole(DT * 52) && Math.round(DT * 52) === 1 ? 'week'
    : (whole(DT * 365) && Math.round(DT * 365) === 1) || (whole(DT * 366) && Math.round(DT * 366) === 1) ? 'day' : 'step';
  const CLOCK = whole(DT) ? 'year' : whole(DT * 12) ? 'month' : 'day';
  // A decimal year as "2025-03" (the month its 1/12 yr slot falls in, as the command line prints
  // dates).
  function fmtMonth(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
    const year = Math.floor(value + 1e-6);
    const month = Math.min(12, Math.max(1, Math.floor((value - year) * 12 + 1e-6) + 1));
    return year + '-' + String(month).padStart(2, '0');
  }
  // A decimal year by the run's clock: "2025" (yearly), "2025-03" (monthly), "2025-03-15" (the
  // day a weekly or daily step falls in, as decimal_year counts days: 1/12 yr a month).
  function fmtYear(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
    if (CLOCK === 'year') return String(Math.floor(value + 1e-6));
    if (CLOCK === 'month') return fmtMonth(value);
    const year = Math.floor(value + 1e-9);
    const months = (value - year) * 12;
    const month = Math.min(12, Math.max(1, Math.floor(months + 1e-9) + 1));
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const day = Math.min(days, Math.max(1, Math.floor((months - (month - 1)) * days + 1e-6) + 1));
    return fmtMonth(value) + '-' + String(day).padStart(2, '0');
  }
  // Ticks on a time axis: whole years (every 2 or 5 over long spans), quarters when zoomed in.
  // The step grows where the labels would not fit the chart's width (a half-width chart of a
  // two-year run drew "2030-042030-072030-10"): about 40 px a year's label, 65 px a month's.
  const YEAR_STEPS = [1 / 12, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100];
  function yearSplits(u, axisIndex, min, max) {
    const span = max - min;
    const width = u && u.bbox && u.bbox.width > 0 ? u.bbox.width / (window.devicePixelRatio || 1) : Infinity;
    const fits = (s) => (span / s) * (s >= 1 ? 40 : 65) <= width;
    let step = span > 30 ? 5 : span > 14 ? 2 : span >= 3 ? 1 : span >= 1 ? 0.25 : 1 / 12;
    for (const larger of YEAR_STEPS) if (larger > step && !fits(step)) step = larger;
    const out = [];
    for (let t = Math.ceil(min / step - 1e-9) * step; t <= max + 1e-9; t += step) out.push(Math.round(t * 12) / 12);
    return out;
  }
  function yearTicks(u, ticks) {
    return ticks.map((t) => (Math.abs(t - Math.round(t)) < 1e-9 ? String(Math.round(t)) : fmtMonth(t)));
  }

  // A table cell (or other element) showing a number from the result file, with the attributes
  // the browser test reads.
  function shownNumber(tag, value, digits, file, dataset, index, extraClass) {
    const sign = value > 0 ? ' positive' : value < 0 ? ' negative' : '';
    return el(tag, {
      class: 'number' + (extraClass ? ' ' + extraClass : '') + (dataset.startsWith('relation') ? sign : ''),
      text: fmt(value, digits), 'data-file': file, 'data-dataset': dataset,
      'data-index': JSON.stringify(index),
    });
  }
  // A time as year-month (the step's month), its exact value kept for the page's checks and as a
  // tooltip in decimal years.
  function shownTime(value, file, dataset, index) {
    return el('td', { class: 'number', text: fmtYear(value), title: fmt(value, 4) + ' (decimal years)',
      'data-file': file, 'data-dataset': dataset, 'data-index': JSON.stringify(index), 'data-value': value });
  }

  const pairIndex = (i, j) => i * N + j;
  const pairValue = (series, f, i, j) => series[f * N * N + pairIndex(i, j)];
  const relationValue = (series, f, i, j, d) => series[(f * N * N + pairIndex(i, j)) * D + d];
  const actorIndex = (code) => data.actors.findIndex((a) => a.code === code);
  const actorName = (code) => { const k = actorIndex(code); return k >= 0 ? data.actors[k].name : code; };

  function section(id, title, hint) {
    const card = el('section', { id: id, class: 'card' }, [el('h2', { text: title })]);
    if (hint) card.append(el('p', { class: 'hint', text: hint }));
    document.getElementById('report').append(card);
    return card;
  }

  function select(label, options, value, onChange) {
    const control = el('select', {}, options.map(([v, text]) => el('option', { value: v, text: text })));
    control.value = String(value);
    control.addEventListener('change', () => onChange(control.value));
    return { label: el('label', {}, [document.createTextNode(label), control]), control: control };
  }

  function frameSlider(id, onChange) {
    const slider = el('input', { id: id, type: 'range', min: 0, max: LAST, step: 1, value: LAST,
      'aria-label': 'time' });
    const shown = el('span', { class: 'time-label', text: fmtYear(time[LAST]) });
    slider.addEventListener('input', () => {
      const f = Number(slider.value);
      shown.textContent = fmtYear(time[f]);
      onChange(f);
    });
    return { label: el('label', {}, [document.createTextNode('Time'), slider, shown]), slider: slider };
  }

  // ---------------------------------------------------------------------------------------------
  // Charts (uPlot). Each lives in a .chart[data-chart] container, resized with the window.

  const charts = [];
  function lineChart(container, options) {
    const width = Math.max(320, container.clientWidth - 2);
    const opts = Object.assign({
      width: width, height: options.height || 330,
      scales: { x: { time: false }, y: options.yRange ? { range: options.yRange } : { auto: true } },
      axes: [
        { label: 'year', splits: yearSplits, values: yearTicks,
          font: '16px system-ui, sans-serif', labelFont: '16px system-ui, sans-serif' },
        { label: options.yLabel, size: 70, font: '16px system-ui, sans-serif',
          labelFont: '16px system-ui, sans-serif',
          values: (u, ticks) => ticks.map((t) => String(t).replace('-', MINUS)) },
      ],
      cursor: { sync: { key: options.syncKey || 'interdep' } },
      legend: { live: true },
    }, options.extra || {});
    // Before the cursor is over a chart, its legend shows the last frame's values (not blanks).
    opts.series = [{ label: 'year', value: (u, v, s, idx) => fmtYear(idx == null ? u.data[0][u.data[0].length - 1] : v) }].concat(options.series);
    const chart = new uPlot(opts, options.data, container);
    charts.push({ chart: chart, container: container });
    return chart;
  }

  window.addEventListener('resize', () => {
    for (const { chart, container } of charts) {
      chart.setSize({ width: Math.max(320, container.clientWidth - 2), height: chart.height });
    }
  });

  function seriesStyle(label, colour, dashed, digits) {
    return { label: label, stroke: colour, width: dashed ? 2.5 : 3.5, dash: dashed ? [10, 6] : undefined,
      value: (u, v, s, idx) => {
        const shown = idx == null ? u.data[s][u.data[s].length - 1] : v;
        return shown === null || shown === undefined ? '' : fmt(shown, digits);
      }, points: { show: false } };
  }

  // Vertical marks at the times of `events` (each {time, text}), drawn over the plot area.
  // `text` cut with an ellipsis to at most `room` pixels in the context's font (whole when it fits).
  function fitted(ctx, text, room) {
    if (ctx.measureText(text).width <= room) return text;
    let low = 0, high = text.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (ctx.measureText(text.slice(0, mid) + '…').width <= room) low = mid; else high = mid - 1;
    }
    return low > 0 ? text.slice(0, low).trimEnd() + '…' : '';
  }

  function eventMarks(getEvents) {
    return [(u) => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      const pixel = window.devicePixelRatio || 1;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, height);
      ctx.clip();
      ctx.font = (14 * pixel) + 'px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      const right = left + width;
      // Each mark's text goes to the first of four rows where it clears the text before it:
      // its number and label (cut at the chart's edge), else its number alone, in any row that
      // fits the chart's height; else none (the list under the chart has every mark). Labels
      // rotated through four rows had overprinted the fifth on the first.
      const rowHeight = 18 * pixel, gap = 8 * pixel;
      const rows = Math.max(1, Math.floor((height - 4 * pixel) / rowHeight));
      const rowEnds = [];
      const free = (r, start) => rowEnds[r] === undefined || rowEnds[r] + gap <= start;
      const placed = [];
      getEvents().forEach((e) => {
        const x = Math.round(u.valToPos(e.time, 'x', true));
        ctx.strokeStyle = '#555';
        ctx.lineWidth = pixel * 1.5;
        ctx.setLineDash([4 * pixel, 4 * pixel]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = '#222';
        // The mark's number, then as much of the label as fits before the chart's edge; the
        // list under the chart gives every label whole.
        const start = x + 4 * pixel;
        if (start >= right) return;
        let text = fitted(ctx, e.number + ' ' + e.label, right - x - 8 * pixel) || e.number;
        let row = [0, 1, 2, 3].find((r) => r < rows && free(r, start));
        if (row === undefined) {
          text = e.number;
          row = [...Array(rows).keys()].find((r) => free(r, start));
        }
        if (row === undefined) return;
        const end = start + ctx.measureText(text).width;
        rowEnds[row] = end;
        ctx.fillText(text, start, top + 16 * pixel + row * rowHeight);
        placed.push({ number: e.number, row: row, x0: start / pixel, x1: end / pixel, text: text });
      });
      ctx.restore();
      // Where each text went, for the page's test (tests/report_check.mjs).
      u.root.dataset.labels = JSON.stringify(placed);
    }];
  }

  // Words for an event without a label, as tools/plot's event_short_label writes them:
  // 'USA→RUS sanctions (−8)', 'RUS→USA impulse (−4)', 'RUS→PAK gas link cut', 'PAK applies'.
  const EVENT_WORDS = { impulse: 'impulse', sanction: 'sanctions', lift_sanction: 'sanctions lifted',
    energy_link: 'gas link', apply: 'applies', corridor: 'corridor' };
  function eventShortLabel(e) {
    let word = EVENT_WORDS[e.kind] || e.kind;
    if (e.kind === 'energy_link' && (e.detail || '').startsWith('capacity 0 ')) word = 'gas link cut';
    let text = (e.target === e.actor ? e.actor : e.actor + '→' + e.target) + ' ' + word;
    if (e.goldstein !== 0 && e.goldstein !== null) text += ' (' + (e.goldstein > 0 ? '+' : MINUS) + String(Math.abs(e.goldstein)) + ')';
    return text;
  }

  // ---------------------------------------------------------------------------------------------
  // A pair over time: relation (by domain or overall), trade and gas, both directions, with the
  // baseline dashed and the pair's events marked.

  function pairSection() {
    const card = section('pair', 'A pair over time',
      'Pick two actors. ' + (baseline ? 'Solid lines: this run; dashed: the baseline run. ' : '') +
      'Vertical marks: events between the two, numbered as in the Events table. Drag across a chart to zoom, double-click to zoom out.');
    const state = { actor: 0, partner: Math.min(1, N - 1), domain: 'overall', fullRange: false };
    // Start on the pair whose overall relation moved most, the one a class will ask about first:
    // the farthest from its start at any frame, as "Why relations moved" ranks them (a relation
    // that rose and fell back moved).
    let best = -1;
    for (let i = 0; i < N; ++i) for (let j = 0; j < N; ++j) {
      if (i === j) continue;
      const start = pairValue(data.series.relation_overall, 0, i, j);
      let move = 0;
      for (let f = 1; f <= LAST; ++f) move = Math.max(move, Math.abs(pairValue(data.series.relation_overall, f, i, j) - start));
      if (move > best) { best = move; state.actor = i; state.partner = j; }
    }
    const actorOptions = data.actors.map((a, k) => [k, a.name + ' (' + a.code + ')']);
    const actorSelect = select('Actor', actorOptions, state.actor, (v) => { state.actor = Number(v); redraw(); });
    const partnerSelect = select('Partner', actorOptions, state.partner, (v) => { state.partner = Number(v); redraw(); });
    const domainSelect = select('Relation', [['overall', 'overall (interest-weighted)']].concat(
      data.domains.map((d, k) => [k, d.name])), state.domain, (v) => { state.domain = v; redraw(); });
    // The relation axis fits the data (a fall from −0.70 to −0.82 is visible), or spans −1 … +1.
    const fullRange = el('input', { type: 'checkbox', id: 'relation-full-range' });
    fullRange.addEventListener('change', () => { state.fullRange = fullRange.checked; redraw(); });
    card.append(el('div', { class: 'controls' }, [actorSelect.label, partnerSelect.label, domainSelect.label,
      el('label', {}, [fullRange, document.createTextNode(' relation axis −1 … +1')])]));

    const relationBox = el('div', { class: 'chart', 'data-chart': 'relation' });
    const tradeBox = el('div', { class: 'chart', 'data-chart': 'trade' });
    const gasBox = el('div', { class: 'chart', 'data-chart': 'gas' });
    const gasNote = el('p', { class: 'hint', id: 'gas-note' });
    const interdependenceBox = el('div', { class: 'chart', 'data-chart': 'interdependence' });
    const relationCaption = el('figcaption');
    const interdependenceCaption = el('figcaption');
    const eventList = el('ol', { class: 'event-list', id: 'pair-events' });
    card.append(el('figure', {}, [relationCaption, relationBox, eventList]));
    card.append(el('div', { class: 'chart-row' }, [
      el('figure', {}, [el('figcaption', { text: 'Trade: goods exports, US$ bn/yr' }), tradeBox]),
      el('figure', {}, [el('figcaption', { text: 'Gas supplied, bcm/yr' }), gasBox, gasNote]),
    ]));
    card.append(el('figure', {}, [interdependenceCaption, interdependenceBox]));

    let built = [];
    function pairEvents() {
      const a = data.actors[state.actor].code, b = data.actors[state.partner].code;
      // One mark per event row between the two, numbered as the Events table numbers it (#row + 1);
      // an unlabelled event gets a short label of its own ("AA→BB impulse (−5)"), as tools/plot
      // gives it, so that two unlabelled events at one time are two marks with words.
      const marks = [];
      for (const e of data.events) {
        if (!((e.actor === a && e.target === b) || (e.actor === b && e.target === a))) continue;
        marks.push({ time: e.time, label: e.label || eventShortLabel(e), number: String(e.row + 1), row: e.row });
      }
      marks.sort((x, y) => x.time - y.time || x.row - y.row);
      return marks;
    }
    // The pair's events under the relation chart, whole: the marks' numbers, dates and labels.
    function listEvents() {
      const marks = pairEvents();
      eventList.replaceChildren(...marks.map((m) => el('li', { value: m.number },
        [el('span', { class: 'when', text: fmtYear(m.time) + ' ' }), document.createTextNode(m.label)])));
      eventList.hidden = marks.length === 0;
    }
    function directed(source, getter) {
      const forward = [], backward = [];
      for (let f = 0; f < F; ++f) {
        forward.push(getter(source, f, state.actor, state.partner));
        backward.push(getter(source, f, state.partner, state.actor));
      }
      return [forward, backward];
    }
    function pairChart(box, name, getter, yLabel, yRange, digits, marks) {
      const a = data.actors[state.actor].code, b = data.actors[state.partner].code;
      const series = [seriesStyle(a + ' → ' + b, COLOURS.blue, false, digits),
        seriesStyle(b + ' → ' + a, COLOURS.vermillion, false, digits)];
      const values = [time].concat(directed(data.series[name], getter));
      if (baseline) {
        series.push(seriesStyle(a + ' → ' + b + ' baseline', COLOURS.blue, true, digits),
          seriesStyle(b + ' → ' + a + ' baseline', COLOURS.vermillion, true, digits));
        values.push(...directed(baseline.series[name], getter));
      }
      box.replaceChildren();
      return lineChart(box, { series: series, data: values, yLabel: yLabel, yRange: yRange,
        syncKey: 'pair', extra: marks ? { hooks: { draw: eventMarks(pairEvents) } } : {} });
    }
    function redraw() {
      for (const chart of built) chart.destroy();
      charts.splice(0, charts.length, ...charts.filter((c) => !built.includes(c.chart)));
      const overall = state.domain === 'overall';
      const d = overall ? 0 : Number(state.domain);
      const relationName = overall ? 'relation_overall' : 'relations';
      const getter = overall ? pairValue : (s, f, i, j) => relationValue(s, f, i, j, d);
      relationCaption.textContent = 'Relation' + (overall ? ' (overall)' : ' in ' + data.domains[d].name) +
        ': −1 hostile … +1 close';
      relationBox.dataset.actor = data.actors[state.actor].code;
      relationBox.dataset.partner = data.actors[state.partner].code;
      listEvents();
      built = [
        pairChart(relationBox, relationName, getter, 'relation', state.fullRange ? [-1, 1] : null, 3, true),
        pairChart(tradeBox, 'trade', pairValue, 'US$ bn/yr', null, 2, false),
      ];
      // Gas only where some flows between the two, in either run: else a sentence, not an
      // empty panel.
      const gasFlows = [data, baseline].filter(Boolean).some((run) => directed(run.series.energy, pairValue)
        .some((series) => series.some((v) => v !== null && v !== 0)));
      const a = data.actors[state.actor], b = data.actors[state.partner];
      gasBox.hidden = !gasFlows;
      gasBox.dataset.empty = gasFlows ? 'false' : 'true';
      gasNote.textContent = gasFlows ? '' : 'No gas flows between ' + a.name + ' and ' + b.name + ' in ' +
        (baseline ? 'either run.' : 'this run.');
      if (gasFlows) built.push(pairChart(gasBox, 'energy', pairValue, 'bcm/yr', null, 2, false));
      else gasBox.replaceChildren();
      interdependenceCaption.textContent = 'Sensitivity and vulnerability of each to the other, and ' +
        a.code + "'s leverage over " + b.code + ' (' + b.code + "'s vulnerability minus " + a.code +
        "'s; negative: " + b.code + ' holds leverage over ' + a.code + ')';
      built.push(interdependenceChart());
    }
    // Sensitivity (share of the actor's economy exposed to the partner), vulnerability (its loss,
    // after adjusting, if the partner is lost) both ways, and the actor's leverage over the
    // partner, −L[a,b] (L[i,j] is j's leverage over i), the baseline's dashed.
    function interdependenceChart() {
      const i = state.actor, j = state.partner, a = data.actors[i].code, b = data.actors[j].code;
      const over = (run) => { const out = []; for (let f = 0; f < F; ++f) out.push(-pairValue(run.series.leverage, f, i, j)); return out; };
      const one = (run, name, x, y) => { const out = []; for (let f = 0; f < F; ++f) out.push(pairValue(run.series[name], f, x, y)); return out; };
      const series = [seriesStyle('sensitivity ' + a + ' to ' + b, COLOURS.blue, false, 4),
        seriesStyle('vulnerability ' + a + ' to ' + b, COLOURS.vermillion, false, 4),
        seriesStyle('sensitivity ' + b + ' to ' + a, COLOURS.sky, false, 4),
        seriesStyle('vulnerability ' + b + ' to ' + a, COLOURS.green, false, 4),
        seriesStyle('leverage ' + a + ' over ' + b, COLOURS.pink, false, 4)];
      const values = [time, one(data, 'sensitivity', i, j), one(data, 'vulnerability', i, j),
        one(data, 'sensitivity', j, i), one(data, 'vulnerability', j, i), over(data)];
      if (baseline) {
        series.push(seriesStyle('leverage ' + a + ' over ' + b + ' baseline', COLOURS.pink, true, 4));
        values.push(over(baseline));
      }
      interdependenceBox.replaceChildren();
      return lineChart(interdependenceBox, { series: series, data: values, yLabel: 'share', syncKey: 'pair' });
    }
    redraw();
  }

  // ---------------------------------------------------------------------------------------------
  // Overall relations at the end of the run, every pair (baseline beneath when given).

  function endTableSection() {
    const card = section('end-relations', 'Overall relations at the end (' + fmtYear(time[LAST]) + ')',
      'Row: the actor; column: the partner it relates to. −1 hostile … +1 close (green above 0, ' +
      'vermillion below).' +
      (baseline ? ' The smaller figure under each: the baseline run at the same time.' : ''));
    const header = el('tr', {}, [el('th', { text: 'actor → partner' })].concat(
      data.actors.map((a) => el('th', { text: a.code, title: a.name }))));
    const rows = data.actors.map((a, i) => el('tr', {}, [el('th', { text: a.code, title: a.name })].concat(
      data.actors.map((b, j) => {
        if (i === j) return el('td', { class: 'diagonal', text: '—' });
        // Each number in its own element, so that an element's text is exactly one number.
        const cell = el('td', { class: 'number' }, [shownNumber('span', pairValue(data.series.relation_overall, LAST, i, j), 3,
          'run', 'relation_overall', [fileFrame(LAST), i, j])]);
        if (baseline) {
          cell.append(shownNumber('span', pairValue(baseline.series.relation_overall, LAST, i, j), 3,
            'baseline', 'relation_overall', [fileFrame(LAST), i, j], 'baseline-value'));
        }
        return cell;
      }))));
    // Wider than the card for many actors: it scrolls sideways inside the card, not past it.
    card.append(el('div', { class: 'table-wide' }, [el('table', { class: 'matrix', id: 'end-relations-table' },
      [el('thead', {}, [header]), el('tbody', {}, rows)])]));
  }

  // ---------------------------------------------------------------------------------------------
  // The world at a chosen time: the signed network and the interdependence matrix.

  function colourScale(value, maxAbs, diverging) {
    if (value === null || !Number.isFinite(value) || maxAbs <= 0) return { background: '#ffffff', ink: '#111' };
    const t = Math.min(1, Math.abs(value) / maxAbs);
    // Blue for positive, vermillion for negative (diverging); white → blue otherwise.
    const target = diverging && value < 0 ? [213, 94, 0] : [0, 114, 178];
    const rgb = target.map((c) => Math.round(255 + (c - 255) * t));
    const luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    return { background: 'rgb(' + rgb.join(',') + ')', ink: luminance < 140 ? '#fff' : '#111' };
  }

  // The matrix's colour key: the scale from −largest (vermillion) through 0 (white) to +largest
  // (blue) for leverage, from 0 (white) to the largest (blue) otherwise, as tools/plot's heatmap
  // draws them.
  function colourKey(maxAbs, diverging) {
    const stops = diverging ? [-maxAbs, -maxAbs / 2, 0, maxAbs / 2, maxAbs] : [0, maxAbs / 4, maxAbs / 2, 3 * maxAbs / 4, maxAbs];
    const digits = digitsFor(maxAbs / 2, 3);
    return el('div', { class: 'colour-key', id: 'colour-key', 'data-diverging': diverging }, [
      el('span', { class: 'colour-key-title', text: diverging
        ? 'colour: vermillion below 0 (the actor holds leverage over the partner), blue above 0 (the partner over the actor)'
        : 'colour: white at 0, deeper blue for larger values' }),
      el('span', { class: 'colour-key-scale' }, stops.map((v) => {
        const colour = colourScale(v, maxAbs, diverging);
        const swatch = el('span', { class: 'colour-key-step', text: fmt(v, digits) });
        swatch.style.background = colour.background;
        swatch.style.color = colour.ink;
        return swatch;
      }))]);
  }

  function snapshotSection() {
    const card = section('snapshot', 'The world at a chosen time',
      (data.file_frames ? 'Move the slider to any of the frames shown.'
        : data.run.record_every > 1 ? 'Move the slider to any recorded frame (one every ' + data.run.record_every + ' ' + STEP_WORD + 's).'
        : 'Move the slider to any recorded ' + STEP_WORD + '.') + (network
        ? ' Network: green solid ties are positive, vermillion dashed ties negative (mean overall relation of the two beyond ±' +
          fmt(network.tie_threshold, 2) + '); node colours are the structural-balance camps (one colour when all are one camp): the split with the fewest frustrated ties ' +
          '(a negative tie inside a camp or a positive tie between camps; 0 frustrated ties means the graph is balanced).'
        : ''));
    const measures = [['sensitivity', 'sensitivity S: share of the actor\'s economy exposed to the partner'],
      ['vulnerability', 'vulnerability V: loss to the actor, after adjusting, if the partner is lost'],
      ['leverage', 'leverage L = V[actor,partner] − V[partner,actor]: the partner\'s leverage over the actor']];
    // Any other actor × partner series of the run (a dataset the engine's table gives a report
    // label) joins the matrix, described by its long name and units.
    const drawnElsewhere = ['relation_overall', 'relations', 'trade', 'energy'];
    for (const name of Object.keys(data.series)) {
      if (drawnElsewhere.includes(name) || measures.some(([k]) => k === name)) continue;
      if (data.series[name].length !== F * N * N) continue;
      const unit = data.units[name];
      // A long name that ends with its unit ("..., US$ bn/yr") is not given it twice.
      const named = data.long_names[name];
      measures.push([name, name + ': ' + named + (unit && unit !== '1' && !named.endsWith(unit) ? ' (' + unit + ')' : '')]);
    }
    const state = { frame: LAST, measure: 'vulnerability' };
    const slider = frameSlider('snapshot-frame', (f) => { state.frame = f; redraw(); });
    const measureSelect = select('Interdependence', measures.map(([k]) => [k, k]), state.measure,
      (v) => { state.measure = v; redraw(); });
    card.append(el('div', { class: 'controls' }, [slider.label, measureSelect.label]));

    const networkBox = el('div');
    const matrixBox = el('div');
    card.append(el('div', { class: 'snapshot' }, network ? [networkBox, matrixBox] : [matrixBox]));

    // Colours scale with the largest value over the whole run, so a colour means the same at every time.
    const maxAbs = {};
    for (const [name] of measures) {
      maxAbs[name] = data.series[name].reduce((m, v) => (v === null ? m : Math.max(m, Math.abs(v))), 0);
    }

    function drawMatrix(f) {
      const name = state.measure;
      const diverging = name === 'leverage';
      const header = el('tr', {}, [el('th', { text: 'actor ↓ partner →' })].concat(
        data.actors.map((a) => el('th', { text: a.code, title: a.name }))));
      const rows = data.actors.map((a, i) => el('tr', {}, [el('th', { text: a.code, title: a.name })].concat(
        data.actors.map((b, j) => {
          if (i === j) return el('td', { class: 'diagonal', text: '—' });
          const value = pairValue(data.series[name], f, i, j);
          const cell = shownNumber('td', value, matrixDigits(value), 'run', name, [fileFrame(f), i, j]);
          const colour = colourScale(value, maxAbs[name], diverging);
          cell.style.background = colour.background;
          cell.style.color = colour.ink;
          cell.title = a.name + ' → ' + b.name + ': ' + fmt(value, 6);
          return cell;
        }))));
      matrixBox.replaceChildren(
        el('h3', { text: 'Interdependence at ' + fmtYear(time[f]) }),
        el('p', { class: 'hint', text: measures.find(([k]) => k === name)[1] + '. Colours span the whole run.' }),
        colourKey(maxAbs[name], diverging),
        el('div', { class: 'table-wide' }, [el('table', { class: 'matrix', id: 'interdependence-matrix', 'data-frame': f },
          [el('thead', {}, [header]), el('tbody', {}, rows)])]));
    }

    function drawNetwork(f) {
      // Nodes shrink with the number of actors so that neighbours on the circle never overlap
      // (42 px up to 7 actors; 17 at radius 42 touched): at most 45 % of the chord between two
      // neighbours, and the code's type with them.
      const size = 600, centre = size / 2, radius = 215;
      const chord = N > 1 ? 2 * radius * Math.sin(Math.PI / N) : 2 * radius;
      const nodeRadius = Math.min(42, 0.45 * chord);
      const fontSize = Math.min(20, Math.max(8, nodeRadius * 0.8));
      const svg = svgEl('svg', { class: 'network', viewBox: '0 0 ' + size + ' ' + size, role: 'img',
        'aria-label': 'signed relation network at ' + fmtYear(time[f]), 'data-frame': f, id: 'network-svg' });
      const position = data.actors.map((a, i) => {
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / N;  // first actor at the top, clockwise
        return [centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)];
      });
      for (let i = 0; i < N; ++i) for (let j = i + 1; j < N; ++j) {
        const sign = network.sign[f * N * N + pairIndex(i, j)];
        const line = svgEl('line', { x1: position[i][0], y1: position[i][1], x2: position[j][0], y2: position[j][1],
          'data-file': 'run', 'data-dataset': 'network/sign', 'data-index': JSON.stringify([fileFrame(f), i, j]),
          'data-value': sign });
        if (sign > 0) line.setAttribute('style', 'stroke:' + COLOURS.green + ';stroke-width:8');
        else if (sign < 0) line.setAttribute('style', 'stroke:' + COLOURS.vermillion + ';stroke-width:8;stroke-dasharray:18 10');
        else line.setAttribute('style', 'stroke:#bbbbbb;stroke-width:2;stroke-dasharray:3 7');
        const title = svgEl('title');
        title.textContent = data.actors[i].name + ' – ' + data.actors[j].name + ': ' +
          (sign > 0 ? 'positive tie' : sign < 0 ? 'negative tie' : 'no tie');
        line.append(title);
        svg.append(line);
      }
      data.actors.forEach((a, i) => {
        const faction = network.faction[f * N + i];
        const circle = svgEl('circle', { cx: position[i][0], cy: position[i][1], r: nodeRadius,
          style: 'fill:' + FACTION_COLOURS[faction % FACTION_COLOURS.length] + ';stroke:#111;stroke-width:3',
          'data-file': 'run', 'data-dataset': 'network/faction', 'data-index': JSON.stringify([fileFrame(f), i]),
          'data-value': faction });
        const title = svgEl('title');
        title.textContent = a.name + ': camp ' + (faction + 1);
        circle.append(title);
        const label = svgEl('text', { x: position[i][0], y: position[i][1] + fontSize * 0.35, 'text-anchor': 'middle',
          style: 'fill:#111;font-size:' + fontSize.toFixed(1) + 'px' });
        label.textContent = a.code;
        svg.append(circle, label);
      });
      const facts = el('table', {}, [el('tbody', {}, [
        el('tr', {}, [el('th', { text: 'camps' }),
          shownNumber('td', network.faction_count[f], 0, 'run', 'network/faction_count', [fileFrame(f)])]),
        el('tr', {}, [el('th', { text: N > 16 ? 'frustrated ties (frustration index; above 16 actors a heuristic\'s upper bound)' : 'frustrated ties (frustration index)' }),
          shownNumber('td', network.frustration[f], 0, 'run', 'network/frustration', [fileFrame(f)])]),
        el('tr', {}, [el('th', { text: 'balanced triads / signed triads' }),
          el('td', { class: 'number' }, [
            shownNumber('span', network.triads_balanced[f], 0, 'run', 'network/triads_balanced', [fileFrame(f)]),
            document.createTextNode(' / '),
            shownNumber('span', network.triads_signed[f], 0, 'run', 'network/triads_signed', [fileFrame(f)])])]),
        el('tr', {}, [el('th', { text: 'balanced share' }),
          shownNumber('td', network.balanced_share[f], 3, 'run', 'network/balanced_share', [fileFrame(f)])]),
      ])]);
      const members = el('table', {}, [
        el('thead', {}, [el('tr', {}, [el('th', { text: 'actor' }), el('th', { text: 'camp' }),
          el('th', { text: 'betweenness' })])]),
        el('tbody', {}, data.actors.map((a, i) => {
          const faction = network.faction[f * N + i];
          const swatch = el('span', { class: 'swatch' });
          swatch.style.background = FACTION_COLOURS[faction % FACTION_COLOURS.length];
          // Camps (/network/faction) are numbered from 0 in the file; shown from 1 for people.
          return el('tr', {}, [el('td', { text: a.name }),
            el('td', {}, [swatch, el('span', { text: String(faction + 1) })]),
            shownNumber('td', network.betweenness[f * N + i], 3, 'run', 'network/betweenness', [fileFrame(f), i])]);
        }))]);
      networkBox.replaceChildren(el('h3', { text: 'Signed network at ' + fmtYear(time[f]) }), svg,
        el('div', { class: 'legend-line' }, [facts, members]));
    }

    function redraw() {
      if (network) drawNetwork(state.frame);
      drawMatrix(state.frame);
    }
    redraw();
  }

  // ---------------------------------------------------------------------------------------------
  // Structural balance over time.

  function balanceSection() {
    const card = section('balance', 'Structural balance over time',
      'Share of signed triads (three actors whose three ties all carry a sign) that are balanced: a friend of a friend is a friend, an enemy of an enemy is a friend. Thin lines: the same count on each domain\'s relations. Gaps: no signed triad at that time.');
    if (N < 3) {
      card.append(el('p', { text: 'A world of ' + N + ' actors has no triads: structural balance needs three.' }));
      return;
    }
    const signed = (v) => v !== null && Number.isFinite(v);
    const baselineSigned = baseline && baseline.balanced_share && baseline.balanced_share.some(signed);
    if (!network.balanced_share.some(signed) && !network.balanced_share_domain.some(signed) && !baselineSigned) {
      card.append(el('p', { text: 'No triad is signed at any time: in every triad at least one tie lies within ±' +
        fmt(network.tie_threshold, 2) + ' of 0 (the tie threshold, [network] tie_threshold), so there is no balance to measure.' }));
      return;
    }
    const box = el('div', { class: 'chart', 'data-chart': 'balance' });
    card.append(el('figure', {}, [box]));
    const series = [seriesStyle('all domains', COLOURS.black, false, 3)];
    const values = [time, network.balanced_share];
    const domainColours = [COLOURS.blue, COLOURS.orange, COLOURS.green, COLOURS.pink, COLOURS.sky, COLOURS.vermillion];
    data.domains.forEach((d, k) => {
      const s = seriesStyle(d.name, domainColours[k % domainColours.length], false, 3);
      s.width = 1.5;
      series.push(s);
      values.push(time.map((t, f) => network.balanced_share_domain[f * D + k]));
    });
    if (baseline && baseline.balanced_share) {
      // Shares counted at different tie thresholds differ by the threshold too: said, not hidden.
      const other = baseline.tie_threshold !== null && baseline.tie_threshold !== network.tie_threshold;
      series.push(seriesStyle('all domains, baseline' + (other ? ' (ties at ' + fmt(baseline.tie_threshold, 2) + ')' : ''),
        COLOURS.black, true, 3));
      values.push(baseline.balanced_share);
      if (other) {
        card.append(el('p', { 'data-note': 'tie-threshold', text: 'The baseline counted ties at a threshold of ' +
          fmt(baseline.tie_threshold, 2) + ', this run at ' + fmt(network.tie_threshold, 2) +
          ': part of the gap between the two lines is the threshold, not the scenario. Run both at one [network] tie_threshold to compare them.' }));
      }
    }
    lineChart(box, { series: series, data: values, yLabel: 'balanced share', yRange: [0, 1], syncKey: 'balance' });
  }

  // ---------------------------------------------------------------------------------------------
  // Events and admission decisions.

  function eventsSection() {
    const card = section('events', 'Events',
      'Every event as the run applied it, in order. Goldstein weight: −10 (most hostile) … +10 (most cooperative).');
    if (data.events.length === 0) {
      // No timeline or table to draw (uPlot's mode 2 takes no run without a series).
      card.append(el('p', { text: 'No events: the run applied none (the scenario lists none, or none was enabled).' }));
    } else {
      eventTimeline(card);
      eventTable(card);
    }
    admissionsTable(card);
  }

  function eventTimeline(card) {
    const box = el('div', { class: 'chart', 'data-chart': 'timeline' });
    card.append(el('figure', {}, [el('figcaption', { text: 'Timeline: Goldstein weight of each event' }), box]));
    // One point series per event kind (uPlot mode 2: each series has its own x values).
    const kinds = [...new Set(data.events.map((e) => e.kind))];
    const kindColours = [COLOURS.blue, COLOURS.vermillion, COLOURS.green, COLOURS.orange, COLOURS.pink, COLOURS.sky];
    const width = Math.max(320, box.clientWidth - 2);
    // A margin so that an event on the first or last step is drawn whole, with its label.
    const margin = Math.max((time[LAST] - time[0]) * 0.02, 1 / 24);
    const t0 = time[0] - margin, t1 = time[LAST] + margin;
    // Events at one time and weight are one point labelled with all their rows ("#1, #2"), not
    // labels printed over each other.
    const labelOf = new Map();
    const firstAt = new Map();
    for (const e of data.events) {
      const at = e.time + '|' + e.goldstein;
      if (!firstAt.has(at)) { firstAt.set(at, e.row); labelOf.set(e.row, '#' + (e.row + 1)); }
      else { const first = firstAt.get(at); labelOf.set(first, labelOf.get(first) + ', #' + (e.row + 1)); labelOf.set(e.row, ''); }
    }
    // Points drawn by hand: uPlot's mode 2 (each series with its own x values) leaves drawing to
    // the series' paths function. Each point is labelled with its row number in the table below,
    // where the label clears the labels already drawn: right of the point, above or below it,
    // else left of it, up to three rows away; else it goes without (the table has every row).
    // Labels at one fixed spot had run together ("#1#3#5#7").
    let labelBoxes = [];
    const pointPaths = (colour) => (u, seriesIndex) => {
      const [xs, ys, rows] = u.data[seriesIndex];
      const ctx = u.ctx;
      const pixel = window.devicePixelRatio || 1;
      ctx.save();
      ctx.beginPath();
      ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
      ctx.clip();
      ctx.font = (14 * pixel) + 'px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      for (let k = 0; k < xs.length; ++k) {
        const x = u.valToPos(xs[k], 'x', true), y = u.valToPos(ys[k], 'y', true);
        ctx.beginPath();
        ctx.arc(x, y, 8 * pixel, 0, 2 * Math.PI);
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.lineWidth = 2 * pixel;
        ctx.strokeStyle = '#111';
        ctx.stroke();
        ctx.fillStyle = '#111';
        const text = labelOf.get(rows[k]);
        if (!text) continue;
        const w = ctx.measureText(text).width, h = 16 * pixel, pad = 3 * pixel;
        const spots = [];
        for (let step = 0; step < 4; ++step) {
          for (const left of [false, true]) {
            const x0 = left ? x - 11 * pixel - w : x + 11 * pixel;
            spots.push([x0, y - 6 * pixel - step * h], [x0, y + 18 * pixel + step * h]);
          }
        }
        const fits = ([x0, base]) => x0 >= u.bbox.left && x0 + w <= u.bbox.left + u.bbox.width &&
          base - 13 * pixel >= u.bbox.top && base + 3 * pixel <= u.bbox.top + u.bbox.height &&
          labelBoxes.every((b) => x0 + w + pad <= b.x0 || b.x1 + pad <= x0 || base + 3 * pixel <= b.top || b.bottom <= base - 13 * pixel);
        const spot = spots.find(fits);
        if (!spot) continue;
        labelBoxes.push({ text: text, x0: spot[0], x1: spot[0] + w, top: spot[1] - 13 * pixel, bottom: spot[1] + 3 * pixel });
        ctx.fillText(text, spot[0], spot[1]);
      }
      u.root.dataset.labels = JSON.stringify(labelBoxes.map((b) => ({ text: b.text, x0: b.x0 / pixel, x1: b.x1 / pixel,
        top: b.top / pixel, bottom: b.bottom / pixel })));
      ctx.restore();
      return null;
    };
    const timeline = new uPlot({
      mode: 2, width: width, height: 260,
      scales: { x: { time: false, range: [t0, t1] }, y: { range: [-10.5, 10.5] } },
      axes: [{ label: 'year', font: '16px system-ui, sans-serif', labelFont: '16px system-ui, sans-serif',
        splits: yearSplits, values: yearTicks },
        { label: 'Goldstein', size: 70, font: '16px system-ui, sans-serif', labelFont: '16px system-ui, sans-serif',
          values: (u, ticks) => ticks.map((t) => String(t).replace('-', MINUS)) }],
      legend: { live: false },
      cursor: { show: false },
      hooks: { drawClear: [() => { labelBoxes = []; }] },
      series: [{}].concat(kinds.map((kind, k) => ({ label: kind, stroke: kindColours[k % kindColours.length],
        fill: kindColours[k % kindColours.length], paths: pointPaths(kindColours[k % kindColours.length]),
        points: { show: false } }))),
    }, [null].concat(kinds.map((kind) => {
      const rows = data.events.filter((e) => e.kind === kind);
      return [rows.map((e) => e.time), rows.map((e) => e.goldstein), rows.map((e) => e.row)];
    })), box);
    charts.push({ chart: timeline, container: box });
  }

  function eventTable(card) {
    const header = el('tr', {}, ['#', 'time', 'kind', 'acting on', 'event', 'from', 'to', 'Goldstein', 'CAMEO'].map((t) => el('th', { text: t })));
    const rows = data.events.map((e) => el('tr', {}, [el('td', { class: 'number', text: '#' + (e.row + 1) }),
      shownTime(e.time, 'run', 'events/time', [e.row]),
      el('td', { text: e.kind }), el('td', { text: e.detail || '' }),
      // An unlabelled event is named in words made from its row, in brackets and muted: the
      // scenario gave it no label, and a blank cell read as a missing value.
      e.label ? el('td', { text: e.label })
        : el('td', { class: 'made-up', text: '(' + eventShortLabel(e) + ')', title: 'no label in the scenario: words made from the row' }),
      el('td', { text: e.actor, title: actorName(e.actor) }), el('td', { text: e.target, title: actorName(e.target) }),
      shownNumber('td', e.goldstein, 1, 'run', 'events/goldstein', [e.row]),
      el('td', { text: e.cameo || '' })]));
    card.append(el('h3', { text: data.events.length + ' event rows' }),
      el('div', { class: 'table-scroll' }, [el('table', { id: 'event-table' }, [el('thead', {}, [header]), el('tbody', {}, rows)])]));
  }

  function admissionsTable(card) {
    card.append(el('h3', { text: 'Admission decisions' }));
    if (data.admissions.length === 0) {
      card.append(el('p', { text: 'No application was decided in this run.' }));
      return;
    }
    const institutionName = (key) => { const k = data.institutions.findIndex((x) => x.code === key); return k >= 0 ? data.institutions[k].name : key; };
    card.append(el('table', { id: 'admission-table' }, [
      el('thead', {}, [el('tr', {}, ['time', 'institution', 'applicant', 'for', 'against', 'probability', 'outcome'].map((t) => el('th', { text: t })))]),
      el('tbody', {}, data.admissions.map((a) => el('tr', {}, [
        shownTime(a.time, 'run', 'admissions/time', [a.row]),
        el('td', { text: institutionName(a.institution) }), el('td', { text: actorName(a.applicant) }),
        shownNumber('td', a.votes_for, 0, 'run', 'admissions/votes_for', [a.row]),
        shownNumber('td', a.votes_against, 0, 'run', 'admissions/votes_against', [a.row]),
        shownNumber('td', a.probability, 3, 'run', 'admissions/probability', [a.row]),
        el('td', { text: a.admitted ? 'admitted' : 'refused' })])))]));
  }

  // ---------------------------------------------------------------------------------------------
  // Why relations moved: the explain narratives of the largest moves (output/insight/explain).

  function frameOf(t) {
    const f = time.indexOf(t);
    return f >= 0 ? f : null;
  }

  function narrativesSection() {
    const card = section('narratives', 'Why relations moved',
      'The directed pairs whose overall relation moved most over the run (the farthest from where it started, at any time), with the decision terms that moved them and the events behind them (as `interdep explain` prints them).');
    // A pair that did not move has nothing to explain: when none did, a sentence says so
    // instead of pairs with empty term tables.
    const moved = (x) => {
      if (x.terms.length > 0 || x.start_value !== x.end_value) return true;
      const i = actorIndex(x.actor), j = actorIndex(x.partner);
      if (x.domain !== '') {
        const d = data.domains.findIndex((dm) => dm.code === x.domain);
        return time.some((t, f) => relationValue(data.series.relations, f, i, j, d) !== relationValue(data.series.relations, 0, i, j, d));
      }
      return time.some((t, f) => pairValue(data.series.relation_overall, f, i, j) !== pairValue(data.series.relation_overall, 0, i, j));
    };
    const narratives = data.narratives.filter(moved);
    if (narratives.length === 0) {
      card.append(el('p', { 'data-note': 'nothing-moved', text: 'No relation moved: every relation stayed where it started, ' +
        'throughout the run (no event, decision or noise changed one), so there is nothing to explain.' }));
      return;
    }
    narratives.forEach((x, k) => {
      const i = actorIndex(x.actor), j = actorIndex(x.partner);
      const overall = x.domain === '';
      const d = overall ? null : data.domains.findIndex((dm) => dm.code === x.domain);
      const dataset = overall ? 'relation_overall' : 'relations';
      const valueAt = (t, v) => {
        const f = frameOf(t);
        if (f === null) return el('span', { text: fmt(v, 3) });
        return shownNumber('span', v, 3, 'run', dataset, overall ? [fileFrame(f), i, j] : [fileFrame(f), i, j, d]);
      };
      const heading = el('h3', {}, [
        document.createTextNode((k + 1) + '. ' + x.actor_name + ' → ' + x.partner_name +
          (overall ? '' : ' (' + x.domain_label + ')') + ': '),
        valueAt(x.from_time, x.start_value), document.createTextNode(' in ' + fmtYear(x.from_time) + ' → '),
        valueAt(x.to_time, x.end_value), document.createTextNode(' in ' + fmtYear(x.to_time))]);
      const terms = el('table', {}, [
        el('thead', {}, [el('tr', {}, ['decision term', 'change', 'share of movement', 'what it is, and why it moved'].map((t) => el('th', { text: t })))]),
        el('tbody', {}, x.terms.map((t) => el('tr', {}, [el('td', { text: t.term }),
          el('td', { class: 'number', text: fmt(t.value, 3) }),
          el('td', { class: 'number', text: fmt(100 * t.share, 0) + ' %' }),
          el('td', { text: t.meaning })])))]);
      const article = el('article', { class: 'narrative', 'data-narrative': k }, [heading, terms]);
      if (x.events.length > 0) {
        article.append(el('table', {}, [
          el('thead', {}, [el('tr', {}, ['event', 'time', 'through', 'weight'].map((t) => el('th', { text: t })))]),
          el('tbody', {}, x.events.map((e) => el('tr', {}, [
            el('td', { text: e.label + ' (' + e.actor + ' → ' + e.target + ')' }), el('td', { class: 'number', text: fmtYear(e.time) }),
            el('td', { text: e.channel }), el('td', { class: 'number', text: fmt(e.weight, 3) })])))]));
      }
      article.append(el('details', {}, [el('summary', { text: 'The whole explanation, as interdep explain prints it' }),
        el('p', { class: 'narrative-text', text: x.text })]));
      card.append(article);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // This run against the baseline (output/insight/compare).

  // A comparison row's four figures: compare's own text, or, where its decimals show the largest
  // gap with fewer than two significant digits (+0.0003 for +0.000253), every cell of the row
  // with the decimals that give it two (at most 9): the ends rounded, the difference that of the
  // ends as shown, the largest gap never shown below it (as compare does).
  function comparisonText(d) {
    const text = d.text;
    const decimals = (s) => { const m = /\.(\d+)/.exec(s); return m ? m[1].length : 0; };
    const base = decimals(text.peak_difference);
    const gap = Math.abs(d.peak_difference);
    if (!Number.isFinite(gap) || gap === 0) return text;
    const k = Math.min(9, Math.max(base, 1 - Math.floor(Math.log10(gap))));
    if (k === base) return text;
    const plain = (v) => { const s = v.toFixed(k); return Number(s) === 0 ? (0).toFixed(k) : s; };
    const signed = (v) => { const s = plain(v); return s.startsWith('-') ? s : '+' + s; };
    const scenarioEnd = plain(d.scenario_end), baselineEnd = plain(d.baseline_end);
    const endDifference = Number(scenarioEnd) - Number(baselineEnd);
    const peak = Math.abs(Number(plain(d.peak_difference))) < Math.abs(Number(plain(endDifference))) ? endDifference : d.peak_difference;
    return { scenario_end: scenarioEnd, baseline_end: baselineEnd, end_difference: signed(endDifference),
      peak_difference: signed(peak) };
  }

  function comparisonSection() {
    const c = data.comparison;
    const card = section('comparison', 'Compared with the baseline',
      'This run (' + data.run.name + ') against the baseline run (' + baseline.run.name + '): end values and the largest gap at any time. Only pairs that differ at some time are listed; each table says what it is ranked by.');
    // The runs' noise differs with their seeds: said here, not only on the command line.
    if (c.seed_note) {
      card.append(el('p', { class: 'warning', 'data-note': 'seeds',
        text: 'Note: ' + c.seed_note.charAt(0).toUpperCase() + c.seed_note.slice(1) }));
    }
    const TOP = 12;
    // What each table is ranked by, as `interdep compare` says in its headings
    // (docs/explain-compare.md): flows and indices of very different size share a table, so they
    // are ranked by the gap relative to the series' own largest value.
    const RANKED = {
      relations: 'ranked by the largest gap (this run − baseline, at any time), largest first',
      flows: 'ranked by the largest gap relative to the pair\'s own largest flow (in either run), largest first: ' +
        'the collapse of a small flow outranks a dip of a large one',
      interdependence: 'ranked by the largest gap relative to the pair\'s own largest value (in either run), largest first',
    };
    for (const [key, title] of [['relations', 'Relations'], ['flows', 'Flows'], ['interdependence', 'Interdependence']]) {
      const rows = c[key].slice(0, TOP);
      card.append(el('h3', { text: title + (c[key].length > TOP ? ' (the first ' + TOP + ' of ' + c[key].length + ')' : '') }));
      if (rows.length > 0) card.append(el('p', { class: 'hint', 'data-ranking': key, text: title + ', ' + RANKED[key] + '.' }));
      if (rows.length === 0) { card.append(el('p', { text: 'No difference.' })); continue; }
      card.append(el('table', { class: 'comparison', 'data-section': key }, [
        el('thead', {}, [el('tr', {}, ['quantity', 'pair', 'unit', 'this run', 'baseline', 'difference', 'largest gap', 'when'].map((t) => el('th', { text: t })))]),
        el('tbody', {}, rows.map((d) => {
          // The numbers as `interdep compare` prints them (the row adds up: the difference is
          // that of the ends as shown), with more decimals where the largest gap needs them for
          // two significant digits (docs/explain-compare.md).
          const text = comparisonText(d);
          return el('tr', { 'data-quantity': d.quantity, 'data-actor': d.actor,
            'data-partner': d.partner, 'data-domain': d.domain === null ? '' : d.domain,
            'data-peak-time': d.peak_time }, [
            el('td', { text: d.quantity }), el('td', { text: d.label }), el('td', { text: d.unit }),
            el('td', { class: 'number', 'data-role': 'scenario_end', text: text.scenario_end }),
            el('td', { class: 'number', 'data-role': 'baseline_end', text: text.baseline_end }),
            el('td', { class: 'number', 'data-role': 'end_difference', text: text.end_difference }),
            el('td', { class: 'number', 'data-role': 'peak_difference', text: text.peak_difference }),
            el('td', { class: 'number', text: fmtYear(d.peak_time) })]);
        }))]));
    }
    card.append(el('h3', { text: 'Memberships' }));
    if (c.memberships.length === 0) {
      card.append(el('p', { text: 'The same memberships in both runs.' }));
    } else {
      card.append(el('ul', {}, c.memberships.map((m) => el('li', {
        text: actorName(m.actor) + (m.gained ? ' is a member of ' : ' is not a member of ') + m.institution +
          ' from ' + fmtYear(m.time) + ' in this run, unlike the baseline' }))));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Held against the record: the scenario's [[observations]] (the /observed group).

  function observationsSection() {
    const card = section('observations', 'Observed against simulated',
      'Each figure of the scenario\'s [[observations]] with its uncertainty, this run\'s value for the same quantity and period' +
      (baseline ? ', and the baseline run\'s' : '') + '; z = (run − observed) / uncertainty. A year is the mean over its 12 months.');
    // Decimals for a value of this size: about four significant digits.
    const digitsFor = (v) => { const a = Math.abs(v); return a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3; };
    const monthOf = (t) => { const y = Math.floor(t + 1e-9); const m = Math.floor((t - y) * 12 + 1e-6) + 1; return y + '-' + String(m).padStart(2, '0'); };
    const zText = (run, o) => (run === null ? 'not reached' : fmt((run - o.observed) / o.uncertainty, 2));
    const same = (a, b) => a.quantity === b.quantity && a.period === b.period && a.aggregate === b.aggregate &&
      a.from === b.from && a.to === b.to && a.unit === b.unit;
    const header = ['quantity', 'when', 'observed', '±', 'this run', 'z'];
    if (baseline) header.push('baseline', 'z');
    header.push('unit', 'source');
    card.append(el('table', { id: 'observation-table' }, [
      el('thead', {}, [el('tr', {}, header.map((t) => el('th', { text: t })))]),
      el('tbody', {}, data.observations.map((o) => {
        const digits = digitsFor(o.observed);
        const cells = [
          el('td', { text: o.quantity + (o.aggregate === 'pair_total' ? ' (both directions)' : '') }),
          el('td', { text: o.period === 'point' ? monthOf(o.date) : monthOf(o.from) === monthOf(o.to) ? monthOf(o.from) : monthOf(o.from) + ' … ' + monthOf(o.to) }),
          shownNumber('td', o.observed, digits, 'run', 'observed/observed', [o.row]),
          shownNumber('td', o.uncertainty, digits, 'run', 'observed/uncertainty', [o.row]),
          shownNumber('td', o.simulated, digits, 'run', 'observed/simulated', [o.row]),
          el('td', { class: 'number', text: zText(o.simulated, o) })];
        if (baseline) {
          const b = (baseline.observations || []).find((x) => same(x, o) && x.states > 0);
          cells.push(b ? shownNumber('td', b.simulated, digits, 'baseline', 'observed/simulated', [b.row]) : el('td', { text: 'no such figure' }),
            el('td', { class: 'number', text: b ? zText(b.simulated, o) : '' }));
        }
        cells.push(el('td', { text: o.unit }), el('td', { text: o.source }));
        return el('tr', { 'data-series': o.series }, cells);
      }))]));
  }

  // ---------------------------------------------------------------------------------------------

  function contents() {
    const nav = document.getElementById('contents');
    for (const card of document.querySelectorAll('section.card')) {
      nav.append(el('a', { href: '#' + card.id, text: card.querySelector('h2').textContent.replace(/ \(.*\)$/, '') }));
    }
  }

  if (data.file_frames) {  // a large world: its page holds every k-th recorded frame
    const every = data.file_frames.length > 1 ? data.file_frames[1] - data.file_frames[0] : 1;
    section('thinned', 'Frames shown', 'This page shows ' + F + ' of the ' + data.recorded_frames +
      ' recorded frames (one in every ' + every + ', and the last): all of them would make a page ' +
      'too large for a browser to read. Values at the frames shown are exact; the comparison and ' +
      'the narratives use every frame. Record fewer frames ([output] every) for a page of each.');
  }
  pairSection();
  endTableSection();
  snapshotSection();
  if (network) balanceSection();
  eventsSection();
  if (data.narratives && data.narratives.length > 0) narrativesSection();
  if (data.comparison) comparisonSection();
  if (data.observations.length > 0) observationsSection();
  contents();
  document.body.dataset.ready = 'true';
}());
