// Basalt web console: one page, hash routes, plain DOM. It talks only to the
// REST API of the node that served it (docs/http_api.md).
//
// Security rule for this file: everything that comes from the server (names,
// SQL text, values, error messages) reaches the page through textContent,
// createTextNode or attribute setters, never through innerHTML. The el()
// helper below is the only way this file builds elements, and it turns every
// string child into a text node.
'use strict';

(() => {
  const API = '/api/v1';
  const EDITOR_WAIT_MS = 300;    // how long POST /query waits before answering 202
  const EDITOR_POLL_MS = 300;    // editor: poll a running query this often
  const PROFILE_POLL_MS = 500;   // query page: poll a running query this often
  const LIST_REFRESH_MS = 2000;  // queries and cluster pages
  const PAGE_ROWS = 1000;        // rows fetched per "more rows" click

  // ---------------------------------------------------------------- DOM helpers

  // el('div', {class: 'x', onclick: f}, 'text', child, [more, children]):
  // attributes go through setAttribute (on* keys become listeners), strings
  // become text nodes, null/undefined/false children are skipped.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        node.addEventListener(key.slice(2), value);
      } else if (key === 'value' || key === 'max') {
        node[key] = value;  // properties, so a <progress>/<input> reflects them live
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    append(node, children);
    return node;
  }

  // Appends children (nodes, strings, arrays of them, nested) to node.
  function append(node, ...children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function link(href, ...children) { return el('a', {href}, ...children); }

  // ----------------------------------------------------------------- formatting

  function fmtBytes(bytes) {
    if (bytes === null || bytes === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let value = Number(bytes);
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
  }

  function fmtMs(ms) {
    if (ms === null || ms === undefined) return '–';
    ms = Number(ms);
    if (ms < 1) return `${ms.toFixed(3)} ms`;
    if (ms < 1000) return `${ms.toFixed(1)} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
    const minutes = Math.floor(ms / 60000);
    return `${minutes} min ${Math.round((ms - minutes * 60000) / 1000)} s`;
  }

  function fmtCount(n) {
    if (n === null || n === undefined) return '–';
    return Number(n).toLocaleString('en-US');
  }

  // Short local time for tables; the full ISO string goes in a tooltip.
  function fmtTime(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    const pad = (n, w = 2) => String(n).padStart(w, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
        `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
        `.${pad(date.getMilliseconds(), 3)}`;
  }

  function timeCell(iso) { return el('td', {title: iso || null, class: 'nowrap'}, fmtTime(iso)); }

  // A row value as text, per the API's value rules (NULL is null, DECIMAL and
  // everything non-numeric already a string).
  function valueCell(value) {
    if (value === null || value === undefined) return el('td', {class: 'null'}, 'NULL');
    if (typeof value === 'number') return el('td', {class: 'num'}, String(value));
    if (typeof value === 'boolean') return el('td', {class: 'bool'}, String(value));
    if (typeof value === 'object') return el('td', {}, JSON.stringify(value));
    return el('td', {}, value);
  }

  function stateBadge(state) {
    return el('span', {class: `badge state-${state || 'unknown'}`}, state || 'unknown');
  }

  function sqlSnippet(sql, max = 120) {
    const oneLine = String(sql || '').replace(/\s+/g, ' ').trim();
    return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  }

  // ---------------------------------------------------------------------- API

  // An API failure: the server's {"error": {...}} or one made up for a
  // network failure, so every page shows errors the same way.
  class ApiError extends Error {
    constructor(status, error, body) {
      super(error.message || 'request failed');
      this.status = status;
      this.code = error.code || String(status);
      this.position = error.position;
      this.body = body;  // the whole answer: a failed query's also carries id and state
    }
  }

  // fetch() with JSON in and out. Resolves with {status, body} for 2xx,
  // rejects with an ApiError otherwise.
  async function api(method, path, payload) {
    const init = {method, headers: {Accept: 'application/json'}};
    if (payload !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(payload);
    }
    let response;
    try {
      response = await fetch(API + path, init);
    } catch (e) {
      throw new ApiError(0, {code: '08006', message: `cannot reach the server: ${e.message}`});
    }
    let body = null;
    const text = await response.text();
    if (text) {
      try {
        body = JSON.parse(text);
      } catch (e) {
        body = {error: {code: String(response.status), message: text.slice(0, 500)}};
      }
    }
    if (!response.ok) {
      const error = (body && body.error) ||
          {code: String(response.status), message: `${response.status} ${response.statusText}`};
      throw new ApiError(response.status, normalizeError(error), body);
    }
    return {status: response.status, body};
  }

  // A query's `error` field may be an object or, defensively, a bare string.
  function normalizeError(error) {
    if (!error) return null;
    if (typeof error === 'string') return {code: '', message: error};
    return error;
  }

  const q = (id) => `/queries/${encodeURIComponent(id)}`;

  // The red box: SQLSTATE code, message, and when the error has a position
  // and we know the SQL, the offending line with a caret under the column.
  function errorBox(error, sql, id) {
    error = normalizeError(error) || {code: '', message: 'unknown error'};
    const box = el('div', {class: 'error-box', role: 'alert'});
    if (id) box.id = id;
    append(box, [
      el('div', {class: 'error-head'},
         error.code ? el('span', {class: 'sqlstate'}, error.code) : null,
         el('span', {class: 'error-message'}, error.message || '')),
    ]);
    const marked = markPosition(sql, error.position);
    if (marked) {
      append(box, el('pre', {class: 'error-position'},
                     el('span', {class: 'muted'}, `line ${marked.line}, column ${marked.column}\n`),
                     marked.text, '\n', el('span', {class: 'caret'}, marked.caret)));
    }
    return box;
  }

  // `position` is a 0-based byte offset into the UTF-8 SQL text; JavaScript
  // strings count UTF-16 units, so convert through the bytes.
  function markPosition(sql, position) {
    if (typeof sql !== 'string' || typeof position !== 'number' || position < 0) return null;
    const bytes = new TextEncoder().encode(sql);
    const offset = new TextDecoder().decode(bytes.slice(0, Math.min(position, bytes.length))).length;
    const lineStart = offset === 0 ? 0 : sql.lastIndexOf('\n', offset - 1) + 1;
    let lineEnd = sql.indexOf('\n', offset);
    if (lineEnd < 0) lineEnd = sql.length;
    const text = sql.slice(lineStart, lineEnd).replace(/\t/g, ' ');
    const column = offset - lineStart;
    const line = sql.slice(0, lineStart).split('\n').length;
    return {line, column: column + 1, text, caret: `${' '.repeat(column)}^`};
  }

  // ------------------------------------------------------------ page lifetime

  // Each route render gets a Page; leaving it stops its timers and makes its
  // pending fetches drop their answers, so a slow answer never draws over the
  // next page.
  class Page {
    constructor() { this.alive = true; this.timers = new Set(); }
    // Runs fn now and then every `ms` after each run ends (never overlapping).
    every(ms, fn) {
      const tick = async () => {
        if (!this.alive) return;
        try { await fn(); } catch (e) { console.error(e); }
        if (this.alive) this.timers.add(setTimeout(tick, ms));
      };
      tick();
    }
    sleep(ms) {
      return new Promise((resolve) => { this.timers.add(setTimeout(resolve, ms)); });
    }
    close() {
      this.alive = false;
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
    }
  }

  let currentPage = null;

  // ------------------------------------------------------------------- router

  const routes = [
    {re: /^\/?$/, page: 'editor', render: renderEditor},
    {re: /^\/editor$/, page: 'editor', render: renderEditor},
    {re: /^\/queries$/, page: 'queries', render: renderQueries},
    {re: /^\/query\/?$/, page: 'query', render: renderQueryPicker},
    {re: /^\/query\/([^/]+)$/, page: 'query', render: renderQuery},
    {re: /^\/cluster$/, page: 'cluster', render: renderCluster},
    {re: /^\/catalog(?:\/([^/]*))?(?:\/([^/]*))?$/, page: 'catalog', render: renderCatalog},
  ];

  function route() {
    const hash = location.hash.replace(/^#/, '');
    if (currentPage) currentPage.close();
    currentPage = new Page();
    const main = clear(document.getElementById('main'));
    for (const r of routes) {
      const m = r.re.exec(hash);
      if (!m) continue;
      setActiveNav(r.page);
      // Route parts are percent-encoded names (schemas, tables, ids).
      const args = m.slice(1).map((part) => (part ? safeDecode(part) : ''));
      document.title = `Basalt · ${r.page}`;
      r.render(main, currentPage, ...args);
      return;
    }
    setActiveNav('');
    append(main, errorBox({code: '404', message: `no page ${hash}`}));
  }

  function safeDecode(part) {
    try { return decodeURIComponent(part); } catch (e) { return part; }
  }

  function setActiveNav(page) {
    for (const a of document.querySelectorAll('#nav a')) {
      a.classList.toggle('active', a.dataset.page === page);
    }
  }

  // A page's heading, with an optional note on the right.
  function heading(title, ...extra) {
    return el('div', {class: 'page-head'}, el('h1', {}, title), ...extra);
  }

  // -------------------------------------------------------------- SQL editor

  // The SQL text survives navigating away and reloads (sessionStorage, this
  // tab only); the last query's id, which prefills #/query/, navigation only.
  const editorState = {
    sql: sessionStorage.getItem('basalt.sql') || 'SELECT 42 AS answer;',
    lastId: null,
    run: 0,  // a counter so an older run's late answer is ignored
  };

  function renderEditor(main, page) {
    const sql = el('textarea', {id: 'sql', spellcheck: 'false', autocapitalize: 'off',
                                 'aria-label': 'SQL', rows: 10});
    sql.value = editorState.sql;
    const run = el('button', {id: 'run', class: 'primary', type: 'button',
                              title: 'Run (Ctrl+Enter)'}, 'Run');
    const status = el('div', {id: 'status', class: 'run-status'});
    const results = el('div', {id: 'results'});
    // Ctrl+Enter bypasses the disabled button, so check here too.
    const start = () => { if (!run.disabled) runEditorQuery(page, sql.value, {run, status, results}); };

    sql.addEventListener('input', () => {
      editorState.sql = sql.value;
      sessionStorage.setItem('basalt.sql', sql.value);
    });
    sql.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); start(); }
    });
    run.addEventListener('click', start);

    append(main, [
      heading('SQL'),
      el('div', {class: 'editor'}, sql,
         el('div', {class: 'toolbar'}, run, el('span', {class: 'hint'}, 'Ctrl+Enter runs'), status)),
      results,
    ]);
    sql.focus();
  }

  // Runs `text` and draws what comes back: rows, a progress bar while it runs
  // (with Cancel), or the error.
  async function runEditorQuery(page, text, ui) {
    const myRun = ++editorState.run;
    const current = () => page.alive && myRun === editorState.run;
    ui.run.disabled = true;
    clear(ui.status);
    clear(ui.results);
    append(ui.status, el('span', {class: 'muted'}, 'running…'));
    try {
      let answer;
      try {
        answer = await api('POST', '/query', {sql: text, wait_ms: EDITOR_WAIT_MS});
      } catch (e) {
        if (!current()) return;
        const id = e.body && e.body.id;
        if (id) editorState.lastId = id;
        showEditorError(ui, e, text, id, e.body && e.body.state);
        return;
      }
      if (!current()) return;
      let body = answer.body;
      editorState.lastId = body.id;
      if (answer.status === 202 || body.state === 'running') {
        body = await followRunningQuery(page, body, text, ui, current);
        if (!body) return;
      }
      showResult(ui, body);
    } finally {
      ui.run.disabled = false;
    }
  }

  // Polls a running query, showing progress and a Cancel button, until it
  // ends; then returns its first page of rows in the shape of a finished
  // POST answer, or shows its error and returns null.
  async function followRunningQuery(page, body, text, ui, current) {
    const id = body.id;
    if (!id) {
      // Nothing to poll or cancel: say so rather than spin.
      showEditorError(ui, {code: '', message: 'the server answered "running" without a query id'}, text);
      return null;
    }
    const progress = el('progress', {id: 'progress', max: 1, value: 0});
    const progressText = el('span', {class: 'progress-text'});
    const cancel = el('button', {id: 'cancel', type: 'button', class: 'danger'}, 'Cancel');
    cancel.addEventListener('click', async () => {
      cancel.disabled = true;
      try {
        await api('DELETE', q(id));
      } catch (e) {
        // 409: it ended on its own meanwhile; the poll below shows how.
        if (e.status !== 409) append(ui.results, errorBox(e));
      }
    });
    clear(ui.status);
    append(ui.status, [progress, progressText, cancel,
                       link(`#/query/${encodeURIComponent(id)}`, 'profile')]);
    drawProgress(progress, progressText, body.progress);

    let info = body;
    const started = Date.now();
    while (info.state === 'running') {
      await page.sleep(EDITOR_POLL_MS);
      if (!current()) return null;
      try {
        info = (await api('GET', q(id))).body;
      } catch (e) {
        if (!current()) return null;
        showEditorError(ui, e, text, id);
        return null;
      }
      if (!current()) return null;
      drawProgress(progress, progressText, info.progress, Date.now() - started);
    }
    if (info.state !== 'finished') {
      const error = normalizeError(info.error) ||
          (info.state === 'cancelled' ? {code: '57014', message: 'the query was cancelled'}
                                      : {code: '', message: `the query ${info.state}`});
      showEditorError(ui, error, info.sql || text, id, info.state);
      return null;
    }
    try {
      const rows = (await api('GET', `${q(id)}/rows?offset=0&limit=${PAGE_ROWS}`)).body;
      return {...rows, state: 'finished', tag: info.tag, duration_ms: info.duration_ms, id};
    } catch (e) {
      if (current()) showEditorError(ui, e, info.sql || text, id);
      return null;
    }
  }

  function drawProgress(progress, text, p, elapsedMs) {
    const fraction = p && typeof p.fraction === 'number' ? Math.max(0, Math.min(1, p.fraction)) : 0;
    progress.value = fraction;
    const parts = [`${(fraction * 100).toFixed(0)}%`];
    if (p && p.rows_estimated) {
      parts.push(`${fmtCount(p.rows_scanned)} of ~${fmtCount(p.rows_estimated)} rows`);
    } else if (p && p.rows_scanned) {
      parts.push(`${fmtCount(p.rows_scanned)} rows`);
    }
    if (p && p.instances_total) parts.push(`${p.instances_done}/${p.instances_total} instances`);
    if (elapsedMs !== undefined) parts.push(fmtMs(elapsedMs));
    text.textContent = parts.join(' · ');
  }

  function showEditorError(ui, error, sql, id, state) {
    clear(ui.status);
    append(ui.status, [
      state ? stateBadge(state) : null,
      id ? link(`#/query/${encodeURIComponent(id)}`, 'profile') : null,
    ]);
    clear(ui.results);
    append(ui.results, errorBox(error, sql, 'error'));
  }

  // A finished answer: summary line, the table, "more rows".
  function showResult(ui, body) {
    clear(ui.status);
    clear(ui.results);
    const columns = body.columns || [];
    const rows = body.rows || [];
    const count = el('span', {class: 'row-count'});
    const summary = el('div', {class: 'result-summary'},
                       stateBadge('finished'),
                       body.tag ? el('span', {class: 'tag'}, body.tag) : null,
                       count,
                       el('span', {class: 'duration'}, fmtMs(body.duration_ms)),
                       body.id ? link(`#/query/${encodeURIComponent(body.id)}`, 'profile') : null);
    append(ui.results, summary);
    // NOTICEs and WARNINGs the statements raised, as psql would print them.
    const notices = body.notices || [];
    if (notices.length) {
      append(ui.results, el('ul', {class: 'notices'}, notices.map((n) =>
          el('li', {}, n.code ? el('code', {class: 'sqlstate'}, n.code) : null, ' ', n.message))));
    }
    if (columns.length === 0) {
      count.textContent = body.tag ? '' : `${fmtCount(body.row_count || 0)} rows`;
      return;
    }
    const tbody = el('tbody');
    const resultTable = el('table', {class: 'data result-table'},
                     el('thead', {}, el('tr', {}, columns.map((c) =>
                         el('th', {}, el('div', {class: 'col-name'}, c.name),
                            el('div', {class: 'col-type'}, c.type))))),
                     tbody);
    let shown = 0;
    const addRows = (more) => {
      for (const row of more) tbody.appendChild(el('tr', {}, row.map(valueCell)));
      shown += more.length;
    };
    addRows(rows);
    const more = el('button', {type: 'button', class: 'more'}, 'More rows');
    let nextOffset = body.next_offset;
    const setCount = () => {
      count.textContent = nextOffset === null || nextOffset === undefined
          ? `${fmtCount(shown)} row${shown === 1 ? '' : 's'}`
          : `${fmtCount(shown)} rows shown, more available`;
      more.hidden = nextOffset === null || nextOffset === undefined;
    };
    more.addEventListener('click', async () => {
      more.disabled = true;
      try {
        const page = (await api('GET',
            `${q(body.id)}/rows?offset=${nextOffset}&limit=${PAGE_ROWS}`)).body;
        addRows(page.rows || []);
        nextOffset = page.next_offset;
      } catch (e) {
        append(ui.results, errorBox(e));
      }
      more.disabled = false;
      setCount();
    });
    setCount();
    append(ui.results, [el('div', {class: 'table-scroll result-scroll'}, resultTable), more]);
  }

  // ------------------------------------------------------------ queries list

  function renderQueries(main, page) {
    const running = el('div');
    const recent = el('div');
    const errors = el('div');
    const updated = el('span', {class: 'muted'});
    append(main, [heading('Queries', updated), errors,
                  el('h2', {}, 'Running'), running, el('h2', {}, 'Recent'), recent]);
    page.every(LIST_REFRESH_MS, async () => {
      let body;
      try {
        body = (await api('GET', '/queries?limit=100')).body;
      } catch (e) {
        if (page.alive) { clear(errors); append(errors, errorBox(e)); }
        return;
      }
      if (!page.alive) return;
      clear(errors);
      const queries = body.queries || [];
      drawRunning(clear(running), queries.filter((x) => x.state === 'running'), errors);
      drawRecent(clear(recent), queries.filter((x) => x.state !== 'running'));
      updated.textContent = `updated ${fmtTime(new Date().toISOString())}`;
    });
  }

  function idLink(id) {
    return link(`#/query/${encodeURIComponent(id)}`, el('code', {}, id));
  }

  function drawRunning(container, queries, errors) {
    if (queries.length === 0) {
      append(container, el('p', {class: 'muted empty'}, 'No query is running.'));
      return;
    }
    const rows = queries.map((x) => {
      const cancel = el('button', {type: 'button', class: 'danger small'}, 'Cancel');
      cancel.addEventListener('click', async () => {
        cancel.disabled = true;
        try { await api('DELETE', q(x.id)); } catch (e) { append(clear(errors), errorBox(e)); }
      });
      const fraction = x.progress && typeof x.progress.fraction === 'number' ? x.progress.fraction : 0;
      return el('tr', {},
                el('td', {}, idLink(x.id)),
                el('td', {class: 'sql-cell', title: x.sql}, sqlSnippet(x.sql)),
                el('td', {}, x.user), el('td', {}, x.client), timeCell(x.start),
                el('td', {class: 'num'}, fmtMs(x.duration_ms)),
                el('td', {class: 'nowrap'}, el('progress', {max: 1, value: fraction}),
                   ` ${(fraction * 100).toFixed(0)}%`),
                el('td', {}, cancel));
    });
    append(container, table(['id', 'sql', 'user', 'client', 'start', 'duration', 'progress', ''],
                            rows));
  }

  function drawRecent(container, queries) {
    if (queries.length === 0) {
      append(container, el('p', {class: 'muted empty'}, 'No queries yet.'));
      return;
    }
    const rows = queries.map((x) => {
      const error = normalizeError(x.error);
      return el('tr', {},
                el('td', {}, idLink(x.id)), el('td', {}, stateBadge(x.state)),
                el('td', {class: 'sql-cell', title: x.sql}, sqlSnippet(x.sql)),
                el('td', {}, x.user), el('td', {}, x.client), timeCell(x.start),
                el('td', {class: 'num'}, fmtMs(x.duration_ms)),
                el('td', {class: 'num'}, fmtCount(x.rows)),
                el('td', {title: error ? error.message : null},
                   error ? el('code', {class: 'sqlstate'}, error.code || '?') : ''));
    });
    append(container, table(['id', 'state', 'sql', 'user', 'client', 'start', 'duration', 'rows',
                             'error'], rows));
  }

  function table(headers, rows) {
    return el('div', {class: 'table-scroll'},
              el('table', {class: 'data'},
                 el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
                 el('tbody', {}, rows)));
  }

  // ------------------------------------------------------------ query profile

  // #/query/ with no id: a box to type one, prefilled with the editor's last.
  function renderQueryPicker(main) {
    const input = el('input', {type: 'text', placeholder: 'query id', 'aria-label': 'query id',
                               size: 40});
    input.value = editorState.lastId || '';
    const go = () => { if (input.value.trim()) location.hash = `#/query/${encodeURIComponent(input.value.trim())}`; };
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
    append(main, [heading('Query profile'),
                  el('p', {}, 'Open a query from ', link('#/queries', 'Queries'),
                     ', or type its id: '),
                  el('div', {class: 'toolbar'}, input,
                     el('button', {type: 'button', class: 'primary', onclick: go}, 'Open'))]);
  }

  function renderQuery(main, page, id) {
    const body = el('div');
    append(main, [heading('Query ', el('code', {}, id)), body]);
    // The plan-text <details> keeps its open state across redraws.
    const view = {planTextOpen: false};
    page.every(PROFILE_POLL_MS, async () => {
      let info;
      try {
        info = (await api('GET', q(id))).body;
      } catch (e) {
        if (page.alive) { clear(body); append(body, errorBox(e)); page.close(); }
        return;
      }
      if (!page.alive) return;
      drawQuery(clear(body), info, view);
      // A finished query does not change any more: stop polling.
      if (info.state !== 'running') page.close();
    });
  }

  function drawQuery(container, info, view) {
    const error = normalizeError(info.error);
    const fields = [
      ['state', stateBadge(info.state)],
      ['user', info.user], ['client', info.client],
      ['start', el('span', {title: info.start}, fmtTime(info.start))],
      ['duration', fmtMs(info.duration_ms)],
      ['rows', fmtCount(info.rows)],
      ['peak memory', fmtBytes(info.peak_memory)],
    ];
    if (info.tag) fields.splice(1, 0, ['tag', info.tag]);
    append(container, [
      el('pre', {class: 'sql'}, info.sql || ''),
      // <div> groups inside <dl> are valid HTML and let the grid keep each
      // label above its value.
      el('dl', {class: 'fields'},
         fields.map(([k, v]) => el('div', {class: 'field'}, el('dt', {}, k), el('dd', {}, v)))),
    ]);
    if (info.state === 'running') {
      const progress = el('progress', {id: 'progress', max: 1, value: 0});
      const text = el('span', {class: 'progress-text'});
      drawProgress(progress, text, info.progress);
      const cancel = el('button', {type: 'button', class: 'danger small'}, 'Cancel');
      cancel.addEventListener('click', async () => {
        cancel.disabled = true;
        try { await api('DELETE', q(info.id)); } catch (e) { append(container, errorBox(e)); }
      });
      append(container, el('div', {class: 'toolbar'}, progress, text, cancel));
    }
    if (error) append(container, errorBox(error, info.sql));
    if (info.plan) {
      append(container, drawPlan(info.plan));
    } else if (info.state !== 'running') {
      append(container, el('p', {class: 'muted'}, 'This statement ran no query plan.'));
    }
    if (info.plan_text) {
      const details = el('details', {class: 'plan-text'},
                         el('summary', {}, 'Plan text (EXPLAIN ANALYZE)'),
                         el('pre', {}, info.plan_text));
      details.open = view.planTextOpen;
      details.addEventListener('toggle', () => { view.planTextOpen = details.open; });
      append(container, details);
    }
  }

  // The plan: a summary line, then one box per fragment, in id order, each
  // holding its operator tree (root at the top, children indented below with
  // connector lines drawn by CSS).
  function drawPlan(plan) {
    const fragments = [...(plan.fragments || [])].sort((a, b) => a.id - b.id);
    return el('section', {class: 'plan'},
              el('h2', {}, 'Plan'),
              el('div', {class: 'plan-summary muted'},
                 `wall ${fmtMs(plan.wall_ms)} · ${fmtCount(plan.rows_returned)} rows returned · ` +
                 `peak memory ${fmtBytes(plan.peak_memory)} · ${fragments.length} fragment` +
                 `${fragments.length === 1 ? '' : 's'}`),
              fragments.map(drawFragment));
  }

  function drawFragment(fragment) {
    const hosts = fragment.hosts ? ` (${fragment.hosts})` : '';
    return el('div', {class: 'fragment', id: `fragment-${fragment.id}`,
                      'data-fragment-id': fragment.id},
              el('div', {class: 'fragment-title'},
                 `Fragment ${fragment.id} × ${fragment.parallelism}${hosts} → ${fragment.output || '?'}`),
              fragment.root ? el('ul', {class: 'tree'}, drawOperator(fragment.root))
                            : el('p', {class: 'muted'}, 'no operators'));
  }

  function drawOperator(op) {
    const stats = [
      metric('rows', `${fmtCount(op.rows)}` +
             (op.estimated_rows !== undefined && op.estimated_rows !== null
                 ? ` (est. ${fmtCount(op.estimated_rows)})` : '')),
      metric('time', fmtMs(op.time_ms)),
      metric('self', fmtMs(op.self_ms)),
      op.max_self_ms !== undefined && op.instances > 1 ? metric('max self', fmtMs(op.max_self_ms)) : null,
      metric('memory', fmtBytes(op.peak_memory)),
      metric('instances', fmtCount(op.instances)),
      op.batches !== undefined ? metric('batches', fmtCount(op.batches)) : null,
    ];
    const counters = Object.entries(op.counters || {});
    const box = el('div', {class: op.slowest ? 'operator slowest' : 'operator',
                           'data-node-id': op.id},
                   el('div', {class: 'op-head'},
                      el('span', {class: 'op-name'}, op.name),
                      el('span', {class: 'op-id muted'}, `#${op.id}`),
                      op.slowest ? el('span', {class: 'slowest-label'}, 'slowest') : null,
                      sourceLink(op)),
                   op.details ? el('div', {class: 'op-details'}, op.details) : null,
                   el('div', {class: 'op-stats'}, stats),
                   counters.length
                       ? el('div', {class: 'op-counters'},
                            counters.map(([k, v]) => metric(k, typeof v === 'number' ? fmtCount(v) : String(v))))
                       : null);
    const children = op.children || [];
    return el('li', {}, box,
              children.length ? el('ul', {}, children.map(drawOperator)) : null);
  }

  // An ExchangeReceiver names the fragment that feeds it; the link scrolls
  // there (a plain #fragment-N href would fight the hash router).
  function sourceLink(op) {
    if (op.source_fragment === undefined || op.source_fragment === null) return null;
    const a = el('a', {href: '', class: 'source-fragment'}, `← Fragment ${op.source_fragment}`);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const target = document.getElementById(`fragment-${op.source_fragment}`);
      if (target) {
        target.scrollIntoView({behavior: 'smooth', block: 'start'});
        target.classList.add('flash');
        setTimeout(() => target.classList.remove('flash'), 1200);
      }
    });
    return a;
  }

  function metric(label, value) {
    return el('span', {class: 'metric'}, el('span', {class: 'metric-label'}, label), ' ', value);
  }

  // ----------------------------------------------------------------- cluster

  function renderCluster(main, page) {
    const errors = el('div');
    const nodes = el('div');
    const updated = el('span', {class: 'muted'});
    append(main, [heading('Cluster', updated), errors, nodes]);
    page.every(LIST_REFRESH_MS, async () => {
      let body;
      try {
        body = (await api('GET', '/cluster/nodes')).body;
      } catch (e) {
        if (page.alive) { clear(errors); append(errors, errorBox(e)); }
        return;
      }
      if (!page.alive) return;
      clear(errors);
      drawNodes(clear(nodes), body.nodes || []);
      updated.textContent = `updated ${fmtTime(new Date().toISOString())}`;
    });
  }

  // "rpc 27010 · sql 5433 · http 8090", leaving out the ports a node lacks
  // (an executor serves no SQL).
  function ports(n) {
    const list = [['rpc', n.rpc_port], ['sql', n.sql_port], ['http', n.http_port]]
        .filter(([, p]) => p).map(([name, p]) => `${name} ${p}`);
    return list.length ? list.join(' · ') : '–';
  }

  function drawNodes(container, nodes) {
    const rows = nodes.map((n) => el('tr', {'data-node': n.name},
        el('td', {}, el('code', {}, n.name)),
        el('td', {}, (n.roles || []).map((r) => el('span', {class: 'role'}, r))),
        el('td', {}, n.address),
        el('td', {class: 'nowrap'}, ports(n)),
        el('td', {}, el('span', {class: `badge health-${n.health}`}, n.health)),
        el('td', {class: 'num'}, fmtCount(n.cores)),
        el('td', {class: 'num'}, fmtBytes(n.memory_bytes)),
        el('td', {class: 'num', title: n.last_heartbeat || null},
           n.last_heartbeat_ms_ago === null || n.last_heartbeat_ms_ago === undefined
               ? '–' : `${fmtCount(n.last_heartbeat_ms_ago)} ms ago`)));
    const healthy = nodes.filter((n) => n.health === 'healthy').length;
    append(container, [
      el('p', {class: 'muted'}, `${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${healthy} healthy`),
      table(['name', 'roles', 'address', 'ports', 'health', 'cores', 'memory', 'last heartbeat'],
            rows),
    ]);
  }

  // ----------------------------------------------------------------- catalog

  // Three panes: schemas, the chosen schema's tables, the chosen table. The
  // choice lives in the hash (#/catalog/schema/table, percent-encoded), so
  // a table's page can be linked and reloaded.
  function renderCatalog(main, page, schema, tableName) {
    const schemas = el('div', {class: 'pane'}, el('h2', {}, 'Schemas'));
    const tables = el('div', {class: 'pane'}, el('h2', {}, 'Tables'));
    const detail = el('div', {class: 'pane wide'});
    append(main, [heading('Catalog'), el('div', {class: 'panes'}, schemas, tables, detail)]);
    loadInto(page, schemas, '/catalog/schemas', (body) => drawSchemas(body.schemas || [], schema));
    if (schema) {
      loadInto(page, tables, `/catalog/schemas/${encodeURIComponent(schema)}/tables`,
               (body) => drawTables(schema, body.tables || [], tableName));
    } else {
      append(tables, el('p', {class: 'muted'}, 'Choose a schema.'));
    }
    if (schema && tableName) {
      loadInto(page, detail,
               `/catalog/schemas/${encodeURIComponent(schema)}/tables/${encodeURIComponent(tableName)}`,
               drawTable);
    }
  }

  // GETs `path` and appends draw(body) to `container`, or the error.
  async function loadInto(page, container, path, draw) {
    const loading = el('p', {class: 'muted'}, 'loading…');
    append(container, loading);
    let body;
    try {
      body = (await api('GET', path)).body;
    } catch (e) {
      if (page.alive) { loading.remove(); append(container, errorBox(e)); }
      return;
    }
    if (!page.alive) return;
    loading.remove();
    append(container, draw(body));
  }

  const catalogHref = (...parts) => `#/catalog/${parts.map(encodeURIComponent).join('/')}`;

  function drawSchemas(schemas, chosen) {
    if (schemas.length === 0) return el('p', {class: 'muted'}, 'No schemas.');
    return el('ul', {class: 'pick-list'}, schemas.map((s) =>
        el('li', {class: s.name === chosen ? 'chosen' : null},
           link(catalogHref(s.name), el('span', {class: 'name'}, s.name)),
           el('span', {class: 'muted count'}, `${fmtCount(s.tables)} table${s.tables === 1 ? '' : 's'}`))));
  }

  function drawTables(schema, tables, chosen) {
    if (tables.length === 0) return el('p', {class: 'muted'}, 'No tables.');
    return el('ul', {class: 'pick-list'}, tables.map((t) =>
        el('li', {class: t.name === chosen ? 'chosen' : null},
           link(catalogHref(schema, t.name), el('span', {class: 'name'}, t.name)),
           el('span', {class: 'muted count'},
              `${t.kind}${t.rows === null || t.rows === undefined ? ''
                                 : ` · ${fmtCount(t.rows)} row${t.rows === 1 ? '' : 's'}`}`))));
  }

  function drawTable(t) {
    const columns = (t.columns || []).map((c) => el('tr', {},
        el('td', {class: 'name'}, c.name), el('td', {}, el('code', {}, c.type)),
        el('td', {}, c.nullable ? 'yes' : 'no')));
    const segments = (t.segments || []).map((s) => el('tr', {},
        el('td', {}, el('code', {}, String(s.id))),
        el('td', {class: 'num'}, fmtCount(s.rows)),
        el('td', {class: 'num'}, fmtBytes(s.size_bytes)),
        el('td', {}, s.interval_start === null || s.interval_start === undefined ? '–' : String(s.interval_start)),
        el('td', {}, s.interval_end === null || s.interval_end === undefined ? '–' : String(s.interval_end)),
        el('td', {class: 'num'}, s.version === undefined ? '–' : String(s.version))));
    return [
      el('h2', {class: 'table-title'}, el('span', {class: 'muted'}, `${t.schema}.`),
         el('span', {class: 'name'}, t.name), ' ', el('span', {class: 'badge'}, t.kind)),
      el('h3', {}, 'Columns'),
      columns.length ? table(['name', 'type', 'nullable'], columns)
                     : el('p', {class: 'muted'}, 'No columns.'),
      el('h3', {}, 'Segments'),
      segments.length ? table(['id', 'rows', 'size', 'interval start', 'interval end', 'version'],
                              segments)
                      : el('p', {class: 'muted'}, 'No segments.'),
    ];
  }

  // -------------------------------------------------------------------- start

  window.addEventListener('hashchange', route);
  if (!location.hash) history.replaceState(null, '', '#/editor');
  route();
})();
