// The dashboard: sign-in, the router (pages live in the URL's fragment, so the server serves one page), and
// the flags, experiments and audit pages. Releases are in releases.js.

import { ApiError, api, get, post, put, seg, signIn, signOut, token } from './api.js';
import { act, error, h, percent, refocus, show, status, time } from './dom.js';
import { releasePage, releasesPage } from './releases.js';

const LIST_OPERATORS = ['IN', 'NOT_IN', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'STR_CONTAINS', 'IN_CIDR'];
const OPERATORS = [...LIST_OPERATORS, 'NUM_EQ', 'NUM_GT', 'NUM_GTE', 'NUM_LT', 'NUM_LTE', 'DATE_AFTER', 'DATE_BEFORE',
  'SEMVER_EQ', 'SEMVER_GT', 'SEMVER_GTE', 'SEMVER_LT', 'SEMVER_LTE', 'REGEX'];

let ids = 0;
/** A fresh element id, to tie a label to its input. */
const id = (name) => `${name}-${++ids}`;

/** The page now shown stops its polling when another is shown. */
let leave = () => {};
/** Counts navigations, so that a release page still loading when another page is asked for neither draws nor polls. */
let navigation = 0;

async function route() {
  leave();
  leave = () => {};
  const mine = ++navigation;
  const current = () => mine === navigation;
  error(null);
  status('');
  const signedIn = token() !== null;
  document.getElementById('nav').hidden = !signedIn;
  if (!signedIn) {
    signInPage();
    return;
  }
  const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const name = rest.join('/');
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${page || 'flags'}`);
  }
  try {
    if (page === 'releases' && name) {
      const stop = await releasePage(name, current);
      if (current()) {
        leave = stop;
      } else {
        stop();
      }
    } else if (page === 'releases') {
      await releasesPage();
    } else if (page === 'experiments' && name) {
      await experimentPage(name);
    } else if (page === 'experiments') {
      await experimentsPage();
    } else if (page === 'audit') {
      await auditPage();
    } else if (page === 'flags' && name) {
      await flagPage(name);
    } else {
      await flagsPage();
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      route();
      error(`Signed out: ${e.message}`);
      return;
    }
    error(e);
  }
  document.getElementById('main').focus({ preventScroll: true });
}

function signInPage() {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-help' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { id: 'sign-in', onsubmit: (event) => {
    event.preventDefault();
    act(button, async () => {
      const secret = input.value.trim();
      try {
        await api('GET', '/api/v1/environments', { bearer: secret });
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          throw new Error(`Sign-in failed: ${e.message}`);
        }
        throw e;
      }
      signIn(secret);
      status('Signed in.');
      route();
    });
  } },
  h('h2', {}, 'Sign in'),
  h('label', { for: 'token' }, 'Admin token'),
  input,
  h('p', { id: 'token-help', class: 'help' },
    'An admin token, such as the bootstrap token the server printed on its first start. It is kept in this tab only.'),
  button);
  show(form);
  input.focus();
}

// ---------------------------------------------------------------- flags

function toggleButton(flag, environment, after) {
  const on = flag.environments?.[environment]?.enabled === true;
  const button = h('button', { type: 'button', class: 'toggle', 'aria-pressed': String(on),
    'aria-label': `${flag.key} in ${environment}`, dataset: { flag: flag.key, environment } }, on ? 'On' : 'Off');
  button.addEventListener('click', () => act(button, async () => {
    await post(`/api/v1/flags/${seg(flag.key)}/environments/${seg(environment)}/${on ? 'off' : 'on'}`,
      { ifMatch: flag.version });
    status(`${flag.key} is now ${on ? 'off' : 'on'} in ${environment}.`);
    await after();
    refocus(`button.toggle[data-flag="${CSS.escape(flag.key)}"][data-environment="${CSS.escape(environment)}"]`);
  }));
  return button;
}

async function flagsPage() {
  const environments = (await get('/api/v1/environments')).items.map((e) => e.name);
  const search = h('input', { id: 'flag-search', type: 'search', autocomplete: 'off' });
  const body = h('tbody');
  const count = h('p', { class: 'help', 'aria-live': 'polite' });
  let searches = 0;
  async function load() {
    const mine = ++searches;
    const page = await get(`/api/v1/flags?limit=500&q=${seg(search.value.trim())}`);
    if (mine !== searches) {
      return; // a later search was sent: its answer is the one to show, whichever arrives first
    }
    count.textContent = `${page.total} flag${page.total === 1 ? '' : 's'}${page.total > page.items.length ? `, the first ${page.items.length} shown` : ''}`;
    body.replaceChildren(...page.items.map((flag) => h('tr', { dataset: { flag: flag.key } },
      h('th', { scope: 'row' }, h('a', { href: `#/flags/${seg(flag.key)}` }, flag.key)),
      h('td', {}, flag.description),
      environments.map((environment) => h('td', {}, toggleButton(flag, environment, load))))));
  }
  let pending;
  search.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(() => load().catch(error), 200);
  });
  show(h('h2', {}, 'Flags'),
    h('div', { class: 'field' }, h('label', { for: 'flag-search' }, 'Search flags by key or description'), search),
    count,
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Flag'), h('th', { scope: 'col' }, 'Description'),
      environments.map((environment) => h('th', { scope: 'col' }, environment)))), body));
  await load();
}

