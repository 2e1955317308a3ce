import { AppError } from '../../../shared/errors';
import type { DeviceDto, DeviceKind, OfficerDto } from '../../../shared/domain';
import { conflictOnUnique, requireUser, type Caller, type ServiceDeps } from '../context';

interface OfficerRow {
  id: number;
  name: string;
  certificate_no: string;
  unit: string | null;
  active: number;
}
interface DeviceRow {
  id: number;
  device_no: string;
  kind: DeviceKind;
  label: string;
  model: string | null;
  serial: string | null;
  room: string | null;
  active: number;
  registered_at: number;
}

/** The officers' register (name and enforcement certificate number, R1.3). */
export class OfficersService {
  constructor(private readonly deps: ServiceDeps) {}

  private toDto(r: OfficerRow): OfficerDto {
    const user = this.deps.db.prepare('SELECT id FROM users WHERE officer_id = ?').get(r.id) as
      { id: number } | undefined;
    return {
      id: r.id,
      name: r.name,
      certificateNo: r.certificate_no,
      unit: r.unit,
      userId: user?.id ?? null,
      active: r.active === 1,
    };
  }

  get(id: number): OfficerDto {
    const row = this.deps.db.prepare('SELECT * FROM officers WHERE id = ?').get(id) as
      OfficerRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no officer ${id}`);
    return this.toDto(row);
  }

  list(includeInactive = false): OfficerDto[] {
    const rows = this.deps.db
      .prepare(`SELECT * FROM officers ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY name`)
      .all() as OfficerRow[];
    return rows.map((r) => this.toDto(r));
  }

  create(
    caller: Caller,
    input: { name: string; certificateNo: string; unit?: string | undefined },
  ): OfficerDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      const at = now();
      const id = conflictOnUnique(
        () =>
          Number(
            db
              .prepare(
                'INSERT INTO officers (name, certificate_no, unit, created_at) VALUES (?, ?, ?, ?)',
              )
              .run(input.name, input.certificateNo.toUpperCase(), input.unit ?? null, at)
              .lastInsertRowid,
          ),
        `the certificate number ${input.certificateNo} is already registered`,
      );
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'officer.registered',
        entity: 'officer',
        entityId: id,
        caseId: null,
        data: input,
      });
      return this.get(id);
    })();
  }
}

/** The device register: every camera and microphone under its 设备编号 (R3.6, R4.2). */
export class DevicesService {
  constructor(private readonly deps: ServiceDeps) {}

  private static toDto(r: DeviceRow): DeviceDto {
    return {
      id: r.id,
      deviceNo: r.device_no,
      kind: r.kind,
      label: r.label,
      model: r.model,
      serial: r.serial,
      room: r.room,
      active: r.active === 1,
      registeredAt: r.registered_at,
    };
  }

  get(id: number): DeviceDto {
    const row = this.deps.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as
      DeviceRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no device ${id}`);
    return DevicesService.toDto(row);
  }

  list(includeInactive = false): DeviceDto[] {
    return (
      this.deps.db
        .prepare(
          `SELECT * FROM devices ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY device_no`,
        )
        .all() as DeviceRow[]
    ).map(DevicesService.toDto);
  }

  register(
    caller: Caller,
    input: {
      deviceNo: string;
      kind: DeviceKind;
      label: string;
      model?: string | undefined;
      serial?: string | undefined;
      room?: string | undefined;
    },
  ): DeviceDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const device = db.transaction(() => {
      const at = now();
      const id = conflictOnUnique(
        () =>
          Number(
            db
              .prepare(
                `INSERT INTO devices (device_no, kind, label, model, serial, room, registered_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(
                input.deviceNo.toUpperCase(),
                input.kind,
                input.label,
                input.model ?? null,
                input.serial ?? null,
                input.room ?? null,
                at,
              ).lastInsertRowid,
          ),
        `the device number ${input.deviceNo} is already registered`,
      );
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'device.registered',
        entity: 'device',
        entityId: id,
        caseId: null,
        data: input,
      });
      return this.get(id);
    })();
    this.deps.emit('device.changed', { deviceId: device.id });
    return device;
  }

  /** Devices are retired, never deleted: old recordings keep naming them. */
  setActive(caller: Caller, id: number, active: boolean): DeviceDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const device = db.transaction(() => {
      this.get(id);
      db.prepare('UPDATE devices SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
      audit.append({
        at: now(),
        actorUserId: user.id,
        actor: user.displayName,
        action: active ? 'device.activated' : 'device.retired',
        entity: 'device',
        entityId: id,
        caseId: null,
        data: null,
      });
      return this.get(id);
    })();
    this.deps.emit('device.changed', { deviceId: id });
    return device;
  }
}
