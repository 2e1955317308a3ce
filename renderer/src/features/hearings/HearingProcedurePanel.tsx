/**
 * A penalty case's hearing procedure (听证程序, 行政处罚法 第六十三、六十四条) on the case's 听证
 * tab: the notice of the right to a hearing, the party's request or waiver, the notice of the
 * hearing, each recorded as it happened, with the time limits judged by the same rule as the
 * core (five days to ask, seven days' notice) and shown as they run.
 */
import { useCallback, useState } from 'react';
import type { HearingProcedureDto } from '@shared/api/hearings';
import type { CaseDetailDto } from '@shared/domain';
import {
  HEARING_NOTICE_DAYS,
  daysBetween,
  requestDeadline,
  workdaysBetween,
  type WorkCalendar,
} from '@shared/rules/hearing';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { LoadState } from '../../ui/LoadState';
import { useNow } from '../../ui/useNow';
import { agencyTimeZone, formatDateTime, fromDateTimeLocal } from '../../ui/time';

type Send = (fn: () => Promise<unknown>) => Promise<boolean>;

/** The agency's working-day calendar, as the core counts periods on it. */
function useCalendar(): WorkCalendar {
  const client = useClient();
  const load = useCallback(() => client.invoke('app.calendar', {}), [client]);
  const days = useResource(load);
  useCoreEvent('app.settingsChanged', () => days.reload());
  const list = days.data ?? [];
  return {
    holidays: list.filter((d) => d.kind === 'holiday').map((d) => d.day),
    workdays: list.filter((d) => d.kind === 'workday').map((d) => d.day),
  };
}

/** The button that records an entry once its form is complete. */
function SaveButton(p: {
  label: string;
  ready: boolean;
  busy: boolean;
  send: Send;
  call: () => Promise<unknown>;
}) {
  return (
    <button
      type="button"
      className="button"
      disabled={p.busy || !p.ready}
      onClick={() => void p.send(p.call)}
    >
      {p.label}
    </button>
  );
}

/** The text fields of one of the procedure's forms, by key: their values and each field. */
function useTexts<K extends string>(keys: readonly K[]) {
  const [values, setValues] = useState(
    () => Object.fromEntries(keys.map((k) => [k, ''])) as Record<K, string>,
  );
  const field = (key: K, label: string, kind: 'text' | 'datetime-local' = 'text', max = 200) => (
    <TextField
      key={key}
      label={label}
      type={kind}
      value={values[key]}
      onChange={(v) => setValues((x) => ({ ...x, [key]: v }))}
      maxLength={kind === 'text' ? max : undefined}
      required
    />
  );
  return { values, field };
}

export function HearingProcedurePanel({ detail }: { detail: CaseDetailDto }) {
  const t = useSectionT('hearings');
  const client = useClient();
  const load = useCallback(
    () => client.invoke('hearings.procedure', { caseId: detail.id }),
    [client, detail.id],
  );
  const procedure = useResource(load);
  // Read once for the panel: both the request and the notice are counted on it.
  const calendar = useCalendar();
  useCoreEvent('hearings.procedureChanged', (e) => {
    if (e.caseId === detail.id) procedure.reload();
  });
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const send: Send = async (fn) => {
    setBusy(true);
    setBanner(null);
    try {
      await fn();
      procedure.reload();
      return true;
    } catch (e) {
      setBanner(formFailure(e).banner);
      return false;
    } finally {
      setBusy(false);
    }
  };
  if (procedure.error) return <LoadState error={procedure.error} onRetry={procedure.reload} />;
  const p = procedure.data;
  if (!p) return null;
  return (
    <section
      className="panel"
      aria-labelledby="hearing-procedure-title"
      data-testid="hearing-procedure"
    >
      <h2 id="hearing-procedure-title" className="panel__title">
        {t('procedure.title')}
      </h2>
      <p className="muted">{t('procedure.intro')}</p>
      <Status p={p} />
      {banner ? <ErrorBanner message={banner} /> : null}
      <NoticeSection p={p} busy={busy} send={send} />
      {p.notice ? <AnswerSection p={p} calendar={calendar} busy={busy} send={send} /> : null}
      {p.status.stage === 'to-notify' || p.status.stage === 'notified' ? (
        <SummonsSection p={p} calendar={calendar} detail={detail} busy={busy} send={send} />
      ) : null}
    </section>
  );
}