async function flagPage(key) {
  const path = `/api/v1/flags/${seg(key)}`;
  const [flag, history, environments] = await Promise.all([get(path), get(`${path}/history`),
    get('/api/v1/environments')]);
  const reload = () => flagPage(key);
  show(h('p', {}, h('a', { href: '#/flags' }, '← All flags')),
    h('h2', {}, flag.key, ' ', h('span', { class: 'version' }, `version ${flag.version}`)),
    flag.description && h('p', {}, flag.description),
    environments.items.map((environment) => environmentSection(flag, environment.name, reload)),
    historySection(flag, history.items, reload));
}

function environmentSection(flag, environment, reload) {
  const settings = flag.environments?.[environment] ?? { enabled: false, strategies: [] };
  return h('section', { class: 'card', 'aria-labelledby': `env-${environment}` },
    h('h3', { id: `env-${environment}` }, environment, ' ', toggleButton(flag, environment, reload)),
    settings.strategies.length === 0 && h('p', { class: 'help' }, 'No strategy: when on, the flag is on for everyone.'),
    settings.strategies.map((strategy) => strategy.name === 'flexibleRollout'
      ? rolloutForm(flag, environment, strategy, reload)
      : h('p', {}, `Strategy ${strategy.name} `, h('code', {}, JSON.stringify(strategy.parameters)))));
}

function rolloutForm(flag, environment, strategy, reload) {
  const rolloutId = id('rollout');
  const rollout = h('input', { id: rolloutId, type: 'number', min: 0, max: 100, step: 1, required: true,
    value: strategy.parameters.rollout ?? '100', dataset: { environment } });
  const constraints = constraintEditor(strategy.constraints ?? []);
  const save = h('button', { type: 'submit' }, 'Save');
  return h('form', { class: 'strategy', dataset: { strategy: strategy.id, environment },
    onsubmit: (event) => {
      event.preventDefault();
      act(save, async () => {
        const body = { ...strategy, parameters: { ...strategy.parameters, rollout: rollout.value },
          constraints: constraints.value() };
        await put(`/api/v1/flags/${seg(flag.key)}/environments/${seg(environment)}/strategies/${seg(strategy.id)}`,
          { body, ifMatch: flag.version });
        status(`Saved: ${flag.key} in ${environment} rolls out to ${rollout.value}%.`);
        await reload();
        refocus(`form.strategy[data-strategy="${CSS.escape(strategy.id)}"][data-environment="${CSS.escape(environment)}"] button[type=submit]`);
      });
    } },
  h('h4', {}, 'Gradual rollout ', h('span', { class: 'version' }, strategy.id)),
  h('div', { class: 'field' }, h('label', { for: rolloutId }, `Rollout % in ${environment}`), rollout),
  constraints.element,
  save);
}

