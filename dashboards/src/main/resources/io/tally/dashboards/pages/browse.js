/* Metric browser: the tree from /metrics/find (treejson), one level per click; tags from /tags and
   /tags/autoComplete/*. Leaves and tag values link to the graph page. */
'use strict';

(() => {
  const $ = id => document.getElementById(id);
  const { el } = Tally;
  const errorBox = $('error');

  function graphHref(target) {
    return '/ui/graph?' + Tally.query({ target, from: '-6h', until: 'now' });
  }

  /** One treejson entry as a list item: a branch gets a toggle that loads its children once. */
  function node(entry) {
    if (entry.leaf && !entry.expandable) {
      return el('li', { class: 'leaf', dataset: { id: entry.id } }, el('a', { href: graphHref(entry.id) }, entry.text));
    }
    const children = el('ul', { hidden: true });
    const toggle = el('button', { type: 'button', class: 'toggle', 'aria-expanded': 'false', 'aria-label': 'expand ' + entry.id }, '▸');
    const li = el('li', { class: 'branch', dataset: { id: entry.id } }, toggle,
      el('a', { href: graphHref(entry.id + '.*') }, entry.text), children);
    let loaded = false;
    toggle.addEventListener('click', async () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      if (open) {
        toggle.setAttribute('aria-expanded', 'false');
        toggle.textContent = '▸';
        children.hidden = true;
        return;
      }
      if (!loaded) {
        li.dataset.state = 'loading';
        try {
          await fill(children, entry.id + '.*');
          loaded = true;
        } catch (e) {
          Tally.showError(errorBox, e);
          li.dataset.state = 'error';
          return;
        }
      }
      toggle.setAttribute('aria-expanded', 'true');
      toggle.textContent = '▾';
      children.hidden = false;
      li.dataset.state = 'open';
    });
    return li;
  }

  async function fill(list, query) {
    // like Grafana, hide the _tagged branch at the root: tagged series are listed under Tags
    const entries = (await Tally.json('/metrics/find?' + Tally.query({ query })))
      .filter(e => !(query === '*' && e.id === '_tagged'));
    list.textContent = '';
    if (entries.length === 0) list.append(el('li', { class: 'muted' }, 'nothing matches ' + query));
    for (const e of entries) list.append(node(e));
  }

  async function loadTree(query) {
    const tree = $('tree');
    tree.dataset.state = 'loading';
    Tally.hideError(errorBox);
    try {
      await fill(tree, query);
      tree.dataset.state = 'ready';
    } catch (e) {
      Tally.showError(errorBox, e);
      tree.dataset.state = 'error';
    }
  }

  async function loadTags(prefix) {
    const box = $('tags');
    box.dataset.state = 'loading';
    try {
      const names = prefix
        ? await Tally.json('/tags/autoComplete/tags?' + Tally.query({ tagPrefix: prefix, limit: 200 }))
        : (await Tally.json('/tags?' + Tally.query({ limit: 200 }))).map(t => t.tag);
      box.textContent = '';
      if (names.length === 0) box.append(el('span', { class: 'muted' }, 'no tagged series'));
      for (const name of names) {
        box.append(el('button', { type: 'button', class: 'tag', onclick: () => loadValues(name) }, name));
      }
      box.dataset.state = 'ready';
    } catch (e) {
      Tally.showError(errorBox, e);
      box.dataset.state = 'error';
    }
  }

  async function loadValues(tag) {
    const title = $('values-title');
    const box = $('values');
    title.hidden = false;
    title.textContent = 'Values of ' + tag;
    try {
      const values = await Tally.json('/tags/autoComplete/values?' + Tally.query({ tag, limit: 200 }));
      box.textContent = '';
      for (const v of values) {
        const quote = (tag + v).includes("'") ? '"' : "'";
        box.append(el('a', { class: 'tag', href: graphHref('seriesByTag(' + quote + tag + '=' + v + quote + ')') }, v));
      }
    } catch (e) {
      Tally.showError(errorBox, e);
    }
  }

  $('find-form').addEventListener('submit', e => {
    e.preventDefault();
    loadTree($('find').value.trim() || '*');
  });
  $('tag-form').addEventListener('submit', e => {
    e.preventDefault();
    loadTags($('tag-prefix').value.trim());
  });
  const initial = new URLSearchParams(location.search).get('query') || '*';
  $('find').value = initial === '*' ? '' : initial;
  loadTree(initial);
  loadTags('');
})();
