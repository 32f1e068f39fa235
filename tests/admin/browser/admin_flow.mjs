// The dlpd admin in headless Chromium (Debian's /usr/bin/chromium), driven by
// playwright-core. It starts the Slack double (slack_double_server) and
// `dlpd run` against it with a fresh SQLite database, then works the admin
// as a person would. Screenshots go to --artifacts.
//
//   node admin_flow.mjs --part admin|slack --dlpd PATH --double PATH --artifacts DIR
//
// --part admin: a first start prints the generated admin's password once;
//   sign in with it (a wrong password is refused first), add a pattern (an
//   invalid regex is refused with RE2's message, "try it" highlights).
// --part slack: the same pattern, then a message posted through the Slack
//   double that matches it must be deleted, and its incident must show the
//   message (as text) with the match masked, the masked content and the
//   pattern; an admin reveals it (audited), a viewer cannot; the admin marks
//   it a false positive (the same value posted again is left alone, the
//   Allowlist page lists it, the audit log has it) and undoes that. The set-up is
//   the README's quick start: a configuration file that names no token (they
//   come from the environment) and says nothing about message text (the
//   default keeps it, sealed with a key file dlpd creates), the first user
//   added without --role.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
for (const key of ['part', 'dlpd', 'double', 'artifacts'])
  if (!args[key]) fail(`--${key} is required`);

const CHROMIUM = '/usr/bin/chromium';
// The admin who signs in: for --part admin, the one a first start creates
// (its password read from dlpd run's standard error); else added with dlpd user add.
let USER = 'tester';
let PASSWORD = 'browser test password 1';
const VIEWER_PASSWORD = 'browser test password 2';
const VIEWER = 'watcher';
const PATTERN = { name: 'employee_id', regex: String.raw`EMP-(\d{6})`, broken: String.raw`EMP-(\d{6}` };
const SLACK = { channel: 'C0GENERAL1', user: 'U0ALICE01', ts: '1700000001.000100',
                text: 'my id is EMP-424242 <b>not bold</b>' };
// Readiness waits (not timing assertions): how long to wait for each thing to become true.
const WAIT_MS = { start: 30000, page: 15000, slack: 30000 };

