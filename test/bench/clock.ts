/**
 * `npm run bench -- clock`: the legal clock's figures, each against a baseline measured in the
 * same run.
 * - calendar build (the business-day index, once per cold start): target < 20 ms;
 * - due dates per second on one core over a realistic random mix (term classes, receipt instants
 *   2024–2030 with offsets, entities with office hours, closures and shorter terms): target ≥ 1 M/s;
 * - the same due dates by a naive day-by-day loop over `date-holidays` (isHoliday per day), and by
 *   a fairer naive loop over per-year holiday sets from date-holidays: target ≥ 50× the naive loop.
 * Both naive loops are checked to give the same due dates first.
 */
import Holidays from 'date-holidays';
import {
  type ClockInput,
  closureDays,
  computeClock,
  dueDate,
  NationalCalendar,
  nationalCalendar,
  nationalCalendarBuilt,
} from '#domain/clock/index.ts';

const TERMS: Record<string, number> = {
  general: 15,
  information: 10,
  query: 30,
  between_authorities: 10,
  data_protection_query: 10,
  data_protection_claim: 15,
};
/** Weighted like an entity's inbox: mostly petitions, complaints and claims. */
const MIX: [string, number][] = [
  ['general', 60],
  ['information', 20],
  ['query', 8],
  ['between_authorities', 4],
  ['data_protection_query', 4],
  ['data_protection_claim', 4],
];

/** A small deterministic PRNG (mulberry32), so every run measures the same mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Entity = NonNullable<ClockInput['entity']>;

function buildMix(n: number): ClockInput[] {
  const rnd = prng(20_260_330);
  const pick = () => {
    let r = rnd() * 100;
    for (const [c, w] of MIX) {
      r -= w;
      if (r < 0) return c;
    }
    return 'general';
  };
  const closures = (year: number) =>
    Array.from(
      { length: 12 },
      (_, i) =>
        `${year}-${String(1 + i).padStart(2, '0')}-${String(3 + Math.floor(rnd() * 24)).padStart(2, '0')}`,
    );
  const entities: Entity[] = [
    { officeHours: { open: '08:00', close: '17:00' }, afterHoursNextDay: true },
    { closures: [2024, 2025, 2026, 2027, 2028, 2029, 2030].flatMap(closures) },
    { terms: { general: 10, information: 8 } },
    { officeHours: { open: '07:00', close: '16:00' }, terms: { general: 12 } },
  ];
  const start = Date.UTC(2024, 0, 1) / 1000;
  const span = Date.UTC(2030, 11, 1) / 1000 - start;
  return Array.from({ length: n }, () => {
    const t = start + Math.floor(rnd() * span);
    const z = rnd() < 0.7;
    const filed = z
      ? new Date((t - 5 * 3600) * 1000).toISOString().replace('.000Z', '-05:00')
      : new Date(t * 1000).toISOString();
    const e = rnd();
    const entity = e < 0.7 ? undefined : entities[Math.floor(rnd() * entities.length)];
    return { termClass: pick() as ClockInput['termClass'], filed, ...(entity ? { entity } : {}) };
  });
}

/** The Bogota date and time of an instant (the naive way, with Date). */
function bogota(filed: string): { date: Date; second: number } {
  const ms = Date.parse(filed) - 5 * 3_600_000;
  const day = Math.floor(ms / 86_400_000);
  return { date: new Date(day * 86_400_000), second: Math.floor((ms - day * 86_400_000) / 1000) };
}

/** Naive due date: walk the days one by one, asking `isBusiness` about each. */
function naiveDue(input: ClockInput, isHoliday: (d: Date) => boolean): string {
  const entity = input.entity;
  const closures = new Set(closureDays(entity?.closures ?? []).map((c) => c.date));
  const business = (d: Date) => {
    const w = d.getUTCDay();
    return w !== 0 && w !== 6 && !closures.has(d.toISOString().slice(0, 10)) && !isHoliday(d);
  };
  const next = (d: Date) => new Date(d.getTime() + 86_400_000);
  let { date, second } = bogota(input.filed);
  if (entity?.officeHours) {
    const [h, m] = entity.officeHours.close.split(':').map(Number);
    if (!business(date) || second > h! * 3600 + m! * 60) {
      date = next(date);
      while (!business(date)) date = next(date);
    }
  }
  let left = entity?.terms?.[input.termClass] ?? TERMS[input.termClass]!;
  while (left > 0) {
    date = next(date);
    if (business(date)) left--;
  }
  return date.toISOString().slice(0, 10);
}

