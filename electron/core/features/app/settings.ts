/**
 * The agency's settings. The time zone is read on every time the core prints, so it is kept
 * in memory and read from the store once.
 */
import type { TimeZoneSettingDto } from '../../../shared/api/app';
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
