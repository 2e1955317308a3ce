/**
 * Plain words for the audit trail's codes: Chinese from the one list the core writes codes
 * from (@shared/audit-actions), English here; a code missing from either is a compile error.
 */
import {
  AUDIT_KIND_NAMES,
  zhActionName,
  zhEntityName,
  type AuditAction,
  type AuditEntity,
  type AuditKind,
} from '@shared/audit-actions';

const ACTIONS_EN: Record<AuditAction, string> = {
  'app.timeZoneSet': 'Set the agency time zone',
  'auth.signed_in': 'Signed in',
  'auth.failed': 'Sign-in failed',
  'user.setup': 'Created the administrator',
  'user.created': 'Created a user',
  'user.enabled': 'Enabled a user',
  'user.disabled': 'Disabled a user',
  'user.password_changed': 'Changed a password',
  'officer.registered': 'Registered an officer',
  'officer.confirmed': 'Officer confirmed in person',
  'officer.confirmation_refused': 'Officer confirmation failed',
  'device.registered': 'Registered a device',
  'device.activated': 'Enabled a device',
  'device.retired': 'Retired a device',
  'case.created': 'Opened the case',
  'case.phase_advanced': 'Moved to the next phase',
  'case.officer_assigned': 'Assigned an officer',
  'case.approval': 'Gave an approval opinion',
  'party.updated': 'Completed a party’s details',
  'party.added': 'Added a party',
  'case_file.policy': 'Set the filing period',
  'session.created': 'Planned a session',
  'session.started': 'Started recording',
  'session.interrupted': 'Recording interrupted',
  'session.resumed': 'Recording resumed',
  'session.ended': 'Ended recording',
  'session.abandoned': 'Abandoned a session not started',
  'session.sealed': 'Sealed',
  'recording.preflight_saved': 'Saved the pre-flight check',
  'recording.checkpoint': 'Recording checkpoint',
  'media.segment_opened': 'Started a media file',
  'media.segment_closed': 'Finished a media file',
  'media.segment_recovered': 'Recovered an interrupted media file',
  'media.read': 'Viewed a media file',
  'signing.notice_overridden':
    'Opened the signing without a notice on record (officers’ statement)',
  'signing.opened': 'Opened signing',
  'signing.refreshed': 'Refreshed the record to sign',
  'signing.surface_issued': 'Opened a signing surface',
  'signing.page_viewed': 'Party read a page',
  'signing.correction_confirmed': 'Party confirmed a correction',
  'signing.page_signed': 'Party signed a page',
  'signing.seam_signed': 'Party signed across pages',
  'signing.closing_signed': 'Party wrote the closing statement',
  'signing.officer_armed': 'Tablet handed to an officer',
  'signing.officer_disarmed': 'Tablet taken back from an officer',
  'signing.officer_signed': 'Officer signed',
  'signing.refused': 'Refused to sign the record',
  'hearing.report_saved': 'Hearing report written',
  'hearing.report_signed': 'Hearing report signed by the moderator',
  'hearing.notice_served': 'Party told of the right to a hearing',
  'hearing.answer_recorded': 'Party’s request for a hearing (or waiver) recorded',
  'hearing.summons_served': 'Party notified of the hearing’s time and place',
  'signing.finished': 'Signing finished',
  'signing.lan_paired': 'Paired a signing tablet',
  'signing.lan_unpaired': 'Unpaired a signing tablet',
  'bundle.verified': 'Verified a bundle',
  'bundle.replicated': 'Stored a bundle off-site',
  'bundle.unrecorded': 'Found media not on record',
  'storage.target_created': 'Added a storage target',
  'storage.target_updated': 'Changed a storage target',
  'storage.target_enabled': 'Enabled a storage target',
  'storage.target_disabled': 'Disabled a storage target',
  'storage.target_tested': 'Tested a storage target',
  'disc.imaged': 'Made disc images',
  'disc.burn.started': 'Burned an evidence disc',
  'disc.image.saved': 'Saved a disc image',
  'disc.verified': 'Disc verified',
  'disc.failed': 'Disc failed verification',
  'trust.registered': 'Registered a certificate',
  'trust.withdrawn': 'Withdrew a certificate',
  'trust.certificateRequested': 'Made a certificate request',
  'trust.identityInstalled': 'Installed the workstation certificate',
  'trust.plainSecretsAccepted': 'Accepted plain secret storage',
  'trust.timeStampAuthoritySet': 'Set the time-stamping authority',
  'audit.exported': 'Exported the audit trail',
  'case.clerk_assigned': 'Assigned a clerk',
  'case.clerk_removed': 'Took a clerk off the case',
  'access.requested': 'Asked for access',
  'access.approved': 'Approved access',
  'access.declined': 'Declined access',
  'access.revoked': 'Revoked access',
  'access.refused': 'Refused a read without a grant',
  'bundle.file_read': 'Opened a sealed file',
  'transcript.read': 'Read a written record',
  'bundle.classified': 'Classified a file',
  'copy.requested': 'Recorded a party copy request',
  'copy.decided': 'Decided a party copy request',
  'copy.made': 'Made a party copy',
  'copy.register_printed': 'Printed the copy register',
};

const KINDS_EN: Record<AuditKind, string> = {
  auth: 'Sign-in',
  user: 'Accounts',
  officer: 'Officers',
  device: 'Devices',
  case: 'Cases',
  party: 'Parties',
  case_file: 'Case file index',
  session: 'Sessions',
  recording: 'Recording',
  media: 'Media files',
  signing: 'Signing',
  bundle: 'Bundles',
  storage: 'Off-site storage',
  disc: 'Evidence discs',
  trust: 'Certificates and trust',
  app: 'Settings',
  audit: 'Audit trail',
  access: 'Access grants',
  copy: 'Party copies',
  hearing: 'Hearing reports',
  transcript: 'Written records',
};

const ENTITIES_EN: Record<AuditEntity, string> = {
  app: 'Settings',
  audit: 'Audit trail',
  archive: 'Archive',
  approval: 'Approval',
  access_request: 'Access request',
  bundle: 'Sealed bundle',
  copy_request: 'Copy request',
  case: 'Case',
  case_file_policy: 'Filing period',
  device: 'Device',
  disc: 'Evidence disc',
  disc_set: 'Disc set',
  officer: 'Officer',
  party: 'Party',
  session: 'Session',
  signing: 'Signing',
  storage_target: 'Storage target',
  trust: 'Certificates and trust',
  trust_register: 'Certificate register',
  user: 'User',
};

const zh = (language: string) => !language.startsWith('en');

/** The name of an action; a code from an older or newer core is shown as it is. */
export function actionName(code: string, language: string): string {
  return zh(language) ? zhActionName(code) : ((ACTIONS_EN as Record<string, string>)[code] ?? code);
}

export function entityName(code: string, language: string): string {
  return zh(language)
    ? zhEntityName(code)
    : ((ENTITIES_EN as Record<string, string>)[code] ?? code);
}

export function kindName(kind: AuditKind, language: string): string {
  return (zh(language) ? AUDIT_KIND_NAMES : KINDS_EN)[kind];
}
