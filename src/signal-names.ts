import { constants } from 'node:os';

type SignalName = keyof typeof constants.signals;

/** Accepts `SIGTERM`, `TERM`, `term` or `15`; returns the canonical name or throws. */
export function parseSignal(text: string): NodeJS.Signals {
  const input = text.trim().toUpperCase();
  if (/^\d+$/.test(input)) {
    const entry = Object.entries(constants.signals).find(([, n]) => n === Number(input));
    if (entry) return entry[0] as NodeJS.Signals;
  } else {
    const name = (input.startsWith('SIG') ? input : `SIG${input}`) as SignalName;
    if (constants.signals[name] !== undefined) return name as NodeJS.Signals;
  }
  throw new Error(`unknown signal "${text}"`);
}

/** A signal the supervisor can trap (SIGKILL and SIGSTOP cannot be caught). */
export function parseCatchableSignal(text: string): NodeJS.Signals {
  const signal = parseSignal(text);
  if (signal === 'SIGKILL' || signal === 'SIGSTOP') throw new Error(`${signal} cannot be caught`);
  return signal;
}
