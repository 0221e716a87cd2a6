/**
 * Turns benchmark sections into `bench/results/latest.json` (every figure, machine-readable) and
 * `bench/results/latest.md` (tables for people).
 */
import os from 'node:os';
import type { Row, Section } from './section';

/** Where and when the benchmarks ran. */
export interface MachineInfo {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  totalMemMb: number;
  /** 1/5/15-minute load averages when the run started and ended: other processes' share. */
  loadAverage: { start: number[]; end: number[] };
  commit?: string;
}

/** The whole run. */
export interface BenchReport {
  machine: MachineInfo;
  sections: Section[];
  /** Benchmarks that failed to run, with their error output. */
  failures: Array<{ file: string; error: string }>;
  durationSeconds: number;
}

/** Machine facts at the start of a run (load average end is filled in later). */
export function machineInfo(commit?: string): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemMb: Math.round(os.totalmem() / 1048576),
    loadAverage: { start: os.loadavg().map((v) => Math.round(v * 100) / 100), end: [] },
    commit,
  };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** A markdown table of rows, with the Target and Meets columns when `withTarget`. */
export function renderTable(rows: readonly Row[], withTarget: boolean): string[] {
  const head = withTarget ? ['| Metric | Result | Target | Meets |', '| --- | --- | --- | --- |'] : ['| Metric | Result |', '| --- | --- |'];
  const verdict = (row: Row): string => (row.meets === undefined ? '' : row.meets ? 'yes' : '**no**');
  return [...head, ...rows.map((r) => (withTarget ? `| ${cell(r.metric)} | ${cell(r.value)} | ${cell(r.target ?? '')} | ${verdict(r)} |` : `| ${cell(r.metric)} | ${cell(r.value)} |`))];
}

/** The markdown report. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const ratios = report.sections.find((s) => s.id === 'ratios');
  const others = report.sections.filter((s) => s !== ratios);
  const targets = others.flatMap((s) => s.rows.filter((r) => r.target).map((r) => ({ ...r, metric: `${s.id}: ${r.metric}` })));
  const lines = [
    '# Benchmark results (`npm run bench`)',
    '',
    `Run ${m.date} on ${m.cpus} × ${m.cpuModel}, ${m.totalMemMb} MB, ${m.platform}, Node ${m.node}${m.commit ? `, commit ${m.commit}` : ''}; ${report.durationSeconds} s.`,
    '',
  ];
  if (ratios) {
    lines.push(`## ${ratios.title}`, '', ...renderTable(ratios.rows, true), '', ...ratios.notes.map((n) => `- ${n}`), '');
  }
  lines.push(
    `**The machine was shared with other processes during this run** (load average ${m.loadAverage.start.join(' / ')} at the start, ` +
      `${m.loadAverage.end.join(' / ')} at the end, on ${m.cpus} cores), so wall-clock tails (p99, max, event-loop delay) are pessimistic ` +
      'and vary between runs; CPU-time figures are steadier. Loader, server and connector stub share one process per benchmark (loopback only).',
    '',
    'Figures are measurements, not test assertions: "Meets" compares this run with the RELIABILITY.md target. ' +
      'P2 (10-minute soak at 200 ev/s) and S6 (2k forged req/s for 30 s) are soak targets: the 5-10 s windows here are indicative only.',
    '',
    '## Against the targets',
    '',
    ...renderTable(targets, true),
  );
  for (const section of others) {
    lines.push('', `## ${section.title}`, '', ...renderTable(section.rows, false));
    if (section.notes.length) lines.push('', ...section.notes.map((n) => `- ${n}`));
  }
  for (const failure of report.failures) lines.push('', `## ${failure.file}: FAILED`, '', '```', failure.error.trim().slice(-2000), '```');
  return `${lines.join('\n')}\n`;
}
