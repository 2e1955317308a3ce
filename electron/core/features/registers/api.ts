/** The handlers of the registers methods (electron/shared/api/registers.ts). */
import type { registersMethods } from '../../../shared/api/registers';
import type { HandlersOf } from '../handler';

export const registersHandlers: HandlersOf<typeof registersMethods> = {
  'officers.list': (s, _c, input) => s.officers.list(input.includeInactive),
  'officers.create': (s, conn, input) => s.officers.create(conn, input),
  'devices.list': (s, _c, input) => s.devices.list(input.includeInactive),
  'devices.register': (s, conn, input) => s.devices.register(conn, input),
  'devices.setActive': (s, conn, input) => s.devices.setActive(conn, input.id, input.active),
};