function fail(message) {
  console.error(`admin_flow: FAIL: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}
function check(condition, message) {
  if (!condition) fail(message);
  console.log(`admin_flow: ok: ${message}`);
}

let playwright;
try {
  playwright = await import('playwright-core');
} catch {
  console.error('admin_flow: playwright-core is not installed: run `npm ci` in tests/admin/browser');
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`admin_flow: ${CHROMIUM} is missing: install Debian's chromium package`);
  process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dlpd-browser-'));
const shots = path.join(args.artifacts, args.part);
fs.mkdirSync(shots, { recursive: true });
const cleanup = [];

async function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The Slack double as a child process speaking JSON lines.
async function startDouble() {
  const child = spawn(args.double, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const hello = await next();
  const send = async (command) => {
    const reply = next();
    child.stdin.write(JSON.stringify(command) + '\n');
    return reply;
  };
  cleanup.push(async () => { await send({ cmd: 'stop' }).catch(() => {}); child.kill(); });
  return { ...hello, send };
}

async function startDlpd(apiUrl, port) {
  const config = path.join(work, 'dlpd.yaml');
  // No token in the file: dlpd takes them from the environment.
  fs.writeFileSync(config, [
    'slack:',
    `  api_url: ${apiUrl}`,
    'admin:',
    `  listen: 127.0.0.1:${port}`,
    '  sign_in_first_delay_ms: 50  # the right password follows the wrong one at once',
    '',
  ].join('\n'));
  const env = { ...process.env, SLACK_APP_TOKEN: 'xapp-1-double-app', SLACK_BOT_TOKEN: 'xoxb-1-double-bot',
                SLACK_USER_TOKEN: 'xoxp-1-double-admin' };
  delete env.DLPD_ENCRYPTION_KEY;
  delete env.DLPD_DATABASE_URL;
  // As the README says: the first user, added without --role, is an admin;
  // the next is a viewer. dlpd.db and dlpd.key go to the working directory.
  if (args.part !== 'admin') {
    const added = spawnSync(args.dlpd, ['user', 'add', USER, '--password-stdin', '--config', config],
                            { input: PASSWORD + '\n', env, cwd: work, encoding: 'utf8' });
    check(added.status === 0 && added.stdout.includes(`added admin '${USER}'`),
          `dlpd user add without --role makes the first user an admin (${added.stderr.trim() || added.stdout.trim()})`);
    const viewer = spawnSync(args.dlpd, ['user', 'add', VIEWER, '--password-stdin', '--config', config],
                             { input: VIEWER_PASSWORD + '\n', env, cwd: work, encoding: 'utf8' });
    check(viewer.status === 0 && viewer.stdout.includes(`added viewer '${VIEWER}'`),
          `the next user added without --role is a viewer (${viewer.stderr.trim() || viewer.stdout.trim()})`);
  }
  const logFile = path.join(shots, 'dlpd-run.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(args.dlpd, ['run', '--config', config], { env, cwd: work, stdio: ['ignore', log, log] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  cleanup.push(async () => {
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    if (code !== 0) console.error(`admin_flow: dlpd run exited with ${code ?? signal}; see ${path.join(shots, 'dlpd-run.log')}`);
  });
  const deadline = Date.now() + WAIT_MS.start;
  while (Date.now() < deadline) {
    let serving = false;
    try {
      serving = (await fetch(`http://127.0.0.1:${port}/sign-in`)).status === 200;
    } catch { /* not listening yet */ }
    if (serving && args.part !== 'admin') return;
    if (serving) {
      // The first start's notice (written just after the admin starts): the
      // name, then the password alone on its line.
      const text = fs.readFileSync(logFile, 'utf8');
      const found = /created the admin user '([^']+)' with the password\ndlpd:\ndlpd: {5}(\S+)\n/.exec(text);
      if (found) {
        check(true, 'the first start prints the generated admin and its password');
        [, USER, PASSWORD] = found;
        check(text.split(PASSWORD).length === 2, 'the password appears once in the output');
        return;
      }
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`dlpd run did not serve the admin on port ${port}; see ${path.join(shots, 'dlpd-run.log')}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function signInAs(page, base, name, password) {
  await page.goto(base + '/sign-in');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(base + '/');
}

async function signIn(page, base) {
  await page.goto(base + '/');
  check(page.url().startsWith(base + '/sign-in'), 'the admin sends a visitor without a session to the sign-in page');
  await page.fill('#name', USER);
  await page.fill('#password', 'not the password');
  await page.click('button[type=submit]');
  await page.locator('.notice-error').waitFor();
  check((await page.locator('.notice-error').innerText()).includes('Wrong user name or password.'),
        'a wrong password is refused');
  check(!(await page.context().cookies()).some((c) => c.name === 'dlpd_session'), 'no session after a wrong password');
  await shot(page, '01-wrong-password');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(base + '/');
  check((await page.locator('h1').innerText()) === 'Dashboard', 'signing in opens the dashboard');
  const session = (await page.context().cookies()).find((c) => c.name === 'dlpd_session');
  check(session?.httpOnly && session?.sameSite === 'Strict', 'the session cookie is HttpOnly and SameSite=Strict');
  check(session?.expires === -1, 'the session cookie ends with the browser (no Max-Age)');
  await shot(page, '02-dashboard');
}

async function addPattern(page, base) {
  await page.click('nav >> text=Patterns');
  await page.click('text=Add pattern');
  await page.fill('#name', PATTERN.name);
  await page.fill('#regex', PATTERN.broken);
  await page.selectOption('#severity', 'high');
  await page.fill('#description', 'Employee number');
  await page.click('button[value=save]');
  const error = page.locator('.field.invalid .error');
  await error.waitFor();
  check((await error.innerText()).includes('missing )'), "an invalid regex is refused with RE2's message");
  check((await page.inputValue('#regex')) === PATTERN.broken, 'the form keeps the regex as typed');
  await shot(page, '03-invalid-regex');
  await page.fill('#regex', PATTERN.regex);
  await page.fill('#sample', 'ask for EMP-123456, not EMP-12');
  await page.click('button[value=try]');
  await page.locator('mark.hit').first().waitFor();
  check((await page.locator('mark.hit').allInnerTexts()).join('|') === '123456', '"try it" highlights the match');
  await shot(page, '04-try-it');
  await page.click('button[value=save]');
  await page.waitForURL(`${base}/patterns?saved=${PATTERN.name}`);
  check((await page.locator('.notice-ok').innerText()).includes(PATTERN.name), 'the pattern is saved');
  await shot(page, '05-patterns');
}

async function slackMessageBecomesIncident(page, base, slack) {
  await slack.send({ cmd: 'add_channel', channel: SLACK.channel });
  await slack.send({ cmd: 'push_message', ...SLACK });
  const deadline = Date.now() + WAIT_MS.slack;
  let deleted = [];
  while (Date.now() < deadline && !deleted.some((m) => m.ts === SLACK.ts)) {
    deleted = (await slack.send({ cmd: 'deleted' })).messages;
    await new Promise((r) => setTimeout(r, 250));
  }
  check(deleted.some((m) => m.ts === SLACK.ts && m.channel === SLACK.channel),
        'the message posted through the Slack double that matches the new pattern is deleted');
  await page.goto(base + '/incidents');
  await shot(page, '06-incidents');
  await page.click(`tbody tr:has-text("${PATTERN.name}") >> a >> nth=0`);
  await page.locator('h1:has-text("Incident #")').waitFor();
  const body = await page.locator('main').innerText();
  check(body.includes(PATTERN.name) && body.includes(PATTERN.regex), 'the incident names the pattern that caught it');
  check(body.includes('******'), 'the incident shows the masked content');
  check(!body.includes('424242'), 'the secret itself is not on the page');
  const message = page.locator('pre.message');
  check((await message.innerText()).includes('<b>not bold</b>'), 'the message is shown, its HTML as text');
  check((await message.innerText()).includes('my id is EMP-******'), 'the message is shown with the match masked');
  check((await message.locator('b').count()) === 0, 'the HTML in the message is not rendered');
  check(body.includes('the message itself was deleted by dlpd'), 'the incident says the message was deleted from Slack');
  await shot(page, '07-incident');
  const incidentUrl = page.url();

  // At rest: the key file dlpd made is private, and the database holds
  // neither the message nor the secret in clear.
  const keyFile = path.join(work, 'dlpd.key');
  check(fs.existsSync(keyFile) && (fs.statSync(keyFile).mode & 0o777) === 0o600,
        'dlpd created the sealing key file dlpd.key with mode 0600');
  const atRest = ['dlpd.db', 'dlpd.db-wal'].filter((f) => fs.existsSync(path.join(work, f)))
    .map((f) => fs.readFileSync(path.join(work, f)).toString('latin1')).join('');
  check(atRest.length > 0 && !atRest.includes('424242') && !atRest.includes('not bold'),
        'neither the message text nor the secret is in the database files in clear');

  // An admin reveals it; the reveal is audited.
  await page.click('button:has-text("Reveal the full message")');
  await page.locator('pre.message').waitFor();
  check((await page.locator('pre.message').innerText()).includes('my id is EMP-424242'),
        'an admin reveals the full message');
  await shot(page, '08-revealed');
  await page.goto(base + '/audit');
  check((await page.locator('main').innerText()).includes('incident.reveal'), 'the reveal is in the audit log');

  // False positive: the admin marks it, the value goes on the allowlist
  // (audited), and the same value posted again is left alone; undo, and
  // it is acted on again.
  await page.goto(incidentUrl);
  await page.fill('input[name=note]', 'our test employee');
  await page.click('button:has-text("Mark as false positive")');
  await page.locator('#allowlist .notice-ok').waitFor();
  check((await page.locator('#allowlist').innerText()).includes('on the allowlist'),
        'marking a false positive puts the value on the allowlist');
  await shot(page, '08b-false-positive');
  await page.goto(base + '/allowlist');
  const listed = await page.locator('main').innerText();
  const incidentId = new URL(incidentUrl).searchParams.get('id');
  check(listed.includes('marked a false positive') && listed.includes(`#${incidentId}`) &&
        listed.includes('our test employee') && !listed.includes('424242'),
        'the Allowlist page lists the entry with its incident and note, and never the value');
  await shot(page, '08c-allowlist');
  await page.goto(base + '/audit');
  check((await page.locator('main').innerText()).includes('allowlist.add'), 'marking a false positive is audited');
  const waitDeleted = async (ts) => {
    const until = Date.now() + WAIT_MS.slack;
    while (Date.now() < until) {
      if ((await slack.send({ cmd: 'deleted' })).messages.some((m) => m.ts === ts)) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  };
  const again = { ...SLACK, ts: '1700000002.000100' };
  const marker = { ...SLACK, ts: '1700000003.000100', text: 'another id EMP-777777' };
  await slack.send({ cmd: 'push_message', ...again });
  await slack.send({ cmd: 'push_message', ...marker });
  check(await waitDeleted(marker.ts), 'a different value of the same pattern is still deleted');
  await new Promise((r) => setTimeout(r, 2000));
  check(!(await slack.send({ cmd: 'deleted' })).messages.some((m) => m.ts === again.ts),
        'the allowlisted value posted again is not deleted');
  await page.goto(incidentUrl);
  await page.click('button:has-text("Undo: take it off the allowlist")');
  await page.locator('#allowlist .notice-ok').waitFor();
  check((await page.locator('#allowlist').innerText()).includes('Taken off the allowlist'), 'the false positive is undone');
  await page.goto(base + '/allowlist');
  check(!(await page.locator('main').innerText()).includes('our test employee'), 'the entry is gone from the Allowlist page');
  const third = { ...SLACK, ts: '1700000004.000100' };
  await slack.send({ cmd: 'push_message', ...third });
  check(await waitDeleted(third.ts), 'after the undo the value is deleted again');

  // A viewer sees the masked message, no reveal button, and is refused a reveal.
  await page.context().clearCookies();
  await signInAs(page, base, VIEWER, VIEWER_PASSWORD);
  await page.goto(incidentUrl);
  check((await page.locator('pre.message').innerText()).includes('my id is EMP-******'),
        'a viewer sees the message masked');
  check((await page.locator('button:has-text("Reveal the full message")').count()) === 0,
        'a viewer has no reveal button');
  check((await page.locator('button:has-text("Mark as false positive")').count()) === 0,
        'a viewer has no false-positive button');
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  const id = new URL(incidentUrl).searchParams.get('id');
  const refused = await page.request.post(base + '/incidents/reveal', { form: { id, csrf }, maxRedirects: 0 });
  check(refused.status() === 403 && !(await refused.text()).includes('424242'), 'a viewer is refused a reveal (403)');
  await shot(page, '09-viewer');
}

let context;
try {
  const slack = await startDouble();
  const port = await freePort();
  await startDlpd(slack.api_url, port);
  const base = `http://127.0.0.1:${port}`;
  context = await playwright.chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 900 },
  });
  context.setDefaultTimeout(WAIT_MS.page);
  const page = context.pages()[0] ?? await context.newPage();
  const scriptErrors = [];
  // Answers with an error status (401, 422) are part of the flow; anything
  // else on the console (a CSP violation, a script error) is not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) scriptErrors.push(m.text());
  });
  page.on('pageerror', (e) => scriptErrors.push(String(e)));
  await signIn(page, base);
  await addPattern(page, base);
  if (args.part === 'slack') await slackMessageBecomesIncident(page, base, slack);
  check(scriptErrors.length === 0, `no script or CSP errors in the browser (${scriptErrors.join('; ')})`);
  console.log(`admin_flow: PASS (${args.part}); screenshots in ${shots}`);
} catch (e) {
  if (!process.exitCode) console.error(`admin_flow: FAIL: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await context?.close().catch(() => {});
  for (const step of cleanup.reverse()) await step().catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}
