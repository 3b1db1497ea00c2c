/* Alert board (Tattle-like): every alert instance from GET /alerting/api/v1/alerts with its state colour, value,
   thresholds, since, silence/ack/flapping marks and a sparkline of the alerted target; worst first; refreshed
   every ?refresh=<seconds> (default 30). A 404 means the alerting module is not enabled on this Tally.
   Shapes as AlertingHttp serves them (docs/ALERTING.md, JSON API): definition fields id, name, target; instance
   fields alert, region, series, state, real_state, value, warn, crit, direction, since, pending_state,
   pending_since, flapping, silenced_by (silence id), acked_by, problem, summary, text. */
'use strict';

(() => {
  const $ = id => document.getElementById(id);
  const { el } = Tally;
  const errorBox = $('error');
  const ORDER = { CRITICAL: 0, UNKNOWN: 1, WARNING: 2, PENDING: 3, OK: 4 };
  const params = new URLSearchParams(location.search);
  const refreshSeconds = Math.max(1, Number(params.get('refresh')) || 30);
  // the board's own filters are the API's (alerting.md §4.5)
  const filters = Tally.query({ region: params.get('region'), state: params.get('state'), group: params.get('group'), label: params.getAll('label') });
  const API = '/alerting/api/v1/alerts' + (filters ? '?' + filters : '');
  let timer = null;
  let generation = 0;

  /** The answer {"alerts": [definition + "instances": [instance, ...]]} as a flat list of {def, inst}. */
  function rows(answer) {
    const out = [];
    for (const def of (answer && answer.alerts) || []) {
      for (const inst of def.instances || []) out.push({ def, inst });
    }
    out.sort((a, b) => (rank(a.inst) - rank(b.inst)) || key(a).localeCompare(key(b)));
    return out;
  }

  const rank = inst => (inst.state in ORDER ? ORDER[inst.state] : 1);
  const key = r => (r.inst.alert || r.def.id || '') + '[' + (r.inst.region || '') + ']' + (r.inst.series || '');

  /** The alerted target: the definition's, with ${region} replaced by the instance's region. */
  function targetOf(r) {
    const t = r.def.target;
    return t ? t.split('${region}').join(r.inst.region || '') : null;
  }

  /**
   * "warn ≥ 100, crit ≥ 200" (direction above), with ≤ (below), or "warn outside [18, 27]" / "inside [..]" for the
   * ranges of outside and inside; a threshold the alert lacks is null.
   */
  function thresholds(inst) {
    const op = { below: '≤', outside: 'outside', inside: 'inside' }[inst.direction] || '≥';
    const text = t => Array.isArray(t)  // a null end is open: a Nagios range such as "10:" or "~:5"
      ? '[' + (t[0] === null ? '−∞' : Tally.num(t[0])) + ', ' + (t[1] === null ? '∞' : Tally.num(t[1])) + ']'
      : Tally.num(t);
    const parts = [];
    if (inst.warn !== null && inst.warn !== undefined) parts.push('warn ' + op + ' ' + text(inst.warn));
    if (inst.crit !== null && inst.crit !== undefined) parts.push('crit ' + op + ' ' + text(inst.crit));
    return parts.join(', ') || '—';
  }

  /** What the value counts for predictive checks and comparisons with peers: [suffix, tooltip]. */
  function unit(def) {
    if (def.type === 'predictive') {
      const b = def.baseline || {};
      return [' σ', 'standard deviations from the same window of the ' + b.periods + ' previous ' + b.period + ' periods'];
    }
    const c = def.compare;
    if (!c) return ['', ''];
    const u = { ratio: ['×', 'times the peers\' mean'], percent: ['%', 'percent above the peers\' mean'],
      zscore: [' σ', 'standard deviations from the peers'], difference: ['', 'minus the peers\' mean'] }[c.mode];
    return u || ['', ''];
  }

  /** The silence mark's tooltip: who, until when and why, when the silence is known; else its id. */
  function silenceTitle(id, silences) {
    const s = silences.get(id);
    if (!s) return 'silence ' + id;
    return 'silenced by ' + (s.created_by || '?') + ' until ' + s.ends_at + (s.comment ? ': ' + s.comment : '')
      + ' (silence ' + s.id + ')';
  }

  function marks(inst, silences) {
    const out = [];
    if (inst.silenced_by) out.push(el('span', { class: 'mark silenced', title: silenceTitle(inst.silenced_by, silences) }, 'silenced'));
    if (inst.acked_by) out.push(el('span', { class: 'mark acked', title: 'acknowledged by ' + inst.acked_by }, 'ack'));
    if (inst.flapping) out.push(el('span', { class: 'mark flapping' }, 'flapping'));
    if (inst.pending_since) {
      out.push(el('span', { class: 'mark pending', title: 'pending since ' + inst.pending_since },
        inst.pending_state ? 'pending ' + inst.pending_state : 'pending'));
    }
    // real_state: the state before a silence, ack or the active window changed what Nagios is told
    const real = inst.real_state;
    if (real && real !== inst.state) out.push(el('span', { class: 'mark real', title: 'real state' }, 'real ' + real));
    return out;
  }

  function row(r, spark, silences) {
    const inst = r.inst;
    const name = inst.alert || r.def.id || '?';
    const target = targetOf(r);
    const graph = target ? el('a', { href: '/ui/graph?' + Tally.query({ target, from: '-6h', until: 'now' }), title: target }, spark)
      : spark;
    return el('tr', { class: 'alert-row ' + inst.state, dataset: { alert: name, region: inst.region || '', state: inst.state } },
      el('td', { dataset: { label: 'state' } }, el('span', { class: 'state ' + inst.state, title: inst.text || '' }, inst.state)),
      el('td', { dataset: { label: 'alert' } },
        el('div', {}, el('strong', {}, r.def.name || name), ' ', el('span', { class: 'muted' }, '[' + (inst.region || '') + ']'),
          inst.series ? el('span', { class: 'muted mono' }, ' ' + inst.series) : null, ...marks(inst, silences)),
        inst.summary ? el('div', { class: 'muted' }, inst.summary) : null,
        inst.problem ? el('div', { class: 'muted problem' }, inst.problem) : null),
      el('td', { class: 'num value', dataset: { label: 'value' }, title: unit(r.def)[1] },
        Tally.num(inst.value) + (inst.value === null || inst.value === undefined ? '' : unit(r.def)[0])),
      el('td', { dataset: { label: 'thresholds' } }, thresholds(inst)),
      el('td', { dataset: { label: 'since' }, title: inst.since || '' }, Tally.since(inst.since)),
      el('td', { dataset: { label: 'graph' } }, graph));
  }

  /** One /render call for every instance's target (each aliased to its row index); failures leave blanks. */
  async function sparks(list) {
    const targets = [];
    list.forEach((r, i) => {
      const t = targetOf(r);
      if (t) targets.push(`alias(${t}, 'row${i}')`);
    });
    const byRow = new Map();
    if (targets.length === 0) return byRow;
    try {
      const data = await Tally.json('/render?' + Tally.query({ target: targets, from: '-1h', until: 'now', format: 'json', maxDataPoints: 60 }));
      for (const s of data) {
        if (!byRow.has(s.target)) byRow.set(s.target, []);
        byRow.get(s.target).push(s);
      }
    } catch (e) {
      // one bad target fails the batch: draw the rows without sparklines rather than hide the board
    }
    return byRow;
  }

  /** Silence id → silence, read only when some instance is silenced (GET /alerting/api/v1/silences, no token). */
  async function silencesOf(list) {
    const byId = new Map();
    if (!list.some(r => r.inst.silenced_by)) return byId;
    try {
      const answer = await Tally.json('/alerting/api/v1/silences');
      for (const s of (answer && answer.silences) || []) byId.set(s.id, s);
    } catch (e) {
      // the marks stay, naming the silence by its id
    }
    return byId;
  }

  function summary(list) {
    const counts = {};
    for (const r of list) counts[r.inst.state] = (counts[r.inst.state] || 0) + 1;
    const box = $('summary');
    box.textContent = '';
    for (const s of Object.keys(ORDER)) {
      if (counts[s]) box.append(el('span', { class: 'state ' + s, dataset: { count: counts[s] } }, s + ' ' + counts[s]));
    }
  }

  async function load() {
    const mine = ++generation;
    const board = $('board');
    let answer;
    try {
      const res = await fetch(API, { headers: { Accept: 'application/json' } });
      if (res.status === 404) {
        board.textContent = '';
        board.append(el('p', { class: 'notice' }, 'alerting not enabled on this Tally (GET /alerting/api/v1/alerts answers 404).'));
        board.dataset.state = 'disabled';
        Tally.hideError(errorBox);
        return;
      }
      if (!res.ok) {
        throw new Tally.HttpError(res.status, Tally.readableError(await res.text(), res.headers.get('Content-Type')));
      }
      answer = await res.json();
    } catch (e) {
      Tally.showError(errorBox, e);
      board.dataset.state = 'error';
      return;
    }
    const list = rows(answer);
    const [spark, silences] = await Promise.all([sparks(list), silencesOf(list)]);
    if (mine !== generation) return;
    Tally.hideError(errorBox);
    summary(list);
    const hideOk = $('hide-ok').checked;
    const body = el('tbody');
    list.forEach((r, i) => {
      if (hideOk && r.inst.state === 'OK') return;
      body.append(row(r, Chart.sparkline(spark.get('row' + i) || [], { warn: r.inst.warn, crit: r.inst.crit }), silences));
    });
    board.textContent = '';
    if (list.length === 0) {
      board.append(el('p', { class: 'notice' }, 'no alerts defined'));
    } else {
      board.append(el('table', { class: 'cards' },
        el('thead', {}, el('tr', {}, ['state', 'alert', 'value', 'thresholds', 'since', 'last hour'].map(h => el('th', {}, h)))), body));
    }
    board.dataset.state = 'ready';
    board.dataset.generation = String(mine);
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString() + ', every ' + refreshSeconds + 's';
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      await load();
      schedule();
    }, refreshSeconds * 1000);
  }

  $('refresh').addEventListener('click', async () => {
    await load();
    schedule();
  });
  $('hide-ok').addEventListener('change', load);
  load().then(schedule);
})();
