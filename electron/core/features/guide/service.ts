/**
 * The agency's phrase guide (执法用语指引, R6.5): by kind of session and step, edited and kept
 * in versions; until the first is saved, the form templates' own wording with an opening and
 * a closing. The signing's notices and the transcript pane's phrases read it from here.
 */
import type { AvListDto, GuideStep, PhraseEntry, PhraseGuideDto } from '../../../shared/api/guide';
import {
  DEFAULT_AV_LIST,
  avRequirementOf,
  type AvListEntry,
  type AvRequirement,
} from '../../../shared/rules/av-list';
import { SESSION_KINDS, type MatterKind, type SessionKind } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { defaultResourcesDir } from '../../platform/pdf/fonts';
import { loadTemplates } from '../../platform/pdf/templates';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { FORM_OF_SESSION, placeholdersInChinese, templateSteps } from '../signing';
import { userDisplayName } from '../users';
import { insertAvList, insertGuide, latestAvList, latestGuide } from './store';

/** How each kind of session opens and closes, where the form templates say nothing. */
const OPENING: Record<SessionKind, string> = {
  interview: '现在依法对你进行询问，请你如实回答问题，不得作伪证或者隐匿证据。',
  summons: '现在依法对你单位进行约谈，请如实说明有关情况。',
  inspection: '现在依法对你单位进行现场检查，请予以配合，如实提供有关资料。',
  hearing: '现在开始听证。',
};
const CLOSING: Record<SessionKind, string> = {
  interview: '本次询问到此结束。请你核对笔录，记录有误或遗漏的可以更正、补充；核对无误后逐页签名。',
  summons: '本次约谈到此结束。请核对笔录，确认无误后签名。',
  inspection: '现场检查到此结束。请核对检查笔录，确认无误后签名。',
  hearing: '听证到此结束。请听证参加人核对听证笔录，确认无误后签名。',
};

export class GuideService {
  private defaults: PhraseEntry[] | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly resourcesDir: string = defaultResourcesDir(),
  ) {}

  /** The form templates' wording, as version 0. */
  private defaultEntries(): PhraseEntry[] {
    if (!this.defaults) {
      const templates = loadTemplates(this.resourcesDir);
      this.defaults = SESSION_KINDS.flatMap((session): PhraseEntry[] => [
        { session, step: 'opening', text: OPENING[session] },
        ...templateSteps(templates.kinds[FORM_OF_SESSION[session]]).map((s) => ({
          session,
          step: s.step as GuideStep,
          text: placeholdersInChinese(s.statement),
        })),
        { session, step: 'closing', text: CLOSING[session] },
      ]);
    }
    return this.defaults;
  }

  current(): PhraseGuideDto {
    const row = latestGuide(this.deps.db);
    if (!row)
      return { version: 0, entries: this.defaultEntries(), setBy: null, setAt: null, note: null };
    return {
      version: row.version,
      entries: JSON.parse(row.entries) as PhraseEntry[],
      setBy: userDisplayName(this.deps.db, row.set_by) ?? null,
      setAt: row.set_at,
      note: row.note,
    };
  }

  /** The guide's phrases for a kind of session, in the order the guide lists them. */
  entriesFor(kind: SessionKind): PhraseEntry[] {
    return this.current().entries.filter((e) => e.session === kind);
  }

  /** The guide's wording of a step for a kind of session, if it has one. */
  wording(kind: SessionKind, step: GuideStep): string | undefined {
    return this.entriesFor(kind).find((e) => e.step === step)?.text;
  }

  /** The list of matters recorded on A/V: the one saved last, else R3.2's default (version 0). */
  avList(): AvListDto {
    const row = latestAvList(this.deps.db);
    if (!row)
      return { version: 0, entries: [...DEFAULT_AV_LIST], setBy: null, setAt: null, note: null };
    return {
      version: row.version,
      entries: JSON.parse(row.entries) as AvListEntry[],
      setBy: userDisplayName(this.deps.db, row.set_by) ?? null,
      setAt: row.set_at,
      note: row.note,
    };
  }

  /** What the list asks of a kind of session in a kind of case, with the list's version. */
  avRequirement(
    session: SessionKind,
    matter: MatterKind,
  ): { version: number; requirement: AvRequirement } | null {
    const list = this.avList();
    const requirement = avRequirementOf(list.entries, session, matter);
    return requirement ? { version: list.version, requirement } : null;
  }

  /**
   * Saves a new version of one of the agency's lists in one transaction with its audit entry;
   * returns its number.
   */
  private saveVersion(
    caller: Caller,
    list: {
      insert: (row: {
        entries: string;
        note: string | null;
        set_by: number;
        set_at: number;
      }) => number;
      action: 'avList.saved' | 'guide.saved';
      entity: 'av_list' | 'phrase_guide';
      entries: unknown[];
      note: string | undefined;
      data: Record<string, unknown>;
    },
  ): number {
    const user = requireUser(caller);
    return this.deps.db.transaction(() => {
      const at = this.deps.now();
      const version = list.insert({
        entries: JSON.stringify(list.entries),
        note: list.note ?? null,
        set_by: user.id,
        set_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: list.action,
        entity: list.entity,
        entityId: version,
        caseId: null,
        data: { version, ...list.data, note: list.note ?? null },
      });
      return version;
    })();
  }

  saveAvList(caller: Caller, entries: AvListEntry[], note: string | undefined): AvListDto {
    const keys = entries.map((e) => `${e.session}/${e.matter}`);
    if (new Set(keys).size !== keys.length)
      throw new AppError('INVALID_INPUT', '同一类记录和案件在清单中只能列一次');
    const version = this.saveVersion(caller, {
      insert: (row) => insertAvList(this.deps.db, row),
      action: 'avList.saved',
      entity: 'av_list',
      entries,
      note,
      data: { entries },
    });
    this.deps.emit('avList.changed', { version });
    return this.avList();
  }

  save(caller: Caller, entries: PhraseEntry[], note: string | undefined): PhraseGuideDto {
    const seen = new Set<string>();
    for (const e of entries) {
      const key = `${e.session}\u0000${e.text}`;
      if (seen.has(key))
        throw new AppError('INVALID_INPUT', `同一类记录中有重复的用语：${e.text.slice(0, 20)}`);
      seen.add(key);
    }
    const version = this.saveVersion(caller, {
      insert: (row) => insertGuide(this.deps.db, row),
      action: 'guide.saved',
      entity: 'phrase_guide',
      entries,
      note,
      data: { entries: entries.length },
    });
    this.deps.emit('guide.changed', { version });
    return this.current();
  }
}