function measure(
  label: string,
  budgetMs: number,
  inputs: readonly ClockInput[],
  f: (i: ClockInput) => unknown,
  checkEvery = 64,
) {
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < inputs.length; i++) {
      const r = f(inputs[i]!);
      if (r !== null) sink++;
      n++;
      if (n % checkEvery === 0 && performance.now() - t0 >= budgetMs) break;
    }
    elapsed = performance.now() - t0;
  }
  const perSecond = (n / elapsed) * 1000;
  console.log(
    `${label.padEnd(58)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s  (${n} in ${elapsed.toFixed(0)} ms)`,
  );
  return sink >= 0 ? perSecond : 0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export default async function (): Promise<void> {
  // Calendar: the first (cold) build of the process-wide index, then warm rebuilds.
  if (nationalCalendarBuilt()) throw new Error('the calendar was built before the benchmark could time it');
  const tCold = performance.now();
  nationalCalendar();
  const cold = performance.now() - tCold;
  const rebuilds: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    new NationalCalendar();
    rebuilds.push(performance.now() - t0);
  }
  console.log(
    `calendar build 1984–2100 (cold, first use)                 ${cold.toFixed(2)} ms   (target < 20 ms)`,
  );
  console.log(`calendar rebuild (median of 9, warm)                       ${median(rebuilds).toFixed(2)} ms`);

  const inputs = buildMix(20_000);
  const hd = new Holidays('CO');
  const perYear = new Map<number, Set<string>>();
  const holidaySet = (d: Date) => {
    const y = d.getUTCFullYear();
    let s = perYear.get(y);
    if (!s) {
      s = new Set(
        hd
          .getHolidays(y)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      perYear.set(y, s);
    }
    return s.has(d.toISOString().slice(0, 10));
  };
  const isHolidayDH = (d: Date) => {
    const r = hd.isHoliday(new Date(d.getTime() + 17 * 3_600_000));
    return r !== false && r.some((h) => h.type === 'public');
  };

  // Same answers first (a benchmark of wrong answers measures nothing).
  for (const input of inputs.slice(0, 300)) {
    const ours = dueDate(input);
    const a = naiveDue(input, holidaySet);
    if (ours !== a) throw new Error(`naive loop disagrees on ${JSON.stringify(input)}: ${a} vs ${ours}`);
  }
  for (const input of inputs.slice(0, 5)) {
    if (naiveDue(input, isHolidayDH) !== dueDate(input))
      throw new Error('date-holidays isHoliday loop disagrees');
  }

  // Warm up, then measure on one core (this process, one thread).
  measure('(warm-up)', 300, inputs, dueDate);
  const ours = measure('dueDate (precomputed index), realistic mix', 1500, inputs, dueDate);
  const full = measure(
    'computeClock (with day-by-day explanation)',
    1000,
    inputs,
    (i) => computeClock(i).due,
  );
  const naiveSet = measure('naive loop, per-year holiday sets from date-holidays', 1500, inputs, (i) =>
    naiveDue(i, holidaySet),
  );
  const naive = measure(
    'naive loop, date-holidays isHoliday() per day',
    3000,
    inputs,
    (i) => naiveDue(i, isHolidayDH),
    1,
  );

  console.log(
    `ratio vs naive isHoliday loop                              ${Math.round(ours / naive).toLocaleString('en-US')}×   (target ≥ 50×)`,
  );
  console.log(`ratio vs naive loop over cached per-year sets              ${(ours / naiveSet).toFixed(1)}×`);
  console.log(
    `target ≥ 1,000,000 due dates/s: ${ours >= 1_000_000 ? 'met' : 'NOT met'}; full explanation: ${Math.round(full).toLocaleString('en-US')}/s`,
  );
}
