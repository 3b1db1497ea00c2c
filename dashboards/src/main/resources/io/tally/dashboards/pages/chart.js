/* A small SVG line chart for /render?format=json answers: linear scales, nulls break the line, a few labelled
   ticks, a legend. Used at full size on the graph page and as sparklines on the status and alert pages. */
'use strict';

const Chart = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

  function svg(tag, attrs) {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    return n;
  }

  /** [min, max] over all series' values and times; null when there is no value at all. */
  function extent(seriesList) {
    let vmin = Infinity, vmax = -Infinity, tmin = Infinity, tmax = -Infinity;
    for (const s of seriesList) {
      for (const [v, t] of s.datapoints) {
        if (t < tmin) tmin = t;
        if (t > tmax) tmax = t;
        if (v === null || !Number.isFinite(v)) continue;
        if (v < vmin) vmin = v;
        if (v > vmax) vmax = v;
      }
    }
    if (tmin === Infinity) return null;
    if (vmin === Infinity) { vmin = 0; vmax = 1; }
    if (vmin === vmax) { vmin -= 1; vmax += 1; }
    if (tmin === tmax) tmax = tmin + 1;
    return { vmin, vmax, tmin, tmax };
  }

  /** The SVG path of one series: M at the start of every run of non-null points. */
  function pathOf(series, x, y) {
    let d = '';
    let pen = false;
    for (const [v, t] of series.datapoints) {
      if (v === null || !Number.isFinite(v)) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + x(t).toFixed(1) + ' ' + y(v).toFixed(1);
      pen = true;
    }
    return d;
  }

  function niceTicks(min, max, count) {
    const span = max - min;
    const step0 = span / count;
    const mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 5, 10].map(m => m * mag).find(s => span / s <= count) || 10 * mag;
    const ticks = [];
    for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(v);
    return ticks;
  }

  function timeLabel(t, span) {
    const d = new Date(t * 1000);
    const hm = String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
    if (span <= 86400) return hm;
    return (d.getMonth() + 1) + '/' + d.getDate() + (span <= 7 * 86400 ? ' ' + hm : '');
  }

  /** Draws a full chart with axes and a legend into container (emptied first). */
  function draw(container, seriesList, opts) {
    container.textContent = '';
    const width = Math.max(280, Math.round(container.clientWidth || 800));
    const height = (opts && opts.height) || Math.round(Math.min(420, Math.max(220, width * 0.45)));
    const m = { l: 56, r: 10, t: 10, b: 24 };
    const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img' });
    const ext = extent(seriesList);
    if (!ext) {
      container.append(root);
      const t = svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' });
      t.textContent = 'no data';
      root.append(t);
      return root;
    }
    const x = t => m.l + (t - ext.tmin) / (ext.tmax - ext.tmin) * (width - m.l - m.r);
    const y = v => height - m.b - (v - ext.vmin) / (ext.vmax - ext.vmin) * (height - m.t - m.b);
    for (const v of niceTicks(ext.vmin, ext.vmax, 5)) {
      root.append(svg('line', { class: 'grid', x1: m.l, x2: width - m.r, y1: y(v), y2: y(v) }));
      const label = svg('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end' });
      label.textContent = Tally.num(v);
      root.append(label);
    }
    const span = ext.tmax - ext.tmin;
    const tickStep = niceTimeStep(span);
    for (let t = Math.ceil(ext.tmin / tickStep) * tickStep; t <= ext.tmax; t += tickStep) {
      const label = svg('text', { x: x(t), y: height - 6, 'text-anchor': 'middle' });
      label.textContent = timeLabel(t, span);
      root.append(label);
    }
    root.append(svg('line', { class: 'axis', x1: m.l, x2: m.l, y1: m.t, y2: height - m.b }));
    root.append(svg('line', { class: 'axis', x1: m.l, x2: width - m.r, y1: height - m.b, y2: height - m.b }));
    const legend = document.createElement('div');
    legend.className = 'legend';
    seriesList.forEach((s, i) => {
      const color = COLORS[i % COLORS.length];
      const p = svg('path', { class: 'series', d: pathOf(s, x, y), stroke: color });
      p.dataset.target = s.target;
      root.append(p);
      const item = document.createElement('span');
      item.style.setProperty('--swatch', color);
      item.textContent = s.target + '  last ' + Tally.num(Tally.lastValue(s));
      legend.append(item);
    });
    container.append(root, legend);
    readout(container, root, seriesList, x, ext, width, m, height);
    return root;
  }

  /** Hover (or touch) readout: a vertical cursor and the values of every series at the nearest timestamp. */
  function readout(container, root, seriesList, x, ext, width, m, height) {
    const cursor = svg('line', { class: 'cursor', y1: m.t, y2: height - m.b, visibility: 'hidden' });
    root.append(cursor);
    const box = document.createElement('div');
    box.className = 'readout';
    box.hidden = true;
    container.append(box);
    const times = seriesList.length ? seriesList[0].datapoints.map(p => p[1]) : [];
    function show(event) {
      const rect = root.getBoundingClientRect();
      if (!times.length || rect.width === 0) return;
      const t = ext.tmin + ((event.clientX - rect.left) * width / rect.width - m.l) / (width - m.l - m.r) * (ext.tmax - ext.tmin);
      let i = 0;
      while (i + 1 < times.length && Math.abs(times[i + 1] - t) <= Math.abs(times[i] - t)) i++;
      const at = times[i];
      cursor.setAttribute('x1', x(at));
      cursor.setAttribute('x2', x(at));
      cursor.setAttribute('visibility', 'visible');
      box.textContent = new Date(at * 1000).toLocaleString();
      seriesList.slice(0, 10).forEach((s, k) => {
        const point = s.datapoints.find(p => p[1] === at);
        const line = document.createElement('div');
        line.style.setProperty('--swatch', COLORS[k % COLORS.length]);
        line.textContent = s.target + ': ' + Tally.num(point ? point[0] : null);
        box.append(line);
      });
      box.hidden = false;
    }
    root.addEventListener('pointermove', show);
    root.addEventListener('pointerdown', show);
    root.addEventListener('pointerleave', () => { cursor.setAttribute('visibility', 'hidden'); box.hidden = true; });
  }

  function niceTimeStep(span) {
    const steps = [60, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 604800];
    return steps.find(s => span / s <= 8) || 2592000;
  }

  /** A tiny line chart without axes; optional threshold lines ({warn, crit}). */
  function sparkline(seriesList, thresholds) {
    const w = 120, h = 28;
    const root = svg('svg', { class: 'chart spark', viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: 'none', role: 'img' });
    const list = seriesList || [];
    const ext = extent(list);
    if (!ext) return root;
    for (const v of [thresholds && thresholds.warn, thresholds && thresholds.crit]) {
      if (typeof v === 'number') { ext.vmin = Math.min(ext.vmin, v); ext.vmax = Math.max(ext.vmax, v); }
    }
    const x = t => 1 + (t - ext.tmin) / (ext.tmax - ext.tmin) * (w - 2);
    const y = v => h - 2 - (v - ext.vmin) / (ext.vmax - ext.vmin) * (h - 4);
    if (thresholds) {
      if (typeof thresholds.warn === 'number') root.append(svg('line', { x1: 0, x2: w, y1: y(thresholds.warn), y2: y(thresholds.warn), stroke: 'var(--warning)', 'stroke-dasharray': '3 2' }));
      if (typeof thresholds.crit === 'number') root.append(svg('line', { x1: 0, x2: w, y1: y(thresholds.crit), y2: y(thresholds.crit), stroke: 'var(--critical)', 'stroke-dasharray': '3 2' }));
    }
    list.forEach((s, i) => root.append(svg('path', { class: 'series', d: pathOf(s, x, y), stroke: COLORS[i % COLORS.length] })));
    return root;
  }

  return { draw, sparkline, pathOf };
})();
