import type signingZhCN from './signing.zh-CN';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

/** English for review and signing; typed against zh-CN so a missing key fails to compile. */
const signingEn: DeepStrings<typeof signingZhCN> = {
  steps: {
    review: 'Read',
    corrections: 'Confirm changes',
    pages: 'Sign each page',
    seam: 'Seam signature',
    closing: 'Statement',
    officers: 'Officers sign',
    finish: 'Done',
    finished: 'Finished',
  },
  party: {
    title: '{{title}}: review and sign',
    caseLine: 'Case {{caseNo}} · {{party}}',
    loading: 'Loading the record…',
    loadingPages: 'Loading the pages…',
    invalid: 'This signing page is not valid. Please ask the officers present.',
    stale:
      'The officers are changing the record as you asked. Please wait; the changes will be marked for you to confirm.',
    readAgain: 'Read the whole record',
    backToSigning: 'Back to signing',
    review: {
      intro: 'Please read every page of the record. You can sign once you have seen them all.',
      pageOf: 'Page {{page}} of {{count}}',
      prev: 'Previous page',
      next: 'Next page',
      seen: 'Read',
      notSeen: 'Not read',
      allSeen: 'You have seen every page.',
      pageLabel: 'Page {{page}} of the record',
      ask: 'If something should change, tell the officers. Changes will be marked for you to confirm.',
    },
    corrections: {
      intro:
        'The record was changed after you read it. Check each change and sign at it (in place of a fingerprint at the change).',
      countOf: 'Change {{n}} of {{count}}',
      where: 'Page {{page}}, {{speaker}}:',
      removed: 'removed',
      added: 'added',
      pad: 'Sign at the change on page {{page}}',
      submit: 'Confirm this change',
      mark: 'Where you sign for the change',
    },
    pages: {
      intro: 'Please sign every page. The date is filled in for you.',
      countOf: 'Page {{page}} of {{count}}',
      pad: 'Signature on page {{page}}',
      submit: 'Confirm signature on page {{page}}',
      mark: 'Where you sign',
    },
    seam: {
      intro:
        'Seam signature: sign once in the long box below. The signature is cut into {{count}} strips, one on the right edge of each page. Laid side by side, the pages show your whole signature, which proves these {{count}} pages belong together and none was replaced.',
      pad: 'Seam signature (across {{count}} pages)',
      submit: 'Confirm seam signature',
    },
    closing: {
      intro: 'Please write this sentence by hand:',
      pad: 'Handwritten: {{text}}',
      submit: 'Confirm',
    },
    officers: {
      partyDone: 'You have signed everything, thank you. Please hand the tablet to the officers.',
      refused: 'The party refused to sign; the officers have noted it. Officers, please sign.',
      intro: 'Officers sign (two or more).',
      waiting:
        'Officer: at the desk, choose “Sign on the signing screen” and confirm it is you, then sign here.',
      signed: 'Signed',
      pad: 'Signature of officer {{name}}',
      submit: 'Confirm signature',
    },
    finish: 'Everything is signed. The officers will now produce the final record.',
    finished: 'The record is signed and finished.',
  },
  pad: {
    clear: 'Rewrite',
    submit: 'Confirm signature',
    saving: 'Saving…',
    tooLong: 'The signature is too long; please write a shorter one.',
  },
  desk: {
    title: 'Signing the record: {{caseNo}}',
    back: 'Back to the transcript',
    none: 'When the recording has ended, the party reads the record page by page on the signing screen and signs.',
    notEnded:
      'Signing starts after the recording has ended (the record’s times are the recording’s).',
    closingText: 'Statement the party writes',
    open: 'Start review and signing',
    opening: 'Preparing…',
    screen: 'Signing screen',
    screenHelp:
      'Open this page on the external signing display (or a second browser window) for the party:',
    openScreen: 'Open the signing page in a new window',
    progress: 'Progress',
    version: 'Version {{version}}',
    pagesCount: '{{count}} pages',
    viewed: 'Read: {{done}} / {{count}} pages',
    corrections: 'Changes confirmed: {{done}} / {{count}}',
    signedPages: 'Pages signed: {{done}} / {{count}}',
    seam: 'Seam signature',
    seamNone: 'Seam signature: one page, none needed',
    closing: 'Handwritten statement',
    officers: 'Officers signed: {{done}} / {{need}}',
    done: 'done',
    notDone: 'not yet',
    stale:
      'The record changed after the party read it. Update it so the changes are marked for the party to confirm.',
    refresh: 'Update the signing page (mark the changes)',
    refuse: 'The party refuses to sign',
    refuseReason: 'Reason for refusing',
    refuseConfirm: 'Record the refusal',
    refused: 'The party refused to sign. Reason: {{reason}}',
    officerSign: 'Officers sign here',
    officer: 'Officer signing',
    officerPad: 'Signature of {{name}}',
    officerHint:
      'After the party has signed (or refused), two or more officers sign in person: here, or on the signing screen after “Sign on the signing screen”.',
    you: 'signed in',
    signHere: 'Sign here',
    signOnTablet: 'Sign on the signing screen',
    arm: 'Let {{name}} sign on the signing screen',
    armed: 'The signing screen is ready for {{name}} to sign (once, until {{until}}).',
    disarm: 'Withdraw',
    finish: 'Finish and produce the PDF',
    finishing: 'Producing and sealing…',
    finished: 'The record is signed and finished',
    file: 'File: {{path}}',
    sha256: 'SHA-256: {{sha256}}',
  },
  errors: {
    FORBIDDEN: 'Not allowed, or the signing page is not valid.',
    BAD_CREDENTIALS: 'Wrong username or password. Repeated failures lock the account for a while.',
    notThatOfficer:
      'Only the officer signs in their own name: that officer enters their own username and password.',
    notArmed:
      'The signing screen is not ready for this officer, or the time ran out. Choose “Sign on the signing screen” at the desk again.',
    RULE_VIOLATION: 'Not yet possible: {{message}}',
    CONFLICT: 'Things have changed: {{message}}',
    NOT_FOUND: 'Not found: {{message}}',
    other: 'That failed: {{message}}',
  },
};

export default signingEn;
