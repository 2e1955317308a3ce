/**
 * The live room (ARCHITECTURE §10): the desk forwards what it records to the SFU; observers
 * watch under the access check, each viewing audited.
 */
export { LiveService, type ViewingEnd } from './service';
export type { LanLiveConfig } from './lan';
export type { RelayConfig } from '../../platform/sfu/relay-uplink';
export { remoteParticipationOf, type RemoteParticipation } from './participation';
