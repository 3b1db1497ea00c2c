/* Shared helpers for Tally's pages: HTTP calls, readable errors, DOM building, number and time formatting.
   No framework, no build step; every page loads this file first. */
'use strict';

const Tally = (() => {
  /** An HTTP answer that was not 2xx; message is the server's text, tags stripped. */
  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** The server's error text in readable form: /render answers HTML-escaped text, the tag API JSON {error}. */
  function readableError(text, contentType) {
    if (contentType && contentType.includes('json')) {
      try {
        const parsed = JSON.parse(text);
        if (parsed && typeof parsed.error === 'string') return parsed.error;
      } catch (ignored) { /* not JSON after all: fall through to the text */ }
    }
    if (contentType && contentType.includes('html')) {
      const doc = new DOMParser().parseFromString(text, 'text/html');
      return (doc.body ? doc.body.textContent : text).trim();
    }
    return text.trim();
  }

  async function request(url) {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new HttpError(0, 'Tally did not answer (' + e.message + ')');
    }
    if (!res.ok) {
      const text = await res.text();
      throw new HttpError(res.status, readableError(text, res.headers.get('Content-Type')) || ('HTTP ' + res.status));
    }
    return res;
  }

  async function json(url) {
    return (await request(url)).json();
  }

  async function text(url) {
    return (await request(url)).text();
  }

  /** Builds a query string; array values repeat the key (target=a&target=b). */
  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) v.forEach(x => q.append(k, x)); else q.append(k, v);
    }
    return q.toString();
  }

  /** el('td', {class: 'num', dataset: {label: 'Value'}}, 'text', childNode, ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function showError(box, err) {
    box.hidden = false;
    box.textContent = err instanceof HttpError && err.status ? 'HTTP ' + err.status + ': ' + err.message : String(err.message || err);
  }

  function hideError(box) {
    box.hidden = true;
    box.textContent = '';
  }

  /** 1234567 → "1.23M"; keeps small numbers readable. */
  function num(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return '—';
    const a = Math.abs(v);
    if (a >= 1e12) return (v / 1e12).toFixed(2) + 'T';
    if (a >= 1e9) return (v / 1e9).toFixed(2) + 'G';
    if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
    if (a >= 100 || Number.isInteger(v)) return String(Math.round(v * 100) / 100);
    return v.toPrecision(3);
  }

  function bytes(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return '—';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(v) : v.toFixed(1)) + ' ' + units[i];
  }

  /** Seconds → "3m", "2h 5m", "4d". */
  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + (Math.floor(s / 60) % 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + (Math.floor(s / 3600) % 24) + 'h';
  }

  /** ISO-8601 → "5m ago" (title holds the full time); null stays a dash. */
  function since(iso) {
    if (!iso) return '—';
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return iso;
    return duration((Date.now() - t) / 1000) + ' ago';
  }

  /** The newest non-null value of a /render series. */
  function lastValue(series) {
    const pts = series && series.datapoints ? series.datapoints : [];
    for (let i = pts.length - 1; i >= 0; i--) {
      if (pts[i][0] !== null) return pts[i][0];
    }
    return null;
  }

  return { HttpError, readableError, request, json, text, query, el, showError, hideError, num, bytes, duration, since, lastValue };
})();
