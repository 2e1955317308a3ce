import { AppError } from '../../../shared/errors';
import type { DeviceDto, DeviceKind, OfficerDto, SourceRole } from '../../../shared/domain';
import { conflictOnUnique, requireUser, type Caller, type ServiceDeps } from '../context';
import { userIdOfOfficer } from '../users';
import {
  deviceById,
  devices,
  insertDevice,
  insertOfficer,
  officerRow,
  officerRows,
  setDeviceActive,
  type OfficerRow,
} from './store';

/** The officers' register (name and enforcement certificate number, R1.3). */
export class OfficersService {
  constructor(private readonly deps: ServiceDeps) {}

  private toDto(r: OfficerRow): OfficerDto {
    return {
      id: r.id,
      name: r.name,
      certificateNo: r.certificate_no,
      unit: r.unit,
      userId: userIdOfOfficer(this.deps.db, r.id) ?? null,
      active: r.active === 1,
    };
  }

  get(id: number): OfficerDto {
    const row = officerRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `no officer ${id}`);
    return this.toDto(row);
  }

  list(includeInactive = false): OfficerDto[] {
    return officerRows(this.deps.db, includeInactive).map((r) => this.toDto(r));
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
          insertOfficer(
            db,
            {
              name: input.name,
              certificateNo: input.certificateNo.toUpperCase(),
              unit: input.unit ?? null,
            },
            at,
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

  get(id: number): DeviceDto {
    const device = deviceById(this.deps.db, id);
    if (!device) throw new AppError('NOT_FOUND', `no device ${id}`);
    return device;
  }

  list(includeInactive = false): DeviceDto[] {
    return devices(this.deps.db, includeInactive);
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
      role?: SourceRole | undefined;
    },
  ): DeviceDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const device = db.transaction(() => {
      const at = now();
      const id = conflictOnUnique(
        () =>
          insertDevice(
            db,
            {
              deviceNo: input.deviceNo.toUpperCase(),
              kind: input.kind,
              label: input.label,
              model: input.model ?? null,
              serial: input.serial ?? null,
              room: input.room ?? null,
              role: input.role ?? null,
            },
            at,
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
      setDeviceActive(db, id, active);
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
