import type { Day, HoursNode } from '../settings';

const WEEKDAYS: Record<string, Day> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `now` falls in one of the node's opening periods, in the node's time zone. */
export function isOpen(hours: Pick<HoursNode, 'timeZone' | 'schedule' | 'closedDates'>, now: Date): boolean {
  const local = localTime(hours.timeZone, now);
  if (hours.closedDates?.includes(local.date)) return false;
  const minutes = local.hour * 60 + local.minute;
  return (hours.schedule[local.day] ?? []).some((period) => {
    const [from, to] = period.split('-') as [string, string];
    return minutes >= toMinutes(from) && minutes < toMinutes(to);
  });
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function localTime(timeZone: string, now: Date): { day: Day; date: string; hour: number; minute: number } {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(now)) parts[part.type] = part.value;
  return {
    day: WEEKDAYS[parts.weekday ?? ''] ?? 'mon',
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}
