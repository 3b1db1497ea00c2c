/* Status page: /health, /version, Tally's own metrics (tally.agents.<host>.*, written by the self-metrics
   reporter) through /render, and the federation's regions with their reachability from /federation/v1/status */
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

  /**
   * Regions and their reachability. /metrics/find?query=regions.* lists nothing without federation (no request to
   * an absent endpoint then); with it, GET /federation/v1/status names the peers. One find per region below its
   * node doubles as a probe (and counts its top-level nodes); the status read after those finds says, per peer,
   * the breaker state and when it last answered or failed.
   */
  async function regions() {
    const box = $('regions');
    const none = text => {
      box.textContent = '';
      box.append(el('p', { class: 'notice' }, text));
      box.dataset.state = 'none';
    };
    try {
      const found = await Tally.json('/metrics/find?' + Tally.query({ query: 'regions.*' }));
      if (found.length === 0) {
        none('federation not configured: /metrics/find?query=regions.* lists no region.');
        return;
      }
      let status;
      try {
        status = await Tally.json('/federation/v1/status');
      } catch (e) {
        if (e instanceof Tally.HttpError && e.status === 404) {
          none('federation not configured (the series under regions.* are local ones).');
          return;
        }
        throw e;
      }
      const root = status.root || 'regions';
      const counts = new Map();
      await Promise.all(status.regions.map(async name => {
        try {
          counts.set(name, (await Tally.json('/metrics/find?' + Tally.query({ query: root + '.' + name + '.*' }))).length);
        } catch (e) {
          counts.set(name, null);
        }
      }));
      status = await Tally.json('/federation/v1/status');
      const peers = new Map(status.peers.map(p => [p.region, p]));
      const body = el('tbody');
      for (const name of status.regions) {
        body.append(regionRow(root, name, name === status.region ? null : peers.get(name), counts.get(name)));
      }
      box.textContent = '';
      box.append(el('table', { class: 'cards' },
        el('thead', {}, el('tr', {}, ['region', 'reachable', 'breaker', 'last answer', 'last error', 'top-level nodes']
          .map(h => el('th', {}, h)))), body));
      box.dataset.state = 'ready';
    } catch (e) {
      box.textContent = '';
      box.append(el('p', { class: 'error' }, e.message));
      box.dataset.state = 'error';
    }
  }

  /** A peer is reachable when it answered after its last failure; never asked yet is "unknown". */
  function reachability(peer) {
    if (!peer) return { text: 'this node', cls: 'OK', value: 'self' };
    const ok = peer.last_ok_at ? Date.parse(peer.last_ok_at) : 0;
    const failed = peer.last_error_at ? Date.parse(peer.last_error_at) : 0;
    if (peer.state === 'open') return { text: 'no', cls: 'CRITICAL', value: 'no' };
    if (!ok && !failed) return { text: 'unknown (not asked yet)', cls: 'UNKNOWN', value: 'unknown' };
    return ok >= failed ? { text: 'yes', cls: 'OK', value: 'yes' } : { text: 'no', cls: 'CRITICAL', value: 'no' };
  }

  function regionRow(root, name, peer, count) {
    const reach = reachability(peer);
    const when = iso => (iso ? el('span', { title: iso }, Tally.since(iso)) : '—');
    return el('tr', { dataset: { region: name, reachable: reach.value } },
      el('td', { dataset: { label: 'region' } },
        el('a', { href: '/ui/browse?' + Tally.query({ query: root + '.' + name + '.*' }) }, name),
        peer ? el('div', { class: 'muted mono' }, peer.url) : null),
      el('td', { dataset: { label: 'reachable' } }, el('span', { class: 'state ' + reach.cls }, reach.text)),
      el('td', { class: 'breaker', dataset: { label: 'breaker' } }, peer ? peer.state : '—'),
      el('td', { class: 'last-ok', dataset: { label: 'last answer' } }, peer ? when(peer.last_ok_at) : '—'),
      el('td', { class: 'last-error', dataset: { label: 'last error' } },
        peer && peer.last_error ? el('span', { title: peer.last_error_at || '' }, peer.last_error) : '—'),
      el('td', { class: 'num', dataset: { label: 'top-level nodes' } }, count === null || count === undefined ? '—' : String(count)));
  }

  node();
  figures();
  regions();
})();