/** Rows of context field, operator, values and negation; `value()` reads them back as the API's constraints. */
function constraintEditor(initial) {
  const rows = h('div', { class: 'constraints' });
  const kept = new WeakMap();
  function row(constraint) {
    const fieldId = id('context'); const operatorId = id('operator'); const valuesId = id('values'); const notId = id('not');
    const field = h('input', { id: fieldId, required: true, value: constraint.contextName ?? '' });
    const operator = h('select', { id: operatorId },
      OPERATORS.map((op) => h('option', { value: op, selected: op === (constraint.operator ?? 'IN') }, op)));
    const values = h('input', { id: valuesId, value: LIST_OPERATORS.includes(constraint.operator ?? 'IN')
      ? (constraint.values ?? []).join(', ') : (constraint.value ?? '') });
    const inverted = h('input', { id: notId, type: 'checkbox', checked: constraint.inverted === true });
    const element = h('fieldset', { class: 'constraint' }, h('legend', {}, 'Constraint'),
      h('label', { for: fieldId }, 'Context field'), field,
      h('label', { for: operatorId }, 'Operator'), operator,
      h('label', { for: valuesId }, 'Values (comma-separated for lists)'), values,
      h('span', {}, inverted, h('label', { for: notId }, 'Negate')),
      h('button', { type: 'button', onclick: () => { element.remove(); status('Constraint removed; save to apply.'); } },
        'Remove constraint'));
    kept.set(element, () => {
      const list = LIST_OPERATORS.includes(operator.value);
      const text = values.value.trim();
      return { ...constraint, contextName: field.value.trim(), operator: operator.value, inverted: inverted.checked,
        values: list ? text.split(',').map((v) => v.trim()).filter((v) => v) : [], value: list ? '' : text };
    });
    return element;
  }
  rows.append(...initial.map(row));
  const add = h('button', { type: 'button', onclick: () => {
    const element = row({});
    rows.append(element);
    element.querySelector('input').focus();
  } }, 'Add constraint');
  return { element: h('div', {}, rows, add), value: () => [...rows.children].map((element) => kept.get(element)()) };
}

const IGNORED = new Set(['version', 'createdAt', 'updatedAt']);

/** Every leaf of a JSON document by its path, as JSON text. */
function leaves(value, path = '', into = new Map()) {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [name, child] of Object.entries(value)) {
      if (!(path === '' && IGNORED.has(name))) {
        leaves(child, Array.isArray(value) ? `${path}[${name}]` : path ? `${path}.${name}` : name, into);
      }
    }
  } else if (path !== '') {
    into.set(path, JSON.stringify(value));
  }
  return into;
}

/** What a change changed, leaf by leaf. */
function diff(before, after) {
  const old = leaves(before ?? {}); const now = leaves(after ?? {});
  const paths = [...new Set([...old.keys(), ...now.keys()])].filter((p) => old.get(p) !== now.get(p)).sort();
  if (paths.length === 0) {
    return h('p', { class: 'help' }, 'No change in content.');
  }
  return h('ul', { class: 'diff' }, paths.map((p) => h('li', {}, h('code', {}, p), ': ',
    old.has(p) ? h('del', {}, old.get(p)) : h('em', {}, 'absent'), ' → ',
    now.has(p) ? h('ins', {}, now.get(p)) : h('em', {}, 'absent'))));
}

function historySection(flag, changes, reload) {
  return h('section', { class: 'card', 'aria-labelledby': 'history' }, h('h3', { id: 'history' }, 'History'),
    h('ol', { class: 'history', reversed: true }, [...changes].reverse().map((change) => {
      const revert = change.after && change.version !== flag.version && h('button', { type: 'button',
        dataset: { version: change.version } }, `Revert to version ${change.version}`);
      if (revert) {
        revert.addEventListener('click', () => act(revert, async () => {
          await post(`/api/v1/flags/${seg(flag.key)}/revert`, { body: { version: change.version }, ifMatch: flag.version });
          status(`${flag.key} is back as it was at version ${change.version}.`);
          await reload();
        }));
      }
      return h('li', { dataset: { version: change.version } },
        h('p', {}, h('strong', {}, `version ${change.version}: ${change.action}`), ` by ${change.actor}, ${time(change.at)} `, revert),
        diff(change.before, change.after));
    })));
}

