import type discsZhCN from './discs.zh-CN';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

/** English for the disc screen; typed against zh-CN so a missing key fails to compile. */
const discsEn: DeepStrings<typeof discsZhCN> = {
  title: 'Evidence discs and case file index',
  back: 'Back to the case',
  intro:
    'Choose sealed records of this case and burn them to evidence discs (usually two identical copies). Every file is read back after burning and checked against the sealed manifests; a disc that does not match is recorded as failed and must not be filed.',
  bundles: {
    title: 'Sealed bundles',
    none: 'This case has no sealed record yet. A session is burned after it has ended, its record is signed and it is sealed.',
    name: 'Bundle',
    session: 'Session',
    recorded: 'Recorded',
    size: 'Size',
    files: '{{count}} files',
  },
  plan: {
    title: 'Plan',
    medium: 'Medium',
    copies: 'Copies',
    purpose: "What the discs prove (optional; by default each bundle's own)",
    total: '{{size}} in all: {{discs}} disc(s) × {{copies}} copies = {{physical}} discs',
    disc: 'Disc {{n}}',
    fill: '{{pct}}% used ({{size}} of {{capacity}})',
    part: ' (part {{n}} of {{of}})',
    split:
      'Bundle {{bundle}} is larger than one disc and is split by file onto discs {{discs}}; every disc carries the complete manifests and signature, and no file is split.',
    refusedLarge:
      '{{file}} ({{size}}) is larger than one disc and cannot be burned: choose a larger medium.',
    refusedDuplicate: 'Bundle {{bundle}} is chosen twice.',
    nothing: 'Choose at least one bundle.',
    build: 'Build disc images',
    building: 'Building images…',
  },
  progress: {
    image: 'Building image: disc {{n}}',
    burn: 'Burning: disc {{n}}',
    verify: 'Reading back: disc {{n}}',
    running: 'in progress',
  },
  sets: {
    title: 'Discs made',
    none: 'No disc has been made yet.',
    set: 'Set {{setNo}} · {{medium}} · {{copies}} copies · made by {{by}} at {{at}}',
    image: 'Disc {{n}} image: {{size}}, volume {{volume}}',
    copy: 'Copy {{n}}',
    drive: 'Drive',
    noDrive: 'No drive found: save the image and burn it on a computer with a drive.',
    saveTo: 'Save to folder (optional, e.g. a USB stick; empty keeps it in the data folder)',
    burn: 'Burn and verify',
    save: 'Save image and verify',
    reverify: 'Verify again',
    labels: 'Print labels and disc record',
    serial: 'Serial',
    result: 'Result',
    madeBy: 'Made by',
    madeAt: 'Made at',
    where: 'Drive / image',
    problems: 'Problems',
  },
  result: {
    pending: 'not verified',
    verified: 'verified',
    failed: 'FAILED',
  },
  caseFile: {
    title: 'Case file index',
    pdf: 'Print case file index',
    deadline: 'Filing deadline: {{date}} ({{days}} days after the matter ended)',
    running:
      'The matter has not ended: the {{days}}-day filing period starts when the case enters the archiving phase.',
    warn: 'The filing deadline is near: file the case by {{date}}.',
    overdue: 'The filing deadline ({{date}}) has passed.',
    at: 'Time',
    kind: 'Kind',
    entry: 'Record',
    detail: 'Details',
    location: 'Stored at',
    kinds: {
      'case-opened': 'Case opened',
      session: 'Session',
      transcript: 'Transcript',
      bundle: 'Sealed bundle',
      replica: 'Replica',
      disc: 'Evidence disc',
      phase: 'Phase',
      approval: 'Approval',
    },
  },
  pdfReady: 'Ready: {{file}} (also saved at {{path}})',
  download: 'Download PDF',
};

export default discsEn;
