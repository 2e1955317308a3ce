import type { AppInfo } from '../../shared/contract';
import type { AuditLog } from '../audit';
import type { ServiceDeps } from './context';
import { CasesService } from './cases';
import { DevicesService, OfficersService } from './registry';
import { SessionsService } from './sessions';
import { TranscriptsService } from './transcripts';
import { UsersService } from './users';

export interface Services {
  info(): AppInfo;
  users: UsersService;
  officers: OfficersService;
  devices: DevicesService;
  sessions: SessionsService;
  cases: CasesService;
  transcripts: TranscriptsService;
  audit: AuditLog;
}

export function createServices(
  deps: ServiceDeps,
  meta: { dataDir: string; version: string },
): Services {
  const users = new UsersService(deps);
  const sessions = new SessionsService(deps);
  return {
    info: () => ({
      name: 'Attest',
      version: meta.version,
      needsSetup: users.count() === 0,
      dataDir: meta.dataDir,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      now: deps.now(),
    }),
    users,
    officers: new OfficersService(deps),
    devices: new DevicesService(deps),
    sessions,
    cases: new CasesService(deps, sessions),
    transcripts: new TranscriptsService(deps),
    audit: deps.audit,
  };
}
