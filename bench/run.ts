/**
 * `npm run bench`: runs each benchmark file in a fresh Node process (with `--expose-gc`, so memory
 * figures are read after a full GC and do not carry over between files), prints ONE table first:
 * the ratios to the floors measured in the same run (ratios.bench.ts), then every other figure,
 * and writes `bench/results/latest.json` and `bench/results/latest.md`. `--verbose` also shows
 * each file's own output as it runs.
 *
 * `npm run bench -- verify webhook` runs a subset (file names without `.bench.ts`); the results
 * files then hold only that subset. `npm run bench -- --render` rewrites latest.md from latest.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineInfo, renderMarkdown, renderTable, type BenchReport } from './support/report';
import type { Section } from './support/section';

const ALL = ['ratios', 'verify', 'webhook', 'relay'];
/** Each file is time-boxed by design (~20-90 s unloaded); this only stops a hung one (a shared, loaded machine takes several times longer). */
const PER_FILE_TIMEOUT_MS = 900_000;

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function runFile(name: string, tmp: string): Section | { error: string } {
  const file = path.join(__dirname, `${name}.bench.ts`);
  const out = path.join(tmp, `${name}.json`);
  const started = Date.now();
  // Progress goes to stderr, so stdout starts with the ratio table.
  process.stderr.write(`> ${name}.bench.ts ...`);
  const child = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', file, '--out', out], {
    stdio: ['ignore', process.argv.includes('--verbose') ? 'inherit' : 'ignore', 'pipe'],
    timeout: PER_FILE_TIMEOUT_MS,
    encoding: 'utf8',
  });
  process.stderr.write(` ${Math.round((Date.now() - started) / 1000)} s\n`);
  if (child.status !== 0) return { error: `exit ${child.status ?? child.signal}\n${child.stderr ?? ''}` };
  return JSON.parse(readFileSync(out, 'utf8')) as Section;
}

const RESULTS_DIR = path.join(__dirname, 'results');

function render(): void {
  const report = JSON.parse(readFileSync(path.join(RESULTS_DIR, 'latest.json'), 'utf8')) as BenchReport;
  writeFileSync(path.join(RESULTS_DIR, 'latest.md'), renderMarkdown(report));
  console.log('Rewrote bench/results/latest.md from latest.json.');
}

function main(): void {
  if (process.argv.includes('--render')) return render();
  const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = picked.length ? picked : ALL;
  const unknown = names.filter((n) => !ALL.includes(n));
  if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  const started = Date.now();
  const report: BenchReport = { machine: machineInfo(gitCommit()), sections: [], failures: [], durationSeconds: 0 };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    for (const name of names) {
      const result = runFile(name, tmp);
      if ('error' in result) report.failures.push({ file: `${name}.bench.ts`, error: result.error });
      else report.sections.push(result);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  report.machine.loadAverage.end = os.loadavg().map((v) => Math.round(v * 100) / 100);
  report.durationSeconds = Math.round((Date.now() - started) / 1000);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, 'latest.md'), renderMarkdown(report));
  // The ratio table first, then every other section's figures.
  const ordered = [...report.sections].sort((a, b) => Number(b.id === 'ratios') - Number(a.id === 'ratios'));
  for (const section of ordered) console.log(`\n## ${section.title}\n\n${renderTable(section.rows, section.id === 'ratios').join('\n')}`);
  console.log(`\nWrote bench/results/latest.json and latest.md (${report.durationSeconds} s).`);
  if (report.failures.length) {
    for (const f of report.failures) console.error(`${f.file} failed:\n${f.error}`);
    process.exitCode = 1;
  }
}

main();
