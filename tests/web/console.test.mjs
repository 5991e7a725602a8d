#!/usr/bin/env node
// Real-browser tests of the web console (src/http/console, docs/http_api.md):
// a real `basalt server` and a real local cluster, driven through headless
// Chromium with playwright-core.
//
//   node tests/web/console.test.mjs --basalt build/basalt --screenshots build/web-screenshots
//
// (or BASALT_BIN / WEB_SCREENSHOTS in the environment; CHROMIUM overrides
// /usr/bin/chromium; KEEP_TMP=1 keeps the data directories and logs.)
//
// Each step prints PASS or FAIL with the reason; the script exits 1 when any
// step failed or the overall timeout hit, 0 otherwise. Every process it
// starts is killed by pid at the end, also on failure and on timeout.

import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const OVERALL_TIMEOUT_MS = Number(process.env.WEB_TEST_TIMEOUT_MS) || 180_000;
const XSS_TABLE = '<script>alert(1)</script>';
const XSS_COLUMN = '<img src=x onerror=alert(2)>';
// 10^10 joined rows: minutes of work, long enough to see it running and
// cancel it. (A lone generate_series(1, 2000000000) runs as long but does
// not notice a cancel until it ends.)
const LONG_SQL =
    'SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b';

// ------------------------------------------------------------------ options

function option(name, envName, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  return process.env[envName] || fallback;
}
const BASALT = path.resolve(option('basalt', 'BASALT_BIN', 'build/basalt'));
const SHOTS = path.resolve(option('screenshots', 'WEB_SCREENSHOTS', 'build/web-screenshots'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const KEEP_TMP = process.env.KEEP_TMP === '1';

// ------------------------------------------------------- processes, cleanup

const children = new Set();   // pids of processes we started
const clusterDirs = new Set(); // `basalt cluster` directories to stop
const tmpDirs = [];
const logs = [];               // [label, file] for printing on failure
let browser = null;

// Synchronous, so it also works from process.on('exit') and signal handlers.
function killEverything() {
  for (const dir of clusterDirs) {
    spawnSync(BASALT, ['cluster', 'stop', '--dir', dir], {timeout: 30_000, stdio: 'ignore'});
    // Whatever `cluster stop` left (it reads the node files; a killed node's
    // file remains): kill the recorded pids too.
    for (const node of readNodeFiles(dir)) children.add(node.pid);
    clusterDirs.delete(dir);
  }
  for (const pid of children) {
    try { process.kill(pid, 'SIGKILL'); } catch (e) { /* already gone */ }
  }
  children.clear();
}

function removeTmp() {
  if (KEEP_TMP) {
    for (const dir of tmpDirs) console.log(`kept ${dir}`);
    return;
  }
  for (const dir of tmpDirs) fs.rmSync(dir, {recursive: true, force: true});
}

process.on('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { killEverything(); process.exit(2); });
}

function makeTmp(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `fn` until it returns something truthy or `ms` pass.
async function waitFor(what, ms, fn, every = 100) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(every);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last: ${last.message})` : ''}`);
}