// ---------------------------------------------------------------- experiments

async function experimentsPage() {
  const list = await get('/api/v1/experiments');
  show(h('h2', {}, 'Experiments'),
    list.items.length === 0 ? h('p', {}, 'No experiment yet.') : h('table', {},
      h('thead', {}, h('tr', {}, ['Experiment', 'Flag', 'Environment', 'Status', 'Started'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.items.map((e) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/experiments/${seg(e.name)}` }, e.name)),
        h('td', {}, e.flag), h('td', {}, e.environment), h('td', {}, e.status), h('td', {}, time(e.startedAt)))))));
}

const interval = (lift, digits = 1) => lift.estimate === null
  ? '–' : `${percent(lift.estimate, digits)} [${percent(lift.lower, digits)}, ${percent(lift.upper, digits)}]`;
const number = (value, digits = 3) => value === null || value === undefined ? '–' : Number(value).toFixed(digits);

async function experimentPage(name) {
  const results = await get(`/api/v1/experiments/${seg(name)}/results`);
  const srm = results.sampleRatio;
  const level = `${Math.round((1 - results.alpha) * 100)}%`;
  show(h('p', {}, h('a', { href: '#/experiments' }, '← All experiments')),
    h('h2', {}, name),
    h('p', {}, `Flag ${results.flag} in ${results.environment}, ${results.status}; ${results.units} units`,
      results.plannedUnitsPerArm ? ` (planned ${results.plannedUnitsPerArm} per arm)` : '', '.'),
    srm.mismatch && h('div', { class: 'warning', role: 'alert', id: 'srm' },
      h('strong', {}, 'Sample-ratio mismatch. '),
      `The arms' units do not fit the weights they started with (p = ${Number(srm.pValue).toExponential(2)} < 0.001): `,
      Object.entries(srm.observed).map(([arm, units]) => `${arm} ${units} units (expected ${percent(srm.expected[arm] / Object.values(srm.expected).reduce((a, b) => a + b, 0))})`).join(', '),
      '. Units went missing unevenly; no lift can be trusted until the cause is found.'),
    h('p', { class: 'recommendation' }, h('strong', {}, `Recommendation: ${results.recommendation.action}`,
      results.recommendation.variant ? ` ${results.recommendation.variant}` : ''), ` — ${results.recommendation.reason}`),
    results.metrics.length > 0 && forestPlot(results),
    results.metrics.map((metric) => h('table', { class: 'results' },
      h('caption', {}, `${metric.event} (${metric.role}, ${metric.kind}, goal: ${metric.goal})`),
      h('thead', {}, h('tr', {}, ['Arm', 'Units', 'Mean', `Abs lift [${level} CI]`, `Rel lift [${level} CI]`,
        `Seq rel lift [${Math.round((1 - results.sequentialAlpha) * 100)}% CS]`, 'p', 'Chance to win', 'Verdict']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, metric.arms.map((arm) => {
        const c = arm.comparison;
        return h('tr', {}, h('th', { scope: 'row' }, arm.variant, arm.control ? ' (control)' : ''),
          h('td', {}, arm.units), h('td', {}, number(arm.mean, 4)),
          c ? [h('td', {}, c.absoluteLift.estimate === null ? '–' : `${number(c.absoluteLift.estimate, 4)} [${number(c.absoluteLift.lower, 4)}, ${number(c.absoluteLift.upper, 4)}]`),
            h('td', {}, interval(c.relativeLift)), h('td', {}, interval(c.sequentialRelativeLift)),
            h('td', {}, c.pValue !== null && c.pValue < 0.001 ? c.pValue.toExponential(1) : number(c.pValue)), h('td', {}, percent(c.chanceToWin)), h('td', { class: `verdict ${c.verdict}` }, c.verdict)]
            : h('td', { colspan: 6 }, '—'));
      })))));
}

/** Each treatment's relative lift on each metric: the sequential interval (thick) and the classic one (thin), around 0. */
function forestPlot(results) {
  const rows = results.metrics.flatMap((metric) => metric.arms.filter((arm) => arm.comparison)
    .map((arm) => ({ label: `${metric.event}: ${arm.variant}`, seq: arm.comparison.sequentialRelativeLift,
      classic: arm.comparison.relativeLift, verdict: arm.comparison.verdict })));
  const values = rows.flatMap((r) => [r.seq.lower, r.seq.upper, r.classic.lower, r.classic.upper])
    .filter((v) => v !== null && Number.isFinite(v));
  const span = Math.max(0.05, ...values.map(Math.abs)) * 1.1;
  const width = 640; const left = 200; const right = 20; const rowHeight = 28; const top = 24;
  const x = (v) => left + ((Math.max(-span, Math.min(span, v)) + span) / (2 * span)) * (width - left - right);
  const height = top + rows.length * rowHeight + 20;
  const svg = (tag, attributes, ...children) => {
    const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    element.append(...children);
    return element;
  };
  return h('figure', { class: 'forest' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'forest-caption' },
      svg('line', { x1: x(0), x2: x(0), y1: top - 8, y2: height - 16, class: 'zero' }),
      svg('text', { x: x(0), y: 14, 'text-anchor': 'middle' }, '0'),
      svg('text', { x: x(-span), y: 14, 'text-anchor': 'start' }, percent(-span, 0)),
      svg('text', { x: x(span), y: 14, 'text-anchor': 'end' }, `+${percent(span, 0)}`),
      ...rows.map((r, i) => {
        const y = top + i * rowHeight + rowHeight / 2;
        const parts = [svg('text', { x: left - 8, y: y + 4, 'text-anchor': 'end' }, r.label)];
        if (r.classic.lower !== null && r.classic.upper !== null) {
          parts.push(svg('line', { x1: x(r.classic.lower), x2: x(r.classic.upper), y1: y + 6, y2: y + 6, class: 'classic' }));
        }
        if (r.seq.lower !== null && r.seq.upper !== null) {
          parts.push(svg('line', { x1: x(r.seq.lower), x2: x(r.seq.upper), y1: y, y2: y, class: `sequential ${r.verdict}` }));
        }
        if (r.seq.estimate !== null) {
          parts.push(svg('circle', { cx: x(r.seq.estimate), cy: y, r: 4, class: `estimate ${r.verdict}` },
            svg('title', {}, `${r.label}: ${interval(r.seq)} (sequential), ${interval(r.classic)} (classic)`)));
        }
        return svg('g', {}, ...parts);
      })),
    h('figcaption', { id: 'forest-caption' },
      'Relative lift of each treatment against the control: the thick line is the sequential interval (valid at any look), the thin one the classic interval, the dot the estimate.'));
}

// ---------------------------------------------------------------- audit

async function auditPage() {
  const body = h('tbody');
  const more = h('button', { type: 'button' }, 'Load more');
  let after = 0;
  async function load() {
    const page = await get(`/api/v1/audit?after=${after}&limit=100`);
    after = page.next;
    body.append(...page.items.map((change) => h('tr', {},
      h('td', {}, change.id), h('td', {}, time(change.at)), h('td', {}, change.actor),
      h('td', {}, `${change.resourceType} ${change.resourceKey}`), h('td', {}, change.action), h('td', {}, change.version),
      h('td', {}, h('details', {}, h('summary', {}, 'Changes'), diff(change.before, change.after))))));
    more.hidden = page.items.length < 100;
    status(`${body.children.length} changes shown.`);
  }
  more.addEventListener('click', () => act(more, load));
  show(h('h2', {}, 'Audit log'), h('p', { class: 'help' }, 'Every change, oldest first.'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Id', 'When', 'Who', 'What', 'Action', 'Version', 'Diff']
      .map((t) => h('th', { scope: 'col' }, t)))), body), more);
  await load();
}

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  location.hash = '';
  route();
  status('Signed out.');
});
window.addEventListener('hashchange', route);
route();
