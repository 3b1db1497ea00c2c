/* Status page: /health, /version, Tally's own metrics (tally.agents.<host>.*, written by the self-metrics
   reporter) through /render, and the federation's regions from /metrics/find?query=regions.* */
'use strict';

(() => {
  const $ = id => document.getElementById(id);
  const { el } = Tally;
  const errorBox = $('error');
  const AGENTS = 'tally.agents.*';

  /** Each figure: one render target summed over every Tally host; counters are shown as a rate. */
  const FIGURES = [
    { label: 'points received /s', target: `sumSeries(perSecond(${AGENTS}.ingest.*.points))`, fmt: Tally.num },
    { label: 'points written /s', target: `sumSeries(perSecond(${AGENTS}.storage.points_written))`, fmt: Tally.num },
    { label: 'bad lines /s', target: `sumSeries(perSecond(${AGENTS}.ingest.*.bad_lines.*))`, fmt: Tally.num },
    { label: 'points dropped /s', target: `sumSeries(perSecond(${AGENTS}.storage.points_dropped.*))`, fmt: Tally.num },
    { label: 'series', target: `sumSeries(${AGENTS}.storage.series)`, fmt: Tally.num },
    { label: 'storage backlog', target: `sumSeries(${AGENTS}.storage.backlog_bytes)`, fmt: Tally.bytes },
    { label: 'receivers paused /s', target: `sumSeries(perSecond(${AGENTS}.ingest.*.paused))`, fmt: Tally.num },
    { label: 'WAL syncs /s', target: `sumSeries(perSecond(${AGENTS}.storage.wal_syncs))`, fmt: Tally.num },
    { label: 'WAL size', target: `sumSeries(${AGENTS}.storage.wal_bytes)`, fmt: Tally.bytes },
    { label: 'segment bytes', target: `sumSeries(${AGENTS}.storage.segment_bytes)`, fmt: Tally.bytes },
    { label: 'block cache hit rate', target: `averageSeries(${AGENTS}.storage.block_cache_hit_rate)`, fmt: Tally.num },
    { label: 'render requests /s', target: `sumSeries(perSecond(${AGENTS}.http.render.requests))`, fmt: Tally.num },
  ];

  async function node() {
    const box = $('node');
    try {
      const res = await fetch('/health');
      const health = await res.json();
      $('health').textContent = health.status + (res.ok ? '' : ' (HTTP ' + res.status + ')');
      $('region').textContent = health.region;
    } catch (e) {
      $('health').textContent = 'no answer: ' + e.message;
    }
    try {
      $('version').textContent = (await Tally.text('/version')).trim();
    } catch (e) {
      $('version').textContent = e.message;
    }
    try {
      const hosts = await Tally.json('/metrics/find?' + Tally.query({ query: AGENTS }));
      $('agents').textContent = hosts.length === 0 ? 'none written yet (self-metrics.interval)'
        : hosts.map(h => h.id).join(', ');
    } catch (e) {
      $('agents').textContent = e.message;
    }
    box.dataset.state = 'ready';
  }

  async function figures() {
    const box = $('figures');
    try {
      const data = await Tally.json('/render?' + Tally.query({
        target: FIGURES.map(f => `alias(${f.target}, '${f.label}')`), from: '-15min', until: 'now', format: 'json', maxDataPoints: 60,
      }));
      const byName = new Map(data.map(s => [s.target, s]));
      box.textContent = '';
      for (const f of FIGURES) {
        const s = byName.get(f.label);
        const value = s ? Tally.lastValue(s) : null;
        if (f.label === 'series') $('series').textContent = value === null ? 'not reported yet' : Tally.num(value);
        box.append(el('div', { class: 'figure', dataset: { label: f.label } },
          el('div', { class: 'label' }, f.label),
          el('div', { class: 'value' }, f.fmt(value)),
          el('a', { href: '/ui/graph?' + Tally.query({ target: f.target, from: '-6h', until: 'now' }), title: f.target },
            Chart.sparkline(s ? [s] : []))));
      }
      box.dataset.state = 'ready';
    } catch (e) {
      Tally.showError(errorBox, e);
      box.dataset.state = 'error';
    }
  }

  async function regions() {
    const box = $('regions');
    try {
      const found = await Tally.json('/metrics/find?' + Tally.query({ query: 'regions.*' }));
      box.textContent = '';
      if (found.length === 0) {
        box.append(el('p', { class: 'notice' }, 'federation not configured: /metrics/find?query=regions.* lists no region.'));
        box.dataset.state = 'none';
        return;
      }
      const body = el('tbody');
      box.append(el('table', { class: 'cards' },
        el('thead', {}, el('tr', {}, el('th', {}, 'region'), el('th', {}, 'reachable'), el('th', {}, 'top-level nodes'))), body));
      await Promise.all(found.map(async r => {
        const name = r.text;
        const reach = el('td', { dataset: { label: 'reachable' } }, '…');
        const count = el('td', { class: 'num', dataset: { label: 'top-level nodes' } }, '…');
        body.append(el('tr', { dataset: { region: name } },
          el('td', { dataset: { label: 'region' } }, el('a', { href: '/ui/browse?' + Tally.query({ query: 'regions.' + name + '.*' }) }, name)), reach, count));
        try {
          const nodes = await Tally.json('/metrics/find?' + Tally.query({ query: 'regions.' + name + '.*' }));
          reach.replaceChildren(el('span', { class: 'state OK' }, 'yes'));
          count.textContent = String(nodes.length);
        } catch (e) {
          reach.replaceChildren(el('span', { class: 'state CRITICAL', title: e.message }, 'no'));
          count.textContent = '—';
        }
      }));
      box.dataset.state = 'ready';
    } catch (e) {
      box.textContent = '';
      box.append(el('p', { class: 'error' }, e.message));
      box.dataset.state = 'error';
    }
  }

  node();
  figures();
  regions();
})();
