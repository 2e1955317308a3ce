import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcedureStep } from '../../../shared/rules/transcript';
import type { ProcedureKind, TranscriptKind } from './model';

/** A procedure statement the form proposes, with `{agency}`-style placeholders. */
export interface ProcedurePrompt {
  kind: ProcedureKind;
  speaker: string;
  statement: string;
  responder?: string;
  /** The procedure step the statement does, where its kind alone does not say (hearing steps). */
  step?: ProcedureStep;
}

/** Labels and default wording of one form (询问笔录, 听证笔录, 约谈笔录). */
export interface FormTemplate {
  title: string;
  timeLabel: string;
  placeLabel: string;
  officersLabel: string;
  recorderLabel: string;
  partyLabel: string;
  partyOpinionLabel: string;
  /** e.g. `第{n}次询问`. */
  sequence: string;
  /** Speaker labels the transcript pane offers, in order. */
  speakers: string[];
  procedures: ProcedurePrompt[];
  /**
   * Every participant signs in turn after the party (a hearing's agents, third parties,
   * witnesses, interpreter); otherwise only the one questioned signs.
   */
  everyoneSigns?: boolean;
  /** Whether those others sign every page, or only the closing statement (default: every page). */
  othersSignPages?: boolean;
  /** Whether those others sign across the seam too, each their own band (default: the party only). */
  othersSignSeam?: boolean;
  /** The steps of the order (a hearing's) print as headings at their place among the turns. */
  printsSteps?: boolean;
  /** The label of what an inspection looks at (检查对象及项目), printed when the session names it. */
  subjectLabel?: string;
}

/** resources/templates/transcripts.json. */
export interface TranscriptTemplates {
  version: number;
  closingText: string;
  kinds: Record<TranscriptKind, FormTemplate>;
}

const cache = new Map<string, TranscriptTemplates>();

/** Read the form templates from `<resourcesDir>/templates/transcripts.json` (cached). */
export function loadTemplates(resourcesDir: string): TranscriptTemplates {
  const path = join(resourcesDir, 'templates', 'transcripts.json');
  let t = cache.get(path);
  if (!t) {
    t = JSON.parse(readFileSync(path, 'utf8')) as TranscriptTemplates;
    for (const kind of ['inquiry', 'interview', 'hearing', 'inspection'] as const) {
      if (!t.kinds?.[kind]?.title) throw new Error(`${path}: no template for "${kind}"`);
    }
    cache.set(path, t);
  }
  return t;
}
