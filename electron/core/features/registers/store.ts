/** SQL on the registers' tables (officers, devices). */
import type { DeviceDto, DeviceKind, SourceRole } from '../../../shared/domain';
import type { Db } from '../../platform/db/database';

/** A row of `officers`. */
export interface OfficerRow {
  id: number;
  name: string;
  certificate_no: string;
  unit: string | null;
  active: number;
}

/** A row of `devices`. */
interface DeviceRow {
  id: number;
  device_no: string;
  kind: DeviceKind;
  label: string;
  model: string | null;
  serial: string | null;
  room: string | null;
  role: SourceRole | null;
  active: number;
  registered_at: number;
}

function deviceToDto(r: DeviceRow): DeviceDto {
  return {
    id: r.id,
    deviceNo: r.device_no,
    kind: r.kind,
    label: r.label,
    role: r.role,
    model: r.model,
    serial: r.serial,
    room: r.room,
    active: r.active === 1,
    registeredAt: r.registered_at,
  };
}

/** The officer with this id, or undefined. */
export function officerRow(db: Db, id: number): OfficerRow | undefined {
  return db.prepare('SELECT * FROM officers WHERE id = ?').get(id) as OfficerRow | undefined;
}

/** The officers by name; only the active ones unless `includeInactive`. */
export function officerRows(db: Db, includeInactive: boolean): OfficerRow[] {
  return db
    .prepare(`SELECT * FROM officers ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY name`)
    .all() as OfficerRow[];
}

/** Registers an officer (the certificate number is unique); returns the new id. */
export function insertOfficer(
  db: Db,
  officer: { name: string; certificateNo: string; unit: string | null },
  at: number,
): number {
  return Number(
    db
      .prepare('INSERT INTO officers (name, certificate_no, unit, created_at) VALUES (?, ?, ?, ?)')
      .run(officer.name, officer.certificateNo, officer.unit, at).lastInsertRowid,
  );
}

/** The device with this id, or undefined. */
export function deviceById(db: Db, id: number): DeviceDto | undefined {
  const row = db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
  return row ? deviceToDto(row) : undefined;
}

/** The devices by number; only the active ones unless `includeInactive`. */
export function devices(db: Db, includeInactive: boolean): DeviceDto[] {
  return (
    db
      .prepare(
        `SELECT * FROM devices ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY device_no`,
      )
      .all() as DeviceRow[]
  ).map(deviceToDto);
}

/** Registers a device (the device number is unique); returns the new id. */
export function insertDevice(
  db: Db,
  device: {
    deviceNo: string;
    kind: DeviceKind;
    label: string;
    model: string | null;
    serial: string | null;
    room: string | null;
    role: SourceRole | null;
  },
  at: number,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO devices (device_no, kind, label, model, serial, room, role, registered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        device.deviceNo,
        device.kind,
        device.label,
        device.model,
        device.serial,
        device.room,
        device.role,
        at,
      ).lastInsertRowid,
  );
}

/** Puts a device in or out of use. */
export function setDeviceActive(db: Db, id: number, active: boolean): void {
  db.prepare('UPDATE devices SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
}

// Queries other features use

/** An officer as a session names one: name, certificate number, and whether still active. */
export interface OfficerCard {
  id: number;
  name: string;
  certificateNo: string;
  active: boolean;
}

/** The officer with this id, or undefined when none is registered. */
export function officerCard(db: Db, id: number): OfficerCard | undefined {
  const row = db
    .prepare('SELECT id, name, certificate_no, active FROM officers WHERE id = ?')
    .get(id) as { id: number; name: string; certificate_no: string; active: number } | undefined;
  return row
    ? { id: row.id, name: row.name, certificateNo: row.certificate_no, active: row.active === 1 }
    : undefined;
}

/** The registered device with this number (as stored: upper case), or undefined. */
export function deviceByNo(
  db: Db,
  deviceNo: string,
): { kind: DeviceKind; active: boolean } | undefined {
  const row = db.prepare('SELECT kind, active FROM devices WHERE device_no = ?').get(deviceNo) as
    { kind: DeviceKind; active: number } | undefined;
  return row ? { kind: row.kind, active: row.active === 1 } : undefined;
}
