// Browser checks of a built Charter site, as a reader's browser shows it.
//
//   node check.mjs [--prefix P] OUTDIR ARTIFACTDIR PAGE.html [PAGE.html ...]
//
// Drives Debian's /usr/bin/chromium through playwright-core.  Each PAGE
// (relative to OUTDIR) is opened from file:// at two viewports, desktop
// (1280x900) and phone (390x844, isMobile, deviceScaleFactor 2), and for
// each pair prints one "PASS: name" / "FAIL: name" line per check, with
// indented detail lines (and "    info: ..." lines that are no failure):
//
//   browser.console PAGE@VIEW   no console error and no uncaught page error,
//                               with JavaScript off or on.  A CSP violation
//                               (an inline script or style, a remote load)
//                               shows here as a console error.
//   browser.requests PAGE@VIEW  every request is file:// (or data:) and none
//                               failed (a missing stylesheet or image).
//   browser.nojs PAGE@VIEW      the DOM with JavaScript on is the DOM with it
//                               off: no script of the page ran.
//   browser.overflow PAGE@VIEW  no horizontal scroll (scrollWidth <=
//                               clientWidth + 1); on the phone, the layout
//                               viewport is the device's 390 px (so a page
//                               without <meta name="viewport"> fails).
//   browser.axe PAGE@VIEW       axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa,
//                               best-practice): a serious or critical
//                               violation fails; moderate and minor ones are
//                               info lines.
//
// How it runs with JavaScript off: the page is loaded in a context with
// javaScriptEnabled: false; that load gives the screenshot (ARTIFACTDIR/
// NAME-desktop.png, NAME-phone.png), the overflow measurement and the
// console and request log.  Chromium's script-disable switch also stops
// the timers axe-core needs (axe.run never settles there, even with the
// switch turned back off over a second CDP session), so axe runs in a
// second context with JavaScript on, on a fresh load of the same file.  The
// page's own CSP still applies there (nothing bypasses it: axe is evaluated
// over CDP, which CSP does not govern), and browser.nojs proves that the
// DOM axe judged is the DOM a reader without JavaScript gets.
//
// --prefix P puts P before every check name ("xss." gives "xss.browser...").
//
// Exit status: 0 whatever the checks found (the caller counts FAIL lines);
// 3 if the browser cannot start or a module is missing; 2 on bad usage.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const VIEWPORTS = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 900 } } },
  { name: 'phone', options: { viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const LOAD_TIMEOUT = 20000;
const AXE_TIMEOUT = 60000;

// Text from the page goes on a line of its own: no control character in it
// may start a line (a forged "PASS:").
const safe = (s) => String(s).replace(/[\x00-\x1f\x7f]/g,
  (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
const clip = (s, n = 300) => { s = String(s).trimEnd(); return s.length > n ? s.slice(0, n) + '...' : s; };

function report(name, problems, infos = []) {
  const out = [];
  out.push((problems.length ? 'FAIL: ' : 'PASS: ') + safe(prefix + name));
  for (const p of problems.slice(0, 30)) out.push('    ' + safe(clip(p)));
  if (problems.length > 30) out.push(`    ... and ${problems.length - 30} more`);
  for (const i of infos.slice(0, 20)) out.push('    info: ' + safe(clip(i)));
  return out.join('\n');
}

function usage() {
  process.stderr.write('usage: node check.mjs [--prefix P] OUTDIR ARTIFACTDIR PAGE.html...\n');
  process.exit(2);
}

let argv = process.argv.slice(2);
let prefix = '';
if (argv[0] === '--prefix') { prefix = argv[1] || ''; argv = argv.slice(2); }
const [outArg, artArg, ...pages] = argv;
if (!outArg || !artArg || pages.length === 0) usage();
const outdir = path.resolve(outArg);
const artdir = path.resolve(artArg);
fs.mkdirSync(artdir, { recursive: true });

let chromium, axeSource;
try {
  ({ chromium } = await import('playwright-core'));
  const require = createRequire(import.meta.url);
  axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  console.log(report('browser.modules', [String(e.message || e).split('\n')[0],
    'install them with: make test-deps (npm ci in tests/browser)']));
  process.exit(3);
}

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ARGS, timeout: 30000 });
} catch (e) {
  console.log(report('browser.launch', [`cannot start ${CHROMIUM}:`,
    ...String(e.message || e).split('\n').slice(0, 6),
    'install it with: make test-deps (apt-get install chromium)']));
  process.exit(3);
}
console.log(`# chromium ${browser.version()}, ${pages.length} page(s), ` +
  `${VIEWPORTS.length} viewports`);

// A page of ctx, reused for every load; log() is what a reader's browser
// noticed since the last goto.
async function opener(ctx, label) {
  const page = await ctx.newPage();
  let log;
  page.on('console', (m) => {
    const loc = m.location();
    const where = loc && loc.url ? ` (${path.basename(loc.url)}` +
      `${loc.lineNumber ? ':' + loc.lineNumber : ''})` : '';
    if (m.type() === 'error') log.console.push(`${label}: console error: ${m.text()}${where}`);
    else if (m.type() === 'warning') log.warnings.push(`${label}: console warning: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.console.push(`${label}: page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:')) {
      log.requests.push(`${label}: ${r.resourceType()} request to ${u} (network loads are forbidden)`);
    }
  });
  page.on('requestfailed', (r) => {
    log.failed.push(`${label}: ${r.resourceType()} ${r.url()} failed: ${r.failure()?.errorText}`);
  });
  return {
    page,
    async load(url) {
      // Leave the last page first, so nothing of it lands in this log.
      await page.goto('about:blank');
      log = { console: [], warnings: [], requests: [], failed: [] };
      await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
      // Late CSP reports and subresource failures.
      await page.waitForTimeout(100);
      return log;
    },
  };
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return [`JS off, from character ${i}: ${a.slice(from, i + 80)}`,
    `JS on, from character ${i}: ${b.slice(from, i + 80)}`];
}

function artName(rel, view) {
  return rel.replace(/\.html$/, '').replace(/[\\/]/g, '_') + `-${view}.png`;
}

async function measure(page, view) {
  return page.evaluate((expectWidth) => {
    const de = document.documentElement;
    const r = { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth,
      expectWidth, culprits: [] };
    if (de.scrollWidth > de.clientWidth + 1) {
      const describe = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += '#' + el.id;
        if (el.classList.length) s += '.' + [...el.classList].join('.');
        return s;
      };
      for (const el of document.body ? document.body.querySelectorAll('*') : []) {
        const b = el.getBoundingClientRect();
        if (b.right <= de.clientWidth + 1) continue;
        const p = el.parentElement;
        if (p && p !== document.body && p.getBoundingClientRect().right > de.clientWidth + 1) continue;
        r.culprits.push(`${describe(el)} reaches ${Math.round(b.right)}px`);
        if (r.culprits.length >= 5) break;
      }
    }
    return r;
  }, view === 'phone' ? VIEWPORTS[1].options.viewport.width : null);
}

