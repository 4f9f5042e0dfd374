// Releases: the list, and a release's page with its live chart (polled every second until the release has ended),
// its decisions with their evidence, and the buttons that promote, pause, resume and abort it.

import { get, post, seg } from './api.js';
import { act, error, h, show, status, text, time } from './dom.js';

const POLL_MILLIS = 1000;
/** The route metrics API serves at most an hour. */
const WINDOW_SECONDS = 3600 - 60;
/** Seconds fetched again on each poll, for reports that arrived late. */
const OVERLAP_SECONDS = 5;
const TERMINAL = ['promoted', 'rolled-back'];
/** Timeline entries drawn as markers on the chart. */
const MARKED = ['measurement', 'analysis', 'weight', 'command', 'gate', 'paused', 'resumed', 'promoted', 'rolled-back'];

const target = (release) => release.target.route
  ? `route ${release.target.route}` : `flag ${release.target.flag} in ${release.target.environment}`;

export async function releasesPage() {
  const list = await get('/api/v1/releases');
  show(h('h2', {}, 'Releases'),
    list.items.length === 0 ? h('p', {}, 'No release yet.') : h('table', {},
      h('thead', {}, h('tr', {}, ['Release', 'Target', 'Phase', 'Weight', 'Step', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.items.map((release) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/releases/${seg(release.name)}` }, release.name)),
        h('td', {}, target(release)), h('td', {}, h('span', { class: `phase ${release.phase}` }, release.phase)),
        h('td', {}, `${release.weight}%`), h('td', {}, release.steps[release.step] ?? 'done'),
        h('td', {}, time(release.updatedAt)))))));
}

/**
 * Shows a release and follows it until it has ended; resolves to the function that stops following. `current`
 * says whether this page is still the one asked for: once it is not, the page draws nothing more.
 */
export async function releasePage(name, current) {
  const path = `/api/v1/releases/${seg(name)}`;
  let release = await get(path);
  if (!current()) {
    return () => {};
  }
  const phase = h('span', { id: 'release-phase', class: 'phase' });
  const weight = h('span', { id: 'release-weight' });
  const step = h('span', { id: 'release-step' });
  const message = h('p', { id: 'release-message', class: 'help' });
  const buttons = {
    promote: h('button', { type: 'button', id: 'promote' }, 'Promote'),
    pause: h('button', { type: 'button', id: 'pause' }, 'Pause'),
    resume: h('button', { type: 'button', id: 'resume' }, 'Resume'),
    abort: h('button', { type: 'button', id: 'abort', class: 'danger' }, 'Abort'),
  };
  const allowed = {
    promote: ['progressing', 'paused'], pause: ['progressing'], resume: ['paused'], abort: ['progressing', 'paused'],
  };
  const decisions = h('ol', { id: 'decisions', class: 'decisions' });
  const chart = new Chart(release);

  function render() {
    text(phase, release.phase);
    phase.className = `phase ${release.phase}`;
    text(weight, `${release.weight}%`);
    text(step, release.steps[release.step] ?? 'all steps done');
    text(message, release.message);
    for (const [command, button] of Object.entries(buttons)) {
      button.hidden = !allowed[command].includes(release.phase);
    }
  }
  for (const [command, button] of Object.entries(buttons)) {
    button.addEventListener('click', () => act(button, async () => {
      release = await post(`${path}/${command}`);
      status(`${name}: ${command} sent; the release is ${release.phase}.`);
      render();
      if (button.hidden) {
        (Object.values(buttons).find((other) => !other.hidden) ?? document.getElementById('main')).focus();
      }
    }));
  }

  show(h('p', {}, h('a', { href: '#/releases' }, '← All releases')),
    h('h2', {}, name),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Target'), h('dd', {}, target(release)),
      h('dt', {}, 'Phase'), h('dd', { 'aria-live': 'polite' }, phase),
      h('dt', {}, 'Weight'), h('dd', { 'aria-live': 'polite' }, weight),
      h('dt', {}, 'Step'), h('dd', {}, step)),
    message,
    h('div', { class: 'actions' }, Object.values(buttons)),
    chart.element,
    h('h3', {}, 'Decisions'),
    h('p', { class: 'help' }, 'Newest first; the numbers on the chart\'s markers are these entries\' numbers.'),
    decisions);
  render();

  let stopped = false;
  let timer;
  let seq = 0;
  async function poll() {
    try {
      const [now, timeline] = await Promise.all([get(path), get(`${path}/timeline?after=${seq}&limit=1000`)]);
      release = now;
      render();
      for (const entry of timeline.items) {
        seq = entry.seq;
        decisions.prepend(decision(entry));
        chart.mark(entry);
      }
      await chart.update(release);
    } catch (e) {
      error(e);
    }
    const ended = TERMINAL.includes(release.phase) && release.pending === 0;
    if (!stopped && !ended && current()) {
      timer = setTimeout(poll, POLL_MILLIS);
    }
  }
  await poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
    chart.destroy();
  };
}

function decision(entry) {
  return h('li', { id: `decision-${entry.seq}`, class: `decision ${entry.outcome || entry.type}`, tabindex: -1 },
    h('p', {}, h('strong', {}, `#${entry.seq} ${entry.type}`), entry.outcome && ` ${entry.outcome}`, ` — ${time(entry.at)}`),
    h('p', {}, entry.message),
    entry.evidence.length > 0 && evidence(entry.evidence));
}

const figure = (value) => value === null || value === undefined ? '–' : Number(value).toPrecision(4);

function evidence(items) {
  return h('table', { class: 'evidence' },
    h('thead', {}, h('tr', {}, ['Metric', 'Outcome', 'Statistic', 'Value', 'Bound', 'Stable n', 'Canary n', 'Stable', 'Canary']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((e) => h('tr', { title: e.reason },
      h('th', { scope: 'row' }, e.metric), h('td', {}, e.outcome), h('td', {}, e.statistic), h('td', {}, figure(e.value)),
      h('td', {}, figure(e.bound)), h('td', {}, e.stableSamples), h('td', {}, e.canarySamples),
      h('td', {}, figure(e.stableEstimate)), h('td', {}, figure(e.canaryEstimate))))));
}

/**
 * The live chart: per second, the weight the gateways applied to the canary, and each arm's error rate (5xx among
 * requests) and geometric-mean latency, from /api/v1/routes/{name}/metrics. A flag's release has no gateway
 * traffic: its weight is sampled at each poll, and each arm's mean of the first metric (the tracked events of
 * units in the rollout against those outside it) is taken from each measurement's evidence. Decisions are dashed
 * markers, numbered as in the list.
 */
class Chart {
  constructor(release) {
    this.route = release.target.route;
    this.stable = release.stableArm;
    this.canary = release.canaryArm;
    this.since = Math.max(Date.parse(release.createdAt) / 1000 | 0, (Date.now() / 1000 | 0) - WINDOW_SECONDS);
    this.seconds = new Map();
    this.markers = [];
    this.tooltip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    this.plot = h('div', { id: 'release-chart', class: 'chart', dataset: { points: 0, measurements: 0 } });
    this.summary = h('p', { id: 'chart-summary', class: 'help' }, 'Waiting for traffic…');
    this.element = h('figure', { class: 'chart-figure' }, this.plot,
      h('figcaption', {}, this.route
        ? 'Weight of the canary (%), each arm\'s error rate (%) and latency (geometric mean, ms), per second. Dashed lines: decisions.'
        : 'Weight of the rollout (%), as polled, and at each measurement the first metric\'s mean on units in the rollout'
          + ' (canary) and outside it (stable). Dashed lines: decisions.', ' ', this.summary));
    this.uplot = null;
  }

  mark(entry) {
    if (MARKED.includes(entry.type)) {
      this.markers.push(entry);
    }
    const measured = entry.evidence.find((e) => e.stableEstimate !== null || e.canaryEstimate !== null);
    if (!this.route && entry.type === 'measurement' && measured) {
      const second = Date.parse(entry.at) / 1000 | 0;
      this.seconds.set(second, { ...this.seconds.get(second), metric: measured.metric,
        stable: measured.stableEstimate, canary: measured.canaryEstimate });
      this.plot.dataset.measurements = String(Number(this.plot.dataset.measurements) + 1);
    }
  }

  async update(release) {
    const now = Date.now() / 1000 | 0;
    if (this.route) {
      const from = Math.max(this.since, now - WINDOW_SECONDS);
      const traffic = await get(`/api/v1/routes/${seg(this.route)}/metrics?since=${new Date(from * 1000).toISOString()}`);
      for (const point of traffic.points) {
        const second = Date.parse(point.at) / 1000;
        const row = this.seconds.get(second) ?? {};
        row[point.arm] = point;
        this.seconds.set(second, row);
      }
      const last = Math.max(this.since, ...this.seconds.keys());
      this.since = last - OVERLAP_SECONDS;
    } else {
      this.seconds.set(now, { ...this.seconds.get(now), weight: release.weight });
    }
    this.draw();
  }

  data() {
    const xs = [...this.seconds.keys()].sort((a, b) => a - b);
    const rows = xs.map((x) => this.seconds.get(x));
    if (!this.route) {
      const value = (key) => rows.map((r) => r[key] ?? null);
      return [xs, value('weight'), value('stable'), value('canary')];
    }
    const errors = (arm) => rows.map((r) => r[arm] && r[arm].requests > 0 ? 100 * r[arm].serverErrors / r[arm].requests : null);
    const latency = (arm) => rows.map((r) => r[arm] && r[arm].latencyCount > 0
      ? 1000 * Math.exp(r[arm].logLatencySum / r[arm].latencyCount) : null);
    return [xs, rows.map((r) => r[this.canary] ? r[this.canary].requestedPercent : null),
      errors(this.stable), errors(this.canary), latency(this.stable), latency(this.canary)];
  }

  draw() {
    const data = this.data();
    const points = data[0].length;
    this.plot.dataset.points = String(points);
    if (points > 0) {
      const at = points - 1;
      this.summary.textContent = this.route
        ? `Last second: weight ${data[1][at] ?? '–'}%, errors ${fixed(data[2][at])}% stable / ${fixed(data[3][at])}% canary, latency ${fixed(data[4][at])} / ${fixed(data[5][at])} ms; ${points} seconds shown.`
        : this.flagSummary(data);
    }
    if (!window.uPlot || points === 0) {
      return;
    }
    if (this.uplot === null) {
      this.uplot = new window.uPlot(this.options(), data, this.plot);
      this.uplot.over.append(this.tooltip);
    } else {
      this.uplot.setData(data);
    }
  }

  options() {
    const series = [{}, { label: 'weight %', scale: '%', stroke: '#1a5fb4', width: 2, spanGaps: true,
      paths: window.uPlot.paths.stepped({ align: 1 }) }];
    // Ticks on whole seconds at least: the data is per second.
    const axes = [{ incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] }, { scale: '%', label: 'weight %' }];
    if (!this.route) {
      series.push(
        { label: 'stable (outside the rollout)', scale: 'mean', stroke: '#2d7d46', spanGaps: true },
        { label: 'canary (in the rollout)', scale: 'mean', stroke: '#c01c28', spanGaps: true });
      axes.push({ scale: 'mean', side: 1, label: 'first metric\'s mean', grid: { show: false } });
    }
    if (this.route) {
      series.push(
        { label: `${this.stable} errors %`, scale: 'errors', stroke: '#2d7d46', dash: [6, 3] },
        { label: `${this.canary} errors %`, scale: 'errors', stroke: '#c01c28', dash: [6, 3] },
        { label: `${this.stable} ms`, scale: 'ms', stroke: '#2d7d46' },
        { label: `${this.canary} ms`, scale: 'ms', stroke: '#c01c28' });
      axes.push({ scale: 'errors', side: 1, label: 'errors %', grid: { show: false } },
        { scale: 'ms', side: 1, label: 'ms', grid: { show: false } });
    }
    return {
      width: Math.max(320, this.plot.clientWidth || 800), height: 320, series, axes,
      scales: { x: { time: true, range: (u, min, max) => [min, Math.max(max, this.lastMarker())] }, '%': { range: [0, 100] }, errors: { range: (u, min, max) => [0, Math.max(5, max ?? 0)] } },
      hooks: { draw: [(u) => this.drawMarkers(u)], setCursor: [(u) => this.hover(u)] },
    };
  }

  /** A flag's release: the weight now, and the last measurement's means. */
  flagSummary(data) {
    const weights = data[1].filter((w) => w !== null);
    const last = [...this.seconds.values()].filter((r) => r.metric).pop();
    return `Weight ${weights.length > 0 ? weights[weights.length - 1] : '–'}%; `
      + (last ? `last measurement of ${last.metric}: stable ${figure(last.stable)} / canary ${figure(last.canary)}; `
        : 'no measurement yet; ')
      + `${this.plot.dataset.measurements} measurements shown.`;
  }

  /** The newest decision's time, so that a decision newer than the last second reported is drawn at once. */
  lastMarker() {
    return this.markers.length === 0 ? -Infinity : Date.parse(this.markers[this.markers.length - 1].at) / 1000;
  }

  drawMarkers(u) {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.font = `${11 * devicePixelRatio}px sans-serif`;
    for (const marker of this.markers) {
      const x = u.valToPos(Date.parse(marker.at) / 1000, 'x', true);
      if (x < bbox.left || x > bbox.left + bbox.width) {
        continue;
      }
      ctx.strokeStyle = ctx.fillStyle = markerColor(marker);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      ctx.fillText(`#${marker.seq}`, x + 3, bbox.top + 12 * devicePixelRatio);
    }
    ctx.restore();
  }

  /** The tooltip of the marker under the cursor: its message and evidence. */
  hover(u) {
    const left = u.cursor.left;
    const near = left === undefined || left < 0 ? undefined : this.markers.find((m) =>
      Math.abs(u.valToPos(Date.parse(m.at) / 1000, 'x') - left) <= 4);
    if (!near) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(h('strong', {}, `#${near.seq} ${near.type} ${near.outcome}`), h('br'), near.message,
      ...near.evidence.map((e) => h('div', {}, `${e.metric}: ${e.outcome}, ${e.statistic} ${figure(e.value)} (bound ${figure(e.bound)}), stable ${figure(e.stableEstimate)} n=${e.stableSamples}, canary ${figure(e.canaryEstimate)} n=${e.canarySamples}`)));
    this.tooltip.style.left = `${Math.min(left + 12, u.over.clientWidth - 260)}px`;
    this.tooltip.style.top = '8px';
    this.tooltip.hidden = false;
  }

  destroy() {
    this.uplot?.destroy();
  }
}

const fixed = (value) => value === null || value === undefined ? '–' : value.toFixed(1);

function markerColor(marker) {
  if (marker.outcome === 'FAIL' || marker.type === 'rolled-back') {
    return '#c01c28';
  }
  if (marker.outcome === 'PASS' || marker.type === 'promoted') {
    return '#2d7d46';
  }
  return '#5e5c64';
}
