/**
 * What one benchmark file produces, and the `main` wrapper that lets each file run on its own
 * (`node -r ts-node/register/transpile-only bench/verify.bench.ts`) or under `bench/run.ts`,
 * which starts each file in a fresh process so memory figures do not leak between them.
 */
import { writeFileSync } from 'node:fs';

/** One line of a results table. */
export interface Row {
  metric: string;
  value: string;
  /** The RELIABILITY.md target, e.g. `P4 <= 100 us`. */
  target?: string;
  /** Whether the figure meets the target on this run (a measurement, never a test assertion). */
  meets?: boolean;
}

/** The results of one benchmark file. */
export interface Section {
  id: string;
  title: string;
  rows: Row[];
  /** Every figure, machine-readable. */
  figures: Record<string, unknown>;
  notes: string[];
}

/** Formats a number for a table cell: at most 3 significant decimals, thousands kept plain. */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/**
 * Runs a benchmark when its file is the entry point: prints the rows, and writes the section as
 * JSON to the path after `--out` when given. Exits non-zero only when the benchmark itself broke.
 */
export function mainIfEntry(entry: NodeModule, run: () => Promise<Section>): void {
  if (require.main !== entry) return;
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  run().then(
    (section) => {
      if (out) writeFileSync(out, JSON.stringify(section, null, 2));
      console.log(`\n## ${section.title}`);
      for (const row of section.rows) {
        const verdict = row.meets === undefined ? '' : row.meets ? '  [meets]' : '  [MISSES]';
        console.log(`  ${row.metric}: ${row.value}${row.target ? `  (target ${row.target})` : ''}${verdict}`);
      }
      for (const note of section.notes) console.log(`  note: ${note}`);
      // Keep-alive sockets or stray timers must not keep a finished benchmark alive.
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