function Status({ p }: { p: HearingProcedureDto }) {
  const t = useSectionT('hearings');
  const s = p.status;
  const now = useNow(60_000);
  const waiting = s.stage === 'awaiting-request' && s.requestDeadline !== null;
  const left = waiting ? daysBetween(now, s.requestDeadline!, agencyTimeZone()) : 0;
  return (
    <div
      className={`banner${s.stage === 'lapsed' || s.noticeTooShort ? ' banner--warning' : ''}`}
      role="status"
      data-testid="hearing-stage"
      data-stage={s.stage}
    >
      <strong>{t(`procedure.stage.${s.stage}`)}</strong>
      {waiting ? (
        <span>
          {' '}
          {t('procedure.deadline', { at: formatDateTime(s.requestDeadline!, false) })}
          {now > s.requestDeadline! ? t('procedure.overdue') : t('procedure.left', { days: left })}
        </span>
      ) : null}
      {s.noticeDays !== null ? (
        <span>
          {' '}
          {t('procedure.noticeDays', { days: s.noticeDays })}
          {s.noticeDays < HEARING_NOTICE_DAYS
            ? `（${
                p.summons?.shortNoticeAgreed
                  ? t('procedure.noticeShortAgreed', { text: p.summons.shortNoticeAgreed })
                  : t('procedure.noticeShort')
              }）`
            : ''}
        </span>
      ) : null}
    </div>
  );
}

const recorded = (
  t: ReturnType<typeof useSectionT<'hearings'>>,
  e: { recordedBy: string; recordedAt: number },
) => t('procedure.recordedBy', { by: e.recordedBy, at: formatDateTime(e.recordedAt, false) });

function NoticeSection({ p, busy, send }: { p: HearingProcedureDto; busy: boolean; send: Send }) {
  const t = useSectionT('hearings');
  const client = useClient();
  const f = useTexts(['documentNo', 'servedAt', 'servedTo'] as const);
  const { documentNo, servedTo } = f.values;
  const n = p.notice;
  const at = fromDateTimeLocal(f.values.servedAt);
  return (
    <section className="hearing-step" data-testid="hearing-notice">
      <h3>{t('procedure.notice.title')}</h3>
      {n ? (
        <p>
          {t('procedure.notice.shown', {
            documentNo: n.documentNo,
            at: formatDateTime(n.servedAt, false),
            to: n.servedTo,
          })}
          <span className="muted"> · {recorded(t, n)}</span>
        </p>
      ) : null}
      {p.answer ? null : (
        <div className="form__grid">
          {f.field('documentNo', t('procedure.notice.documentNo'), 'text', 60)}
          {f.field('servedAt', t('procedure.notice.servedAt'), 'datetime-local')}
          {f.field('servedTo', t('procedure.notice.servedTo'), 'text', 60)}
          <SaveButton
            label={t('procedure.notice.save')}
            ready={Boolean(documentNo.trim() && at !== undefined && servedTo.trim())}
            busy={busy}
            send={send}
            call={() =>
              client.invoke('hearings.recordNotice', {
                caseId: p.caseId,
                documentNo,
                servedAt: at!,
                servedTo,
              })
            }
          />
        </div>
      )}
    </section>
  );
}

function AnswerSection({
  p,
  calendar,
  busy,
  send,
}: {
  p: HearingProcedureDto;
  calendar: WorkCalendar;
  busy: boolean;
  send: Send;
}) {
  const t = useSectionT('hearings');
  const client = useClient();
  const [kind, setKind] = useState<'request' | 'waiver'>('request');
  const f = useTexts(['at', 'by', 'lateReason'] as const);
  const { by, lateReason } = f.values;
  const [way, setWay] = useState<'written' | 'oral'>('written');
  const [lateDecision, setLateDecision] = useState<'' | 'accepted' | 'refused'>('');
  const a = p.answer;
  const when = fromDateTimeLocal(f.values.at);
  // The same rule as the core: asked after the end of the fifth working day is late.
  const late =
    kind === 'request' &&
    when !== undefined &&
    when > requestDeadline(p.notice!.servedAt, agencyTimeZone(), calendar);
  const ready =
    when !== undefined && by.trim() && (!late || (lateDecision && lateReason.trim().length > 0));
  return (
    <section className="hearing-step" data-testid="hearing-answer">
      <h3>{t('procedure.answer.title')}</h3>
      {a ? (
        <p>
          {t('procedure.answer.shown', {
            by: a.by,
            at: formatDateTime(a.at, false),
            way: t(`procedure.answer.ways.${a.way}`),
            kind: t(`procedure.answer.kinds.${a.kind}`),
          })}
          {a.late
            ? `；${t('procedure.answer.lateShown', {
                decision: a.late.accepted
                  ? t('procedure.answer.lateAccepted')
                  : t('procedure.answer.lateRefused'),
                reason: a.late.reason,
              })}`
            : ''}
          <span className="muted"> · {recorded(t, a)}</span>
        </p>
      ) : null}
      {p.summons ? null : (
        <div className="form__grid">
          <SelectField
            label={t('procedure.answer.kind')}
            value={kind}
            options={[
              { value: 'request', label: t('procedure.answer.kinds.request') },
              { value: 'waiver', label: t('procedure.answer.kinds.waiver') },
            ]}
            onChange={(v) => setKind(v as 'request' | 'waiver')}
          />
          {f.field('at', t('procedure.answer.at'), 'datetime-local')}
          <SelectField
            label={t('procedure.answer.way')}
            value={way}
            options={[
              { value: 'written', label: t('procedure.answer.ways.written') },
              { value: 'oral', label: t('procedure.answer.ways.oral') },
            ]}
            onChange={(v) => setWay(v as 'written' | 'oral')}
          />
          {f.field('by', t('procedure.answer.by'), 'text', 60)}
          {late ? (
            <>
              <SelectField
                label={t('procedure.answer.late')}
                value={lateDecision}
                options={[
                  { value: 'accepted', label: t('procedure.answer.lateAccepted') },
                  { value: 'refused', label: t('procedure.answer.lateRefused') },
                ]}
                onChange={(v) => setLateDecision(v as 'accepted' | 'refused')}
                required
              />
              {f.field('lateReason', t('procedure.answer.lateReason'), 'text', 500)}
            </>
          ) : null}
          <SaveButton
            label={t('procedure.answer.save')}
            ready={Boolean(ready)}
            busy={busy}
            send={send}
            call={() =>
              client.invoke('hearings.recordAnswer', {
                caseId: p.caseId,
                kind,
                at: when!,
                way,
                by,
                ...(late
                  ? { late: { accepted: lateDecision === 'accepted', reason: lateReason } }
                  : {}),
              })
            }
          />
        </div>
      )}
    </section>
  );
}

