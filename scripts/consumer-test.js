#!/usr/bin/env node
// Plays a bot author: packs this package, installs the tarball into a fresh project in a temporary
// folder (from the npm registry, like `npm install botbuilder-8x8-handoff` would), and checks that
//   1. a production install (--omit=dev) carries no emulator packages, the main entry loads, and the
//      `/emulator` entry fails with E_EMULATOR_DEPENDENCIES until express, busboy, adaptivecards are added;
//   2. the README's "Add it to your bot" code (extracted from README.md, not copied) and an emulator
//      import compile with `strict` and `skipLibCheck: false` under moduleResolution node16, bundler,
//      node10 and nodenext (an error that a botbuilder-only file has under the same settings is
//      reported as botbuilder's, not failed: botbuilder 4.23's @azure/msal-node types under node16);
//   3. each compiled variant runs against the embedded emulator (test/consumer/fixture/run.ts).
// Needs `npm run build` first. Prints one line per check and the installed size; exits 1 on failure.
// Usage: node scripts/consumer-test.js [--keep]   (--keep leaves the temporary folder for inspection)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const keep = process.argv.includes('--keep');
const BOTBUILDER = 'botbuilder@4.23.3';
const EMULATOR_PEERS = ['express@5', 'busboy@1', 'adaptivecards@3'];
const DEV = ['typescript@5', '@types/express@5'];

