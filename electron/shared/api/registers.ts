/** The registers the administrator keeps: officers (执法人员) and devices (设备登记, R3.6). */
import { z } from 'zod';
import {
  DEVICE_KINDS,
  SOURCE_ROLES,
  certificateNoSchema,
  idSchema,
  type DeviceDto,
  type OfficerDto,
} from '../domain';
import { REGISTER_KEEPERS, events, method } from './define';
import { optionalText, text } from '../schema';

export const registersMethods = {
  'officers.list': method<OfficerDto[]>()(
    z.object({ includeInactive: z.boolean().optional() }).strict(),
    'user',
  ),
  'officers.create': method<OfficerDto>()(
    z
      .object({ name: text(60), certificateNo: certificateNoSchema, unit: optionalText(100) })
      .strict(),
    ['admin', 'leader'],
  ),

  'devices.list': method<DeviceDto[]>()(
    z.object({ includeInactive: z.boolean().optional() }).strict(),
    'user',
  ),
  /** Registers a camera or microphone under its 设备编号 (R3.6). */
  'devices.register': method<DeviceDto>()(
    z
      .object({
        deviceNo: z
          .string()
          .trim()
          .min(2)
          .max(32)
          .regex(/^[A-Za-z0-9-]+$/),
        kind: z.enum(DEVICE_KINDS),
        label: text(100),
        role: z.enum(SOURCE_ROLES).optional(),
        model: optionalText(100),
        serial: optionalText(100),
        room: optionalText(60),
      })
      .strict(),
    REGISTER_KEEPERS,
  ),
  'devices.setActive': method<DeviceDto>()(
    z.object({ id: idSchema, active: z.boolean() }).strict(),
    REGISTER_KEEPERS,
  ),
} as const;

export interface RegistersEvents {
  'device.changed': { deviceId: number };
}
export const REGISTERS_EVENTS = events<RegistersEvents>()(['device.changed']);