async function runAxe(page) {
  await page.evaluate(axeSource);
  const run = page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }).then((res) => res.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
    summary: (v.nodes[0] && v.nodes[0].failureSummary) || '',
  }))), AXE_TAGS);
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`axe.run took over ${AXE_TIMEOUT} ms`)), AXE_TIMEOUT);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const CHECKS = ['console', 'requests', 'nojs', 'overflow', 'axe'];

async function checkViewport(vp) {
  const lines = [];
  const ctxOff = await browser.newContext({ ...vp.options, javaScriptEnabled: false });
  const ctxOn = await browser.newContext({ ...vp.options, javaScriptEnabled: true });
  const off = await opener(ctxOff, 'JS off');
  const on = await opener(ctxOn, 'JS on');
  for (const rel of pages) {
    const t0 = Date.now();
    const tag = `${rel}@${vp.name}`;
    const file = path.join(outdir, rel);
    const done = new Set();
    const emit = (c, problems, infos) => { done.add(c); lines.push(report(`browser.${c} ${tag}`, problems, infos)); };
    if (!fs.existsSync(file)) {
      for (const c of CHECKS) emit(c, [`no such page ${file}`]);
      continue;
    }
    const url = pathToFileURL(file).href;
    try {
      const logOff = await off.load(url);
      // Before the screenshot, which may touch the DOM (caret hiding).
      const domOff = await off.page.evaluate(() => document.documentElement.outerHTML);
      const m = await measure(off.page, vp.name);
      await off.page.screenshot({ path: path.join(artdir, artName(rel, vp.name)),
        fullPage: true, caret: 'initial', animations: 'disabled', timeout: 30000 });
      // The first screen as a reader sees it (the README's screenshot).
      await off.page.screenshot({
        path: path.join(artdir, artName(rel, vp.name).replace(/\.png$/, '-top.png')),
        fullPage: false, caret: 'initial', animations: 'disabled', timeout: 30000 });

      const logOn = await on.load(url);
      const domOn = await on.page.evaluate(() => document.documentElement.outerHTML);

      const logs = [logOff, logOn];
      emit('console', logs.flatMap((l) => l.console), logs.flatMap((l) => l.warnings));
      emit('requests', logs.flatMap((l) => [...l.requests, ...l.failed]));
      emit('nojs', domOn === domOff ? [] : [
        'the DOM with JavaScript on differs from the DOM with it off:',
        'something on the page ran (see browser.console, dom.inert)',
        ...firstDifference(domOff, domOn)]);

      const over = [];
      if (m.scrollWidth > m.clientWidth + 1) {
        over.push(`horizontal scroll: scrollWidth ${m.scrollWidth}px > clientWidth ${m.clientWidth}px`,
          ...m.culprits);
      }
      if (m.expectWidth && m.clientWidth > m.expectWidth + 1) {
        over.push(`layout viewport is ${m.clientWidth}px on a ${m.expectWidth}px phone: ` +
          'missing <meta name="viewport" content="width=device-width, initial-scale=1">');
      }
      emit('overflow', over);

      const violations = await runAxe(on.page);
      const bad = [], info = [];
      for (const v of violations) {
        const nodes = v.nodes.slice(0, 3).join(', ') + (v.nodes.length > 3 ? `, ... (${v.nodes.length} nodes)` : '');
        const line = `[${v.impact}] ${v.id}: ${v.help}: ${nodes}`;
        if (v.impact === 'serious' || v.impact === 'critical') {
          bad.push(line);
          const why = v.summary.split('\n').map((x) => x.trim()).filter(Boolean).slice(0, 2).join(' ');
          if (why) bad.push(`  ${why}`);
        } else {
          info.push(line);
        }
      }
      emit('axe', bad, info);
    } catch (e) {
      const msg = String(e.message || e).split('\n')[0];
      for (const c of CHECKS) if (!done.has(c)) emit(c, [`could not check: ${msg}`]);
    }
    lines.push(`# ${tag}: ${Date.now() - t0} ms`);
  }
  await ctxOff.close();
  await ctxOn.close();
  return lines;
}

// The viewports run side by side (two cores); each prints as one block.
const t0 = Date.now();
for (const block of await Promise.all(VIEWPORTS.map(checkViewport))) {
  console.log(block.join('\n'));
}
console.log(`# browser checks took ${Date.now() - t0} ms`);
await browser.close();
process.exit(0);