// `basalt cluster` node files: key=value lines (pid, host, rpc_port, ...).
function readNodeFiles(dir) {
  const nodesDir = path.join(dir, 'nodes');
  if (!fs.existsSync(nodesDir)) return [];
  return fs.readdirSync(nodesDir).filter((f) => f.endsWith('.node')).map((f) => {
    const fields = {label: f.replace(/\.node$/, '')};
    for (const line of fs.readFileSync(path.join(nodesDir, f), 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) fields[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    fields.pid = Number(fields.pid);
    return fields;
  });
}

function startServer(args, label, logDir) {
  const logFile = path.join(logDir, `${label}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(BASALT, ['server', ...args], {stdio: ['ignore', out, out]});
  fs.closeSync(out);
  children.add(child.pid);
  logs.push([label, logFile]);
  child.exitCode_ = null;
  child.on('exit', (code, signal) => {
    child.exitCode_ = code === null ? signal : code;
    children.delete(child.pid);
  });
  return child;
}

async function waitForHttp(base, child, ms = 30_000) {
  await waitFor(`HTTP on ${base}`, ms, async () => {
    if (child && child.exitCode_ !== null) {
      throw new Error(`the server exited (${child.exitCode_}) before serving HTTP`);
    }
    const r = await fetch(`${base}/api/v1/cluster/nodes`);
    return r.status < 500 || r.status === 503;
  }, 100).catch((e) => {
    if (child && child.exitCode_ !== null) {
      throw new Error(`the server exited (${child.exitCode_}) before serving HTTP`);
    }
    throw e;
  });
}

async function rest(base, method, route, body) {
  const r = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: body === undefined ? {} : {'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = {raw: text}; }
  return {status: r.status, json};
}

// -------------------------------------------------------------- the steps

const results = [];  // {name, ok, error}
let failed = false;

async function step(name, fn) {
  const start = Date.now();
  try {
    await fn();
    results.push({name, ok: true});
    console.log(`PASS ${name} (${Date.now() - start} ms)`);
  } catch (e) {
    failed = true;
    results.push({name, ok: false, error: e});
    console.log(`FAIL ${name} (${Date.now() - start} ms): ${e && e.message ? e.message : e}`);
    if (process.env.VERBOSE && e && e.stack) console.log(e.stack);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, {recursive: true});
  await page.screenshot({path: path.join(SHOTS, `${name}.png`), fullPage: true});
}

// A page whose JavaScript errors and dialogs (alert() from injected HTML)
// fail the test.
async function newPage() {
  const context = await browser.newContext({viewport: {width: 1400, height: 900}});
  const page = await context.newPage();
  page.pageProblems = [];
  page.on('dialog', async (dialog) => {
    page.pageProblems.push(`a ${dialog.type()} dialog fired: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => page.pageProblems.push(`page error: ${error.message}`));
  page.setDefaultTimeout(15_000);
  return page;
}

function checkNoProblems(page) {
  check(page.pageProblems.length === 0, page.pageProblems.join('; '));
}

// Single node: editor, profile, cancel, queries, catalog with hostile names.
async function singleNodeTests(logDir) {
  const dataDir = makeTmp('basalt-web-data-');
  const sqlPort = await freePort();
  const httpPort = await freePort();
  const base = `http://127.0.0.1:${httpPort}`;
  let server;
  let page;
  let profileHref;

  await step('server starts and serves HTTP', async () => {
    server = startServer(['--port', String(sqlPort), '--http-port', String(httpPort),
                          '--listen', '127.0.0.1', '--data-dir', dataDir], 'server', logDir);
    await waitForHttp(base, server);
    const index = await fetch(`${base}/`);
    check(index.status === 200, `GET / answered ${index.status}`);
    check((index.headers.get('content-type') || '').startsWith('text/html'),
          `GET / content-type ${index.headers.get('content-type')}`);
    const js = await fetch(`${base}/app.js`);
    check(js.status === 200 && /javascript/.test(js.headers.get('content-type') || ''),
          `GET /app.js: ${js.status} ${js.headers.get('content-type')}`);
  });
  if (failed) return;

  await step('REST creates the table with hostile names', async () => {
    const quote = (name) => `"${name.replace(/"/g, '""')}"`;
    const sql = `CREATE TABLE ${quote(XSS_TABLE)} (${quote(XSS_COLUMN)} INTEGER, name VARCHAR);
                 INSERT INTO ${quote(XSS_TABLE)} VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma');`;
    const r = await rest(base, 'POST', '/query', {sql});
    check(r.status === 200, `POST /query answered ${r.status}: ${JSON.stringify(r.json)}`);
  });

  page = await newPage();

  await step('editor runs a query and shows its rows', async () => {
    await page.goto(`${base}/#/editor`);
    await page.fill('#sql', `SELECT "${XSS_COLUMN}", name FROM "${XSS_TABLE}" ORDER BY 1`);
    await page.click('#run');
    await page.waitForSelector('#results table tbody tr');
    const rows = await page.$$eval('#results tbody tr',
                                   (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    check(JSON.stringify(rows) === JSON.stringify([['1', 'alpha'], ['2', 'beta'], ['3', 'gamma']]),
          `rows shown: ${JSON.stringify(rows)}`);
    const header = await page.textContent('#results thead');
    check(header.includes(XSS_COLUMN), `the header does not show the column name as text: ${header}`);
    check(await page.locator('#results img').count() === 0, 'an <img> was injected into #results');
    check(/3 rows/.test(await page.textContent('#results')), 'no "3 rows" count in #results');
    profileHref = await page.getAttribute('#results a[href^="#/query/"]', 'href');
    check(profileHref, 'no profile link in #results');
    await screenshot(page, 'editor');
    checkNoProblems(page);
  });

  await step('editor shows a syntax error with its position', async () => {
    await page.fill('#sql', 'SELECT 1\nFROM nowhere WHERE WHERE');
    await page.press('#sql', 'Control+Enter');
    await page.waitForSelector('#error');
    const text = await page.textContent('#error');
    check(/42\w{3}/.test(text), `no SQLSTATE 42xxx in the error box: ${text}`);
    // A parse error carries a position: the box shows the line and a caret.
    check(await page.locator('#error .caret').count() === 1, `no caret in the error box: ${text}`);
    await screenshot(page, 'editor-error');
    checkNoProblems(page);
  });

  await step('profile page draws fragments and operators', async () => {
    check(profileHref, 'no profile link from the editor step');
    await page.goto(`${base}/${profileHref}`);
    await page.waitForSelector('.fragment .operator');
    const fragments = await page.locator('.fragment').count();
    const operators = await page.locator('.operator').count();
    const withIds = await page.locator('.operator[data-node-id]').count();
    const slowest = await page.locator('.operator.slowest').count();
    check(fragments >= 1, `fragments: ${fragments}`);
    check(operators >= 2, `operators: ${operators}`);
    check(withIds === operators, `${operators - withIds} operators lack data-node-id`);
    check(slowest === 1, `operators marked slowest: ${slowest}`);
    check((await page.textContent('.operator.slowest')).includes('slowest'),
          'the slowest operator has no "slowest" label');
    // Rows per operator: the plan returned 3 rows, so some operator says so.
    const stats = await page.$$eval('.operator .op-stats', (els) => els.map((e) => e.textContent));
    check(stats.some((s) => /rows\s+3\b/.test(s)), `no operator shows rows 3: ${stats.join(' | ')}`);
    check((await page.textContent('pre.sql')).includes(XSS_TABLE), 'the SQL is not shown as text');
    await screenshot(page, 'query');
    checkNoProblems(page);
  });

  await step('editor cancels a long query (57014)', async () => {
    await page.goto(`${base}/#/editor`);
    await page.fill('#sql', LONG_SQL);
    await page.click('#run');
    await page.waitForSelector('#cancel', {state: 'visible', timeout: 10_000});
    check(await page.locator('#progress').count() === 1, 'no #progress while the query runs');
    const href = await page.getAttribute('#status a[href^="#/query/"]', 'href');
    await sleep(1500);
    await screenshot(page, 'editor-running');
    await page.click('#cancel');
    await page.waitForSelector('#error', {timeout: 15_000});
    const text = await page.textContent('#error');
    check(text.includes('57014'), `the error box does not show 57014: ${text}`);
    if (href) {
      const id = decodeURIComponent(href.replace('#/query/', ''));
      const r = await rest(base, 'GET', `/queries/${encodeURIComponent(id)}`);
      check(r.json && r.json.state === 'cancelled', `GET /queries/${id}: ${JSON.stringify(r.json && r.json.state)}`);
    }
    await screenshot(page, 'editor-cancelled');
    checkNoProblems(page);
  });

  await step('queries page lists recent queries', async () => {
    await page.goto(`${base}/#/queries`);
    await page.waitForSelector('table.data tbody tr');
    await page.waitForSelector('.badge.state-cancelled');
    check(await page.locator('.badge.state-finished').count() >= 1, 'no finished query listed');
    await screenshot(page, 'queries');
    checkNoProblems(page);
  });

  await step('catalog lists the hostile table name as text', async () => {
    await page.goto(`${base}/#/catalog`);
    await page.waitForSelector('.pick-list a');
    const schemas = await page.$$eval('.pick-list a', (as) => as.map((a) => a.textContent));
    const schema = schemas.includes('main') ? 'main' : schemas[0];
    await page.locator('.pick-list a').filter({hasText: new RegExp(`^${schema}$`)}).click();
    const tableLink = page.locator('.pick-list a', {hasText: XSS_TABLE});
    await tableLink.waitFor();
    check(await tableLink.textContent() === XSS_TABLE, 'the table list does not show the name as text');
    await sleep(300);
    await screenshot(page, 'catalog-tables');
    checkNoProblems(page);
  });

  await step('catalog shows the hostile table\'s columns as text, no dialog', async () => {
    await page.locator('.pick-list a', {hasText: XSS_TABLE}).click();
    await page.waitForSelector('.table-title, .pane .error-box');
    const error = await page.locator('.pane .error-box').allTextContents();
    check(error.length === 0, `the table's page shows an error: ${error.join(' ')}`);
    const title = await page.textContent('.table-title');
    check(title.includes(XSS_TABLE), `the table title is not the name as text: ${title}`);
    const columns = await page.$$eval('td.name', (tds) => tds.map((td) => td.textContent));
    check(columns.includes(XSS_COLUMN), `the columns shown: ${JSON.stringify(columns)}`);
    const injected = await page.evaluate(() =>
        document.querySelectorAll('main img, main script').length);
    check(injected === 0, `${injected} <img>/<script> elements were injected into the page`);
    await sleep(500);  // an onerror would fire right away; give it a moment
    await screenshot(page, 'catalog');
    checkNoProblems(page);
  });

  await step('cluster page shows the single node healthy', async () => {
    await page.goto(`${base}/#/cluster`);
    await page.waitForSelector('.health-healthy');
    check(await page.locator('.health-failed').count() === 0, 'a node is marked failed');
    await screenshot(page, 'cluster-single');
    checkNoProblems(page);
  });

  await page.context().close();
  if (server && server.exitCode_ === null) {
    server.kill('SIGKILL');
    children.delete(server.pid);
  }
}

// A coordinator and two executors as real processes; one executor killed
// with SIGKILL must show as failed on the cluster page.
async function clusterTests(logDir) {
  const dir = makeTmp('basalt-web-cluster-');
  const sqlPort = await freePort();
  const httpPort = await freePort();
  const base = `http://127.0.0.1:${httpPort}`;
  let page;

  await step('cluster starts (a coordinator, 2 executors)', async () => {
    const help = spawnSync(BASALT, ['cluster', 'start', '--help'], {encoding: 'utf8'});
    const hasHttpFlag = `${help.stdout}${help.stderr}`.includes('--http-port');
    clusterDirs.add(dir);
    if (hasHttpFlag) {
      const r = spawnSync(BASALT, ['cluster', 'start', '--executors', '2', '--dir', dir,
                                   '--port', String(sqlPort), '--http-port', String(httpPort)],
                          {encoding: 'utf8', timeout: 60_000});
      for (const node of readNodeFiles(dir)) children.add(node.pid);
      check(r.status === 0, `basalt cluster start exited ${r.status}: ${r.stderr}`);
      for (const f of fs.readdirSync(path.join(dir, 'nodes'))) {
        if (f.endsWith('.log')) logs.push([`cluster ${f}`, path.join(dir, 'nodes', f)]);
      }
    } else {
      // `cluster start` cannot give the coordinator an HTTP port yet: start
      // the nodes by hand, as tests/cluster/*.py do.
      const rpcPort = await freePort();
      const main = startServer(['--roles', 'statestore,catalog,coordinator', '--rpc-port',
                                String(rpcPort), '--port', String(sqlPort), '--http-port',
                                String(httpPort), '--listen', '127.0.0.1',
                                '--data-dir', path.join(dir, 'data'),
                                '--node-file', path.join(dir, 'coordinator.node.txt')],
                               'coordinator', logDir);
      fs.mkdirSync(path.join(dir, 'nodes'), {recursive: true});
      for (const i of [1, 2]) {
        startServer(['--roles', 'executor', '--rpc-port', '0', '--statestore',
                     `127.0.0.1:${rpcPort}`, '--data-dir', path.join(dir, `executor-${i}`),
                     '--node-file', path.join(dir, 'nodes', `executor-${i}.node`)],
                    `executor-${i}`, logDir);
      }
      clusterDirs.delete(dir);  // not a `basalt cluster` directory: killed by pid
      await waitForHttp(base, main);
    }
    await waitForHttp(base, null);
    await waitFor('3 healthy nodes in /api/v1/cluster/nodes', 30_000, async () => {
      const r = await rest(base, 'GET', '/cluster/nodes');
      return r.status === 200 && r.json.nodes.filter((n) => n.health === 'healthy').length >= 3;
    }, 200);
  });
  if (results.at(-1).ok === false) return;

  page = await newPage();

  await step('cluster page marks a killed executor failed', async () => {
    await page.goto(`${base}/#/cluster`);
    await waitFor('3 healthy nodes on the page', 10_000,
                  async () => (await page.locator('.health-healthy').count()) >= 3);
    await screenshot(page, 'cluster-healthy');
    const victim = await waitFor('the executor-1 node file', 10_000, async () =>
        readNodeFiles(dir).find((n) => n.label === 'executor-1' && n.pid > 0));
    const victimName = victim.name || `${victim.host}:${victim.rpc_port}`;
    process.kill(victim.pid, 'SIGKILL');
    const started = Date.now();
    await waitFor('a node marked health-failed', 15_000,
                  async () => (await page.locator('.health-failed').count()) >= 1, 200);
    const failedRow = await page.$$eval('tr:has(.health-failed)',
                                        (trs) => trs.map((tr) => tr.cells[0].textContent));
    check(failedRow.includes(victimName),
          `the failed node is ${JSON.stringify(failedRow)}, expected ${victimName}`);
    console.log(`     the killed executor showed as failed after ${Date.now() - started} ms`);
    await screenshot(page, 'cluster');
    checkNoProblems(page);
  });

  await page.context().close();
}

// -------------------------------------------------------------------- main

async function main() {
  const timer = setTimeout(() => {
    console.log(`FAIL overall timeout: the test took over ${OVERALL_TIMEOUT_MS / 1000} s`);
    printLogs();
    killEverything();
    removeTmp();
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);

  check(fs.existsSync(BASALT), `no basalt binary at ${BASALT}`);
  const logDir = makeTmp('basalt-web-logs-');
  console.log(`basalt: ${BASALT}\nscreenshots: ${SHOTS}\nlogs: ${logDir}`);
  try {
    browser = await chromium.launch({executablePath: CHROMIUM,
                                     args: ['--no-sandbox', '--headless=new']});
    await singleNodeTests(logDir);
    await clusterTests(logDir);
  } catch (e) {
    failed = true;
    console.log(`FAIL ${e && e.stack ? e.stack : e}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (failed) printLogs();
    killEverything();
    removeTmp();
    clearTimeout(timer);
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(`\n${passed} of ${results.length} steps passed${failed ? '; FAILED' : ''}`);
  process.exit(failed ? 1 : 0);
}

function printLogs() {
  for (const [label, file] of logs) {
    let text = '';
    try { text = fs.readFileSync(file, 'utf8'); } catch (e) { continue; }
    const tail = text.split('\n').slice(-25).join('\n');
    console.log(`--- last lines of ${label} (${file}):\n${tail}`);
  }
}

main();