function SummonsSection({
  p,
  calendar,
  detail,
  busy,
  send,
}: {
  p: HearingProcedureDto;
  calendar: WorkCalendar;
  detail: CaseDetailDto;
  busy: boolean;
  send: Send;
}) {
  const t = useSectionT('hearings');
  const client = useClient();
  const loadOfficers = useCallback(() => client.invoke('officers.list', {}), [client]);
  const register = useResource(loadOfficers);
  const f = useTexts([
    'documentNo',
    'notifiedAt',
    'hearingAt',
    'place',
    'notPublicReason',
    'shortNoticeAgreed',
  ] as const);
  const { documentNo, place, notPublicReason, shortNoticeAgreed: agreed } = f.values;
  const [moderator, setModerator] = useState('');
  const [open, setOpen] = useState(true);
  const s = p.summons;
  const notified = fromDateTimeLocal(f.values.notifiedAt);
  const held = fromDateTimeLocal(f.values.hearingAt);
  const label = (k: Parameters<typeof f.field>[0]) => t(`procedure.summons.${k}`);
  const short =
    notified !== undefined &&
    held !== undefined &&
    workdaysBetween(notified, held, agencyTimeZone(), calendar) < HEARING_NOTICE_DAYS;
  const investigators = new Set(detail.officers.map((o) => o.officerId));
  const moderators = (register.data ?? [])
    .filter((o) => o.active && !investigators.has(o.id))
    .map((o) => ({ value: String(o.id), label: `${o.name}（${o.certificateNo}）` }));
  const ready =
    documentNo.trim() &&
    notified !== undefined &&
    held !== undefined &&
    place.trim() &&
    moderator &&
    (open || notPublicReason.trim()) &&
    (!short || agreed.trim());
  return (
    <section className="hearing-step" data-testid="hearing-summons">
      <h3>{t('procedure.summons.title')}</h3>
      {s ? (
        <p>
          {t('procedure.summons.shown', {
            documentNo: s.documentNo,
            notified: formatDateTime(s.notifiedAt, false),
            at: formatDateTime(s.hearingAt, false),
            place: s.place,
            moderator: s.moderator.name,
            open: s.public
              ? t('procedure.summons.open.yes')
              : t('procedure.summons.open.no', { reason: s.notPublicReason ?? '' }),
          })}
          <span className="muted"> · {recorded(t, s)}</span>
        </p>
      ) : null}
      <div className="form__grid">
        {f.field('documentNo', label('documentNo'), 'text', 60)}
        {f.field('notifiedAt', label('notifiedAt'), 'datetime-local')}
        {f.field('hearingAt', label('hearingAt'), 'datetime-local')}
        {f.field('place', label('place'))}
        <SelectField
          label={t('procedure.summons.moderator')}
          value={moderator}
          options={moderators}
          onChange={setModerator}
          required
        />
        <Checkbox label={t('procedure.summons.public')} checked={open} onChange={setOpen} />
        {open ? null : f.field('notPublicReason', label('notPublicReason'))}
        {short ? f.field('shortNoticeAgreed', label('shortNoticeAgreed')) : null}
        <SaveButton
          label={t('procedure.summons.save')}
          ready={Boolean(ready)}
          busy={busy}
          send={send}
          call={() =>
            client.invoke('hearings.recordSummons', {
              caseId: p.caseId,
              documentNo,
              notifiedAt: notified!,
              hearingAt: held!,
              place,
              moderatorOfficerId: Number(moderator),
              public: open,
              ...(open ? {} : { notPublicReason }),
              ...(short ? { shortNoticeAgreed: agreed } : {}),
            })
          }
        />
      </div>
    </section>
  );
}
