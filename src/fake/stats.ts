// The fake's stats store. Like Envoy's, every stat remembers whether it was ever written
// (`used`): `/stats?usedonly` hides the others, and a gauge that went 1 → 0 stays visible.

export type StatType = 'counter' | 'gauge';

export interface Stat {
  readonly name: string;
  readonly type: StatType;
  value: number;
  used: boolean;
}

export class StatsStore {
  private readonly stats = new Map<string, Stat>();

  /** Creates the stat unused with value 0, as Envoy does when a scope declares it; idempotent. */
  define(name: string, type: StatType): Stat {
    let stat = this.stats.get(name);
    if (!stat) {
      stat = { name, type, value: 0, used: false };
      this.stats.set(name, stat);
    } else if (stat.type !== type) {
      throw new Error(`stat ${name} is a ${stat.type}, not a ${type}`);
    }
    return stat;
  }

  /** Counter add or gauge add/sub. Any write marks the stat used, even adding 0. */
  add(name: string, delta: number, type: StatType = 'counter'): void {
    const stat = this.define(name, type);
    stat.value += delta;
    stat.used = true;
  }

  /** Gauge set: marks used even when the value does not change. */
  set(name: string, value: number): void {
    const stat = this.define(name, 'gauge');
    stat.value = value;
    stat.used = true;
  }

  get(name: string): number | undefined {
    return this.stats.get(name)?.value;
  }

  /** `/reset_counters`: counters go to 0 and keep their used flag. */
  resetCounters(): void {
    for (const stat of this.stats.values()) if (stat.type === 'counter') stat.value = 0;
  }

  /** Every stat, sorted by name (Envoy sorts the text output by name). */
  all(): Stat[] {
    return [...this.stats.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
