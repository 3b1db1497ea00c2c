/* Graph page: /ui/graph?target=…&from=…&until=… draws /render?format=json in an SVG chart; the presets and the
   custom range rewrite the URL (history.replaceState) and redraw. */
'use strict';

(() => {
  const $ = id => document.getElementById(id);
  const chart = $('chart');
  const errorBox = $('error');
  let state = readUrl();
  let generation = 0;

  function readUrl() {
    const p = new URLSearchParams(location.search);
    return { targets: p.getAll('target').filter(t => t.trim() !== ''), from: p.get('from') || '-1h', until: p.get('until') || 'now' };
  }

  function writeUrl() {
    history.replaceState(null, '', '?' + Tally.query({ target: state.targets, from: state.from, until: state.until }));
  }

  function renderUrl(format, extra) {
    return '/render?' + Tally.query(Object.assign({ target: state.targets, from: state.from, until: state.until, format }, extra || {}));
  }

  function syncControls() {
    $('target').value = state.targets.join(' ; ');
    $('from').value = state.from;
    $('until').value = state.until;
    for (const b of document.querySelectorAll('#presets button')) {
      b.setAttribute('aria-pressed', String(b.dataset.from === state.from && state.until === 'now'));
    }
    $('png-link').href = renderUrl('png', { width: 800, height: 400 });
    $('svg-link').href = renderUrl('svg', { width: 800, height: 400 });
    $('json-link').href = renderUrl('json');
  }

  async function redraw() {
    const mine = ++generation;
    syncControls();
    Tally.hideError(errorBox);
    chart.dataset.from = state.from;
    chart.dataset.until = state.until;
    if (state.targets.length === 0) {
      chart.textContent = '';
      chart.dataset.state = 'empty';
      $('meta').textContent = 'Enter a target, or pick a leaf in the metric browser.';
      return;
    }
    chart.dataset.state = 'loading';
    const width = Math.max(280, Math.round(chart.clientWidth || 800));
    try {
      const data = await Tally.json(renderUrl('json', { maxDataPoints: width }));
      if (mine !== generation) return;
      Chart.draw(chart, data);
      const points = data.reduce((n, s) => n + s.datapoints.length, 0);
      $('meta').textContent = data.length + ' series, ' + points + ' points, from ' + state.from + ' until ' + state.until;
      chart.dataset.state = 'drawn';
    } catch (e) {
      if (mine !== generation) return;
      chart.textContent = '';
      $('meta').textContent = '';
      Tally.showError(errorBox, e);
      chart.dataset.state = 'error';
    }
  }

  function setRange(from, until) {
    state.from = from.trim() || '-1h';
    state.until = until.trim() || 'now';
    writeUrl();
    redraw();
  }

  for (const b of document.querySelectorAll('#presets button')) {
    b.addEventListener('click', () => setRange(b.dataset.from, 'now'));
  }
  $('range-form').addEventListener('submit', e => {
    e.preventDefault();
    setRange($('from').value, $('until').value);
  });
  $('target-form').addEventListener('submit', e => {
    e.preventDefault();
    // several targets may be given separated by " ; " (a ';' inside a tagged name has no spaces around it)
    state.targets = $('target').value.split(' ; ').map(t => t.trim()).filter(t => t !== '');
    writeUrl();
    redraw();
  });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (chart.dataset.state === 'drawn') redraw(); }, 250);
  });
  redraw();
})();