const VARIANTS = [
  { name: 'node16', module: 'node16', moduleResolution: 'node16', esm: false },
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler', esm: true },
  { name: 'node10', module: 'commonjs', moduleResolution: 'node10', esm: false },
  { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext', esm: false },
];

/** A file that uses botbuilder alone: what a variant reports without this package is botbuilder's. */
const BOTBUILDER_ONLY = "import { ActivityHandler } from 'botbuilder';\nexport const bot = new ActivityHandler();\n";

const results = [];
function report(name, ok, detail) {
  results.push({ name, ok });
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}\n`);
}

function npm(args, cwd) {
  const res = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/** The first ```ts block under "## Add it to your bot" in README.md. */
function readmeSnippet() {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Add it to your bot'));
  const block = section && /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no ```ts block under "## Add it to your bot"');
  return block[1];
}

function installedKb(dir) {
  return Number(execFileSync('du', ['-sk', path.join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
}

/** "12.3 MB, 45 packages" for a project's node_modules. */
function footprint(dir) {
  const packages = new Set(npm(['ls', '--all', '--parseable'], dir).split('\n').slice(1).filter(Boolean)).size;
  return `${(installedKb(dir) / 1024).toFixed(1)} MB, ${packages} packages`;
}

function main() {
  if (!fs.existsSync(path.join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bb8x8-consumer-'));
  try {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root))[0];
    const tarball = path.join(work, packed.filename);
    const bot = path.join(work, 'bot');
    fs.mkdirSync(path.join(bot, 'src'), { recursive: true });
    fs.writeFileSync(path.join(bot, 'package.json'), JSON.stringify({ name: 'consumer-bot', version: '1.0.0', private: true }, null, 2));

    // 1. A bot's production install.
    npm(['install', '--no-audit', '--no-fund', '--omit=dev', tarball, BOTBUILDER], bot);
    // botbuilder itself brings adaptivecards 1.2 (botframework-schema); what matters is that this
    // package brings none of them.
    const present = ['express', 'busboy', 'adaptivecards'].filter((p) => fs.existsSync(path.join(bot, 'node_modules', p)));
    // Ours only if this package depends on it directly (an optional peer installs nothing).
    const broughtByUs = (p) => JSON.parse(npm(['explain', p, '--json'], bot))
      .some((node) => node.dependents.some((d) => d.from && d.from.name === 'botbuilder-8x8-handoff' && d.type !== 'peerOptional'));
    const ours = present.filter(broughtByUs);
    const others = present.filter((p) => !ours.includes(p)).map((p) => `${p}@${JSON.parse(fs.readFileSync(path.join(bot, 'node_modules', p, 'package.json'), 'utf8')).version} is present because botbuilder depends on ${p}; npm then places a copy matching this package's optional-peer range`);
    report('production install: this package brings no emulator packages', ours.length === 0, `${footprint(bot)} in node_modules (tarball + ${BOTBUILDER})${ours.length ? `; ours: ${ours.join(', ')}` : ''}${others.length ? ` (${others.join('; ')})` : ''}`);
    const probe = spawnSync(process.execPath, ['-e', `
      const main = require('botbuilder-8x8-handoff');
      if (typeof main.HandoffMiddleware !== 'function') throw new Error('no HandoffMiddleware');
      try { require('botbuilder-8x8-handoff/emulator'); console.log('loaded'); }
      catch (e) { console.log(e.code + ' ' + e.message); }`], { cwd: bot, encoding: 'utf8' });
    report('main entry loads without emulator packages', probe.status === 0, probe.status === 0 ? '' : probe.stderr.trim());
    report('/emulator without its packages fails with E_EMULATOR_DEPENDENCIES', /^E_EMULATOR_DEPENDENCIES .*npm install/.test(probe.stdout), probe.stdout.trim());

    // 2 and 3. A TypeScript bot that also uses the emulator in its tests.
    npm(['install', '--no-audit', '--no-fund', ...EMULATOR_PEERS], bot);
    // What every bot carried when these were plain dependencies.
    process.stdout.write(`info with the emulator's packages (${EMULATOR_PEERS.join(', ')}): ${footprint(bot)}\n`);
    npm(['install', '--no-audit', '--no-fund', '--save-dev', ...DEV], bot);
    fs.writeFileSync(path.join(bot, 'src/bot.ts'), readmeSnippet());
    for (const file of ['local-gateway.ts', 'run.ts']) {
      fs.copyFileSync(path.join(root, 'test/consumer/fixture', file), path.join(bot, 'src', file));
    }
    fs.mkdirSync(path.join(bot, 'baseline'));
    fs.writeFileSync(path.join(bot, 'baseline/botbuilder-only.ts'), BOTBUILDER_ONLY);
    const tsc = path.join(bot, 'node_modules/typescript/bin/tsc');
    const errors = (project) => {
      const res = spawnSync(process.execPath, [tsc, '-p', project], { cwd: bot, encoding: 'utf8' });
      return { status: res.status, lines: `${res.stdout}${res.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l)) };
    };
    for (const v of VARIANTS) {
      const outDir = `out-${v.name}`;
      const compilerOptions = {
        target: 'ES2022', module: v.module, moduleResolution: v.moduleResolution, strict: true, skipLibCheck: false,
        esModuleInterop: true, outDir,
      };
      fs.writeFileSync(path.join(bot, `tsconfig.${v.name}.json`), JSON.stringify({ compilerOptions: { ...compilerOptions, rootDir: 'src' }, include: ['src'] }, null, 2));
      fs.writeFileSync(path.join(bot, `tsconfig.${v.name}.baseline.json`), JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ['baseline'] }, null, 2));
      const compiled = errors(`tsconfig.${v.name}.json`);
      // Errors botbuilder alone has under the same settings are botbuilder's, not this package's.
      const baseline = compiled.status === 0 ? { lines: [] } : errors(`tsconfig.${v.name}.baseline.json`);
      const extra = compiled.lines.filter((l) => !baseline.lines.includes(l));
      const label = `compiles (moduleResolution ${v.moduleResolution}, module ${v.module}, strict, skipLibCheck false)`;
      if (compiled.status === 0) report(label, true, 'no errors');
      else if (extra.length === 0) report(label, true, `no errors of ours; ${compiled.lines.length} error(s) that botbuilder alone also has here: ${compiled.lines[0]}`);
      else report(label, false, `\n${extra.join('\n')}`);
      if (extra.length > 0) continue;
      if (v.esm) fs.writeFileSync(path.join(bot, outDir, 'package.json'), '{ "type": "module" }\n');
      const ran = spawnSync(process.execPath, [path.join(outDir, 'run.js')], { cwd: bot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOG_LEVEL: 'warn' } });
      const ranOk = ran.status === 0;
      report(`runs against the embedded emulator (${v.name})`, ranOk, ranOk ? ran.stdout.trim().split('\n').pop() : `\n${ran.stdout}${ran.stderr}`);
    }
  } finally {
    if (keep) process.stdout.write(`kept ${work}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`consumer test: ${results.length - failed} passed, ${failed} failed\n`);
  if (failed) process.exit(1);
}

try {
  main();
} catch (error) {
  process.stderr.write(`consumer test failed: ${error.stack || error.message}\n`);
  process.exit(1);
}
