/** SQL on the registers' tables (officers, devices). */
import type { DeviceKind } from '../../../shared/domain';
import type { Db } from '../../platform/db/database';

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

/** An officer's name and certificate number, or undefined when there is no such officer. */
export function officerIdentity(
  db: Db,
  officerId: number,
): { name: string; certificateNo: string } | undefined {
  return db
    .prepare('SELECT name, certificate_no AS certificateNo FROM officers WHERE id = ?')
    .get(officerId) as { name: string; certificateNo: string } | undefined;
}
