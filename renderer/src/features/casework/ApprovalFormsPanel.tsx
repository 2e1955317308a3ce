/**
 * 审批表 (R1.4): the case's approval forms with each opinion in order, and the next step for
 * whoever may take it: the handler proposes, the legal reviewer reviews, the leader records
 * the collective discussion and decides, each participant signs; each signs on the pad.
 */
import { useCallback, useState } from 'react';
import type { ApprovalFormDto } from '@shared/api/approvals';
import type { HandwritingInput } from '@shared/api/signing';
import type { ApprovalDecision, CaseDetailDto } from '@shared/domain';
import type { ApprovalFormKind } from '@shared/rules/approval-form';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { fromDateTimeLocal, toDateTimeLocal } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { PdfButton, SignPad } from './common';
import { useCall } from '../../ui/useCall';

export function ApprovalFormsPanel({ detail }: { detail: CaseDetailDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const load = useCallback(
    () => client.invoke('approvals.list', { caseId: detail.id }),
    [client, detail.id],
  );
  const forms = useResource(load);
  useCoreEvent('approvals.changed', (e) => {
    if (e.caseId === detail.id) forms.reload();
  });
  const handler =
    canInvoke(user, 'approvals.propose') &&
    detail.officers.some((o) => o.officerId === user.officerId);
  return (
    <section aria-labelledby="approval-forms-title" className="split">
      <div>
        <h2 id="approval-forms-title" className="panel__title">
          {t('approvals.title')}
        </h2>
        {!forms.data ? (
          <LoadState error={forms.error} onRetry={forms.reload} />
        ) : forms.data.length === 0 ? (
          <p className="empty">{t('approvals.empty')}</p>
        ) : (
          forms.data.map((f) => <FormCard key={f.id} form={f} />)
        )}
      </div>
      {handler && detail.phase !== 'archiving' ? <ProposeForm detail={detail} /> : null}
    </section>
  );
}

function FormCard({ form }: { form: ApprovalFormDto }) {
  const t = useSectionT('casework');
  const label = useEnumLabel();
  const client = useClient();
  return (
    <article className="panel" data-testid={`approval-form-${form.id}`}>
      <h3 className="panel__title">
        {label('approvalFormKind', form.kind)}{' '}
        <span className="tag" data-testid="approval-stage">
          {t(`approvals.stage.${form.progress.stage}`)}
        </span>
        {form.counts ? <span className="tag tag--agree">{t('approvals.counts')}</span> : null}
        {form.progress.stage === 'approved' && !form.counts && form.kind === 'decision' ? (
          <span className="tag tag--disagree">{t('approvals.stale')}</span>
        ) : null}
      </h3>
      <dl className="facts">
        <dt>{t('approvals.facts')}</dt>
        <dd className="prewrap">{form.content.facts}</dd>
        <dt>{t('approvals.legalBasis')}</dt>
        <dd>{form.content.legalBasis}</dd>
        <dt>{t('approvals.discretion')}</dt>
        <dd>{form.content.discretion}</dd>
      </dl>
      <ol className="approvals">
        {form.acts.map((a) => (
          <li key={a.id} className="approval">
            <div className="approval__head">
              <strong>{label('approvalStep', a.step)}</strong>
              {a.decision ? (
                <span className="tag">{label('approvalDecision', a.decision)}</span>
              ) : null}
              <span className="muted">
                {a.userName} · <DateTime ms={a.at} />
              </span>
            </div>
            {a.opinion ? <p className="prewrap">{a.opinion}</p> : null}
            {a.minutes ? <p className="prewrap muted">{a.minutes}</p> : null}
          </li>
        ))}
      </ol>
      {form.progress.unsigned.length ? (
        <p className="muted">
          {t('approvals.unsigned', {
            names: form.progress.unsigned
              .map(
                (id) =>
                  form.acts.find((a) => a.participants)?.participants?.find((p) => p.userId === id)
                    ?.name ?? `#${id}`,
              )
              .join('、'),
          })}
        </p>
      ) : null}
      {form.pdf ? (
        <PdfButton
          label={t('pdf')}
          load={() => client.invoke('approvals.pdf', { formId: form.id })}
        />
      ) : (
        <NextStep form={form} />
      )}
    </article>
  );
}

/** The step the signed-in user may take on this form now, if any. */
function NextStep({ form }: { form: ApprovalFormDto }) {
  const user = useUser();
  const stage = form.progress.stage;
  if (stage === 'awaiting_review' && canInvoke(user, 'approvals.review'))
    return <Opinion form={form} step="review" />;
  if (stage === 'awaiting_decision' && canInvoke(user, 'approvals.decide'))
    return <Opinion form={form} step="decide" />;
  if (stage === 'awaiting_discussion' && canInvoke(user, 'approvals.discuss'))
    return <Discussion form={form} />;
  if (stage === 'awaiting_signatures') return <DiscussionSignature form={form} />;
  return null;
}

function Opinion({ form, step }: { form: ApprovalFormDto; step: 'review' | 'decide' }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const decisions = useEnumOptions('approvalDecision');
  const [decision, setDecision] = useState<ApprovalDecision>('agree');
  const [opinion, setOpinion] = useState('');
  const [discussion, setDiscussion] = useState(false);
  const act = useCall();
  const sign = (handwriting: HandwritingInput) =>
    act.run(() =>
      step === 'review'
        ? client.invoke('approvals.review', {
            formId: form.id,
            decision,
            opinion,
            requiresDiscussion: discussion,
            handwriting,
          })
        : client.invoke('approvals.decide', { formId: form.id, decision, opinion, handwriting }),
    );
  return (
    <div className="form" data-testid={`approval-${step}`}>
      <h4>{t(step === 'review' ? 'approvals.review' : 'approvals.decide')}</h4>
      {act.banner ? <ErrorBanner message={act.banner} /> : null}
      <SelectField
        label={t('approvals.decision')}
        value={decision}
        options={decisions}
        onChange={setDecision}
      />
      <TextAreaField
        label={t('approvals.opinion')}
        value={opinion}
        onChange={setOpinion}
        rows={3}
        required
      />
      {step === 'review' ? (
        <Checkbox
          label={t('approvals.requiresDiscussion')}
          checked={discussion}
          onChange={setDiscussion}
        />
      ) : null}
      <SignPad label={t('signAs', { name: user.displayName })} busy={act.busy} onSign={sign} />
    </div>
  );
}

function Discussion({ form }: { form: ApprovalFormDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const load = useCallback(() => client.invoke('approvals.candidates', {}), [client]);
  const candidates = useResource(load);
  const [heldAt, setHeldAt] = useState(() => toDateTimeLocal(Date.now()));
  const [place, setPlace] = useState('');
  const [chosen, setChosen] = useState<number[]>([user.id]);
  const [minutes, setMinutes] = useState('');
  const [conclusion, setConclusion] = useState('');
  const act = useCall();
  return (
    <div className="form" data-testid="approval-discuss">
      <h4>{t('approvals.discuss')}</h4>
      {act.banner ? <ErrorBanner message={act.banner} /> : null}
      <TextField
        label={t('approvals.heldAt')}
        type="datetime-local"
        value={heldAt}
        onChange={setHeldAt}
      />
      <TextField label={t('approvals.place')} value={place} onChange={setPlace} />
      <fieldset>
        <legend>{t('approvals.participants')}</legend>
        {(candidates.data ?? []).map((c) => (
          <Checkbox
            key={c.userId}
            label={c.name}
            checked={chosen.includes(c.userId)}
            onChange={(on) =>
              setChosen((xs) => (on ? [...xs, c.userId] : xs.filter((x) => x !== c.userId)))
            }
          />
        ))}
      </fieldset>
      <TextAreaField
        label={t('approvals.minutes')}
        value={minutes}
        onChange={setMinutes}
        rows={5}
      />
      <TextAreaField
        label={t('approvals.conclusion')}
        value={conclusion}
        onChange={setConclusion}
      />
      <SignPad
        label={t('signAs', { name: user.displayName })}
        busy={act.busy}
        onSign={(handwriting) =>
          act.run(() =>
            client.invoke('approvals.discuss', {
              formId: form.id,
              heldAt: fromDateTimeLocal(heldAt) ?? Date.now(),
              place,
              participantIds: chosen,
              minutes,
              conclusion,
              handwriting,
            }),
          )
        }
      />
    </div>
  );
}

function DiscussionSignature({ form }: { form: ApprovalFormDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const act = useCall();
  const mine = form.progress.unsigned.includes(user.id);
  return (
    <div className="form" data-testid="approval-sign-discussion">
      <h4>{t('approvals.signDiscussion')}</h4>
      {act.banner ? <ErrorBanner message={act.banner} /> : null}
      {mine ? null : (
        <>
          <TextField label={t('approvals.username')} value={username} onChange={setUsername} />
          <TextField
            label={t('approvals.password')}
            type="password"
            value={password}
            onChange={setPassword}
          />
        </>
      )}
      <SignPad
        label={mine ? t('signAs', { name: user.displayName }) : t('signHere')}
        busy={act.busy}
        onSign={(handwriting) =>
          act.run(
            () =>
              client.invoke('approvals.signDiscussion', {
                formId: form.id,
                handwriting,
                ...(mine ? {} : { confirmation: { username, password } }),
              }),
            () => setPassword(''),
          )
        }
      />
    </div>
  );
}

function ProposeForm({ detail }: { detail: CaseDetailDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const label = useEnumLabel();
  const kinds = useEnumOptions('approvalFormKind');
  const [kind, setKind] = useState<ApprovalFormKind>(
    detail.phase === 'initiation' ? 'initiation' : 'decision',
  );
  const [draft, setDraft] = useState({
    facts: '',
    evidence: '',
    legalBasis: '',
    discretion: '',
    proposal: '',
  });
  const [sessions, setSessions] = useState<number[]>([]);
  const [collective, setCollective] = useState(false);
  const act = useCall();
  const field = (key: keyof typeof draft, rows = 3) => (
    <TextAreaField
      label={t(`approvals.${key}`)}
      value={draft[key]}
      onChange={(v) => setDraft((d) => ({ ...d, [key]: v }))}
      rows={rows}
      required={key !== 'evidence'}
    />
  );
  return (
    <div className="panel" data-testid="approval-propose">
      <h3 className="panel__title">{t('approvals.propose')}</h3>
      {act.banner ? <ErrorBanner message={act.banner} /> : null}
      <SelectField label={t('approvals.kind')} value={kind} options={kinds} onChange={setKind} />
      {field('facts', 4)}
      <fieldset>
        <legend>{t('approvals.evidenceSessions')}</legend>
        {detail.sessions.map((s) => (
          <Checkbox
            key={s.id}
            label={`${label('sessionKind', s.kind)} · ${s.place}`}
            checked={sessions.includes(s.id)}
            onChange={(on) =>
              setSessions((xs) => (on ? [...xs, s.id] : xs.filter((x) => x !== s.id)))
            }
          />
        ))}
      </fieldset>
      {field('evidence')}
      {field('legalBasis')}
      {field('discretion')}
      {field('proposal')}
      <Checkbox
        label={t('approvals.collectiveRequired')}
        checked={collective}
        onChange={setCollective}
      />
      <SignPad
        label={t('signAs', { name: user.displayName })}
        busy={act.busy}
        testId="approval-propose-pad"
        onSign={(handwriting) =>
          act.run(() =>
            client.invoke('approvals.propose', {
              caseId: detail.id,
              kind,
              collectiveRequired: collective,
              content: {
                facts: draft.facts,
                evidenceSessionIds: sessions,
                evidence: draft.evidence
                  .split('\n')
                  .map((l) => l.trim())
                  .filter(Boolean),
                legalBasis: draft.legalBasis,
                discretion: draft.discretion,
                proposal: draft.proposal,
              },
              handwriting,
            }),
          )
        }
      />
    </div>
  );
}
