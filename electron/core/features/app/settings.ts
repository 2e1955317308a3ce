/**
 * The agency's settings. The time zone is read on every time the core prints, so it is kept
 * in memory and read from the store once.
 */
import type { CalendarDayDto, TimeZoneSettingDto } from '../../../shared/api/app';
import type { WorkCalendar } from '../../../shared/rules/hearing';
import type { Db } from '../../platform/db/database';
import type { AuditLog } from '../../platform/audit';
import { requireUser, type Caller } from '../context';
import { agencySetting, setAgencySetting } from './store';

/** The zone the operating system is set to. */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export class AgencySettings {
  private zone: string | null | undefined;
  private days: CalendarDayDto[] | undefined;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    private readonly changed: () => void,
  ) {}

  /** The agency's time zone: the one set, else the machine's. */
  timeZone(): string {
    if (this.zone === undefined) this.zone = agencySetting(this.db, 'time_zone');
    return this.zone ?? machineTimeZone();
  }

  timeZoneSetting(): TimeZoneSettingDto {
    return {
      timeZone: this.timeZone(),
      set: this.zone !== null,
      machineTimeZone: machineTimeZone(),
    };
  }

  /** The days the agency's calendar sets apart, in order. */
  calendarDays(): CalendarDayDto[] {
    this.days ??= this.db
      .prepare('SELECT day, kind, note FROM agency_calendar ORDER BY day')
      .all() as CalendarDayDto[];
    return this.days;
  }

  /** The working-day calendar periods are counted on (行政处罚法 第八十五条). */
  calendar(): WorkCalendar {
    const days = this.calendarDays();
    return {
      holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
      workdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
    };
  }

  setCalendarDay(
    caller: Caller,
    day: string,
    kind: 'holiday' | 'workday' | null,
    note: string | undefined,
  ): CalendarDayDto[] {
    const user = requireUser(caller);
    const at = this.now();
    const before = this.calendarDays().find((d) => d.day === day) ?? null;
    this.db.transaction(() => {
      if (kind === null) this.db.prepare('DELETE FROM agency_calendar WHERE day = ?').run(day);
      else
        this.db
          .prepare(
            `INSERT INTO agency_calendar (day, kind, note, set_at, set_by) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note,
               set_at = excluded.set_at, set_by = excluded.set_by`,
          )
          .run(day, kind, note ?? null, at, user.id);
      this.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'app.calendarDaySet',
        entity: 'app',
        entityId: null,
        caseId: null,
        data: { day, from: before?.kind ?? null, to: kind, note: note ?? null },
      });
    })();
    this.days = undefined;
    this.changed();
    return this.calendarDays();
  }

  setTimeZone(caller: Caller, zone: string | null): TimeZoneSettingDto {
    const user = requireUser(caller);
    const at = this.now();
    const before = this.timeZone();
    this.db.transaction(() => {
      setAgencySetting(this.db, 'time_zone', zone, at, user.id);
      this.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'app.timeZoneSet',
        entity: 'app',
        entityId: null,
        caseId: null,
        data: { from: before, to: zone ?? machineTimeZone(), machine: zone === null },
      });
    })();
    this.zone = zone;
    this.changed();
    return this.timeZoneSetting();
  }
}
