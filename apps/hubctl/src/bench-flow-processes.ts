import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** CPU time of one process from its /proc/<pid>/stat line, in clock ticks. */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime: the process's own threads. */
  own: number;
  /** cutime + cstime: children it has waited for (a PostgreSQL backend that ended). */
  children: number;
}

/**
 * Parses /proc/<pid>/stat. The command name is in parentheses and may itself hold spaces
 * or parentheses, so the fields are counted from the last ')'.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const f = line
    .slice(close + 2)
    .trim()
    .split(/\s+/)
    .map(Number);
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid: f[1],
    own: f[11] + f[12],
    children: f[13] + f[14],
  };
}

const TICKS_PER_SECOND = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout?.trim()) || 100;
})();

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const SERVICES = ['hub', 'civil-status', 'land', 'insurance', 'population-adapter'];
const SERVER = 'postgres (server process)';
const BACKEND = 'postgres: ';

/** A process worth watching, and what to call it in the report. */
export interface Watched {
  pid: number;
  label: string;
}

/**
 * The processes that carry the flow: the five services (`node scripts/run-app.js <app>`,
 * however they were started), the Kafka broker (`kafka.Kafka`) and the PostgreSQL server
 * with its backends, each named by the database it serves (`pgLabels`, from pg_stat_activity).
 */
export function watchedProcesses(pgLabels: Map<number, string>): Watched[] {
  const found: Watched[] = [];
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (stat) stats.set(Number(name), parseProcStat(stat));
  }
  const postmasters = new Set<number>();
  for (const [pid, s] of stats) {
    const argv = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean);
    const at = argv.findIndex((a) => a.endsWith('scripts/run-app.js'));
    if (at >= 0 && argv.length === at + 2 && SERVICES.includes(argv[at + 1]))
      found.push({ pid, label: argv[at + 1] });
    else if (argv.includes('kafka.Kafka')) found.push({ pid, label: 'kafka' });
    else if (s.comm === 'postgres' && stats.get(s.ppid)?.comm !== 'postgres') {
      postmasters.add(pid);
      found.push({ pid, label: SERVER });
    }
  }
  for (const [pid, s] of stats) {
    if (postmasters.has(s.ppid))
      found.push({ pid, label: `${BACKEND}${pgLabels.get(pid) ?? 'background'}` });
  }
  return found;
}

/** A watched process's CPU so far, in clock ticks. */
export interface CpuReading {
  label: string;
  own: number;
  /** The PostgreSQL server only: backends it has reaped, with all the CPU they ever used. */
  reaped?: number;
}

export function readCpu(watched: readonly Watched[]): Map<number, CpuReading> {
  const readings = new Map<number, CpuReading>();
  for (const w of watched) {
    const stat = read(`/proc/${w.pid}/stat`);
    if (!stat) continue;
    const s = parseProcStat(stat);
    readings.set(w.pid, {
      label: w.label,
      own: s.own,
      reaped: w.label === SERVER ? s.children : undefined,
    });
  }
  return readings;
}

/**
 * The last reading of every PostgreSQL backend seen while a phase runs (read every second or
 * so): a backend that ends before the phase does — a pool's connection closed after it sat
 * idle — is then counted for its database up to that reading, instead of in the server's
 * reaped total with nothing to say whose it was.
 */
export class BackendSightings {
  readonly last = new Map<number, CpuReading>();

  see(readings: Map<number, CpuReading>): void {
    for (const [pid, r] of readings) if (r.label.startsWith(BACKEND)) this.last.set(pid, r);
  }
}

/**
 * CPU seconds per label between two readings. A process born in between counts from zero.
 * A backend that ended in between shows in the server's reaped total, which holds its whole
 * life: what it had used by the first reading is taken off again, and what it had used by
 * its last sighting (if any) goes to its database; only the rest stays unattributed. Other
 * processes that ended in between are lost.
 */
export function cpuSecondsBetween(
  before: Map<number, CpuReading>,
  after: Map<number, CpuReading>,
  ticksPerSecond = TICKS_PER_SECOND,
  sightings?: BackendSightings,
): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (label: string, ticks: number) =>
    (out[label] = Math.round(((out[label] ?? 0) + ticks / ticksPerSecond) * 100) / 100);
  const endedBefore = [...before]
    .filter(([pid, r]) => r.label.startsWith(BACKEND) && !after.has(pid))
    .reduce((sum, [, r]) => sum + r.own, 0);
  let attributed = 0;
  for (const [pid, seen] of sightings?.last ?? []) {
    if (after.has(pid)) continue;
    const used = seen.own - (before.get(pid)?.own ?? 0);
    add(seen.label, used);
    attributed += used;
  }
  for (const [pid, a] of after) {
    const b = before.get(pid);
    add(a.label, a.own - (b?.own ?? 0));
    if (a.reaped !== undefined)
      add(
        `${BACKEND}backends that ended during the phase, after they were last seen`,
        a.reaped - (b?.reaped ?? 0) - endedBefore - attributed,
      );
  }
  return out;
}

/** The broker's version, read from the jars on its class path (kafka-server-<version>.jar). */
export function kafkaVersion(watched: readonly Watched[]): string {
  const kafka = watched.find((w) => w.label === 'kafka');
  if (!kafka) return 'unknown (broker process not found)';
  const argv = (read(`/proc/${kafka.pid}/cmdline`) ?? '').split('\0');
  const classPath = argv[argv.indexOf('-cp') + 1] ?? '';
  for (const entry of classPath.split(':')) {
    try {
      const jars = entry.endsWith('.jar')
        ? [basename(entry)]
        : readdirSync(entry.endsWith('*') ? dirname(entry) : entry);
      for (const jar of jars) {
        const m =
          /^kafka-server-(\d[\w.-]*)\.jar$/.exec(jar) ??
          /^kafka_[\d.]+-(\d[\w.-]*)\.jar$/.exec(jar);
        if (m) return m[1];
      }
    } catch {
      /* not a directory */
    }
  }
  return 'unknown';
}
