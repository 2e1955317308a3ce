/**
 * The session's confirmations: starting (the law requires the whole process to be recorded,
 * so there is no pause), ending (with a second confirmation when procedure steps are
 * missing), and the note an interruption or resumption must carry (R3.5).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficerConfirmation, SessionDto } from '@shared/domain';
import type { ProcedureStep } from '@shared/rules/transcript';
import { useClient } from '../../app/ClientContext';
import { useUser } from '../auth/AuthContext';
import { ErrorBanner } from '../../ui/Banner';
import { Dialog } from '../../ui/Dialog';
import { useEnumLabel } from '../../ui/enumLabels';
import { TextAreaField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import {
  confirmationReady,
  EMPTY_CONFIRMATION,
  OfficerConfirmFields,
} from '../auth/OfficerConfirmFields';
import { type FieldMessage } from '../../ui/fieldErrors';
import { useCall } from '../../ui/useCall';
import { formatSessionTime } from './sessionTime';

export function StartDialog({
  session,
  ready = true,
  onRunning,
  onClose,
  onStarted,
}: {
  session: SessionDto;
  /** False until the pre-flight check is confirmed (R3.6): then starting is not offered. */
  ready?: boolean;
  /** Starts the devices once the core has started the session (session time 0). */
  onRunning?: (s: SessionDto) => Promise<void>;
  onClose: () => void;
  onStarted: (s: SessionDto) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const call = useCall();
  return (
    <Dialog title={t('session.start')} onClose={onClose}>
      {ready ? null : <p className="callout callout--warning">{t('recording.needPreflight')}</p>}
      <p>{t('session.startBody')}</p>
      {/* R3.4: the party is told beforehand that the recording equipment is in use. */}
      <p className="callout callout--info">{t('session.startAnnounce')}</p>
      {call.banner ? <ErrorBanner message={call.banner} /> : null}
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={call.busy || !ready}
          onClick={() =>
            void call.run(async () => {
              const running = await client.invoke('sessions.start', { id: session.id });
              await onRunning?.(running);
              return running;
            }, onStarted)
          }
        >
          {call.busy ? t('common.submitting') : t('session.start')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

export function EndDialog({
  session,
  beforeEnd,
  missing,
  onClose,
  onEnded,
}: {
  session: SessionDto;
  /**
   * Stops the devices and closes the files before the core ends the session; resolves with
   * the session time (ms) the recording stopped at, which becomes the end time (R2.4).
   */
  beforeEnd?: () => Promise<number | null>;
  missing: readonly ProcedureStep[];
  onClose: () => void;
  onEnded: (s: SessionDto) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const label = useEnumLabel();
  const call = useCall();
  // With steps missing, ending takes a second, explicit confirmation.
  const [again, setAgain] = useState(false);
  const end = () =>
    void call.run(async () => {
      const stoppedAt = (await beforeEnd?.()) ?? null;
      return client.invoke('sessions.end', {
        id: session.id,
        confirm: true,
        ...(stoppedAt !== null ? { stoppedAtSessionMs: stoppedAt } : {}),
      });
    }, onEnded);
  return (
    <Dialog title={t('session.end')} onClose={onClose}>
      <p>{t('session.endBody')}</p>
      {missing.length ? (
        <div className="callout callout--warning" data-testid="end-missing">
          <p>{t('session.endMissing')}</p>
          <ul>
            {missing.map((s) => (
              <li key={s}>{label('markerKind', s)}</li>
            ))}
          </ul>
          {again ? <p className="callout__strong">{t('session.endMissingAgain')}</p> : null}
        </div>
      ) : null}
      {call.banner ? <ErrorBanner message={call.banner} /> : null}
      <div className="form__actions">
        {missing.length && !again ? (
          <button
            key="first"
            type="button"
            className="button button--danger"
            onClick={() => setAgain(true)}
          >
            {t('session.end')}
          </button>
        ) : (
          <button
            key="final"
            type="button"
            className="button button--danger"
            disabled={call.busy}
            onClick={end}
            // The second confirmation takes the focus, so it is read out and one key ends.
            autoFocus={again}
          >
            {call.busy
              ? t('common.submitting')
              : missing.length
                ? t('session.endAnyway')
                : t('session.end')}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * A required free text (a reason, a note, a statement) with the core's length limit: its
 * value, its error, and `take()` which returns the trimmed text or marks the field wrong.
 */
function useRequiredText(max: number) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<FieldMessage | undefined>();
  const [failures, setFailures] = useState(0);
  const take = (): string | null => {
    const text = value.trim();
    const problem: FieldMessage | undefined = !text
      ? { key: 'errors.field.required' }
      : text.length > max
        ? { key: 'errors.field.tooLong', values: { max } }
        : undefined;
    setError(problem);
    if (problem) {
      setFailures((n) => n + 1);
      return null;
    }
    return text;
  };
  return { value, setValue, error, failures, take };
}

export function MarkerNoteDialog({
  kind,
  at,
  onClose,
  onSave,
}: {
  kind: 'interruption' | 'resumed';
  at: number;
  onClose: () => void;
  onSave: (note: string) => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const note = useRequiredText(2000);
  return (
    <Dialog title={label('markerKind', kind)} onClose={onClose}>
      <p className="muted">{t('procedure.noteAt', { time: formatSessionTime(at) })}</p>
      <Form
        onSubmit={() => {
          const text = note.take();
          if (text !== null) onSave(text);
        }}
        submitLabel={t('common.confirm')}
        onCancel={onClose}
        banner={null}
        busy={false}
        failures={note.failures}
        label={label('markerKind', kind)}
      >
        <TextAreaField
          label={t(`procedure.note.${kind}`)}
          hint={t('procedure.noteHint')}
          value={note.value}
          onChange={note.setValue}
          error={note.error}
          required
          rows={3}
        />
      </Form>
    </Dialog>
  );
}

/**
 * Resuming an interrupted recording (R3.5): the reason is entered here and must also be
 * stated aloud as soon as recording runs again, so it is on the recording itself.
 */
export function ResumeDialog({
  onResume,
  onClose,
  onResumed,
}: {
  onResume: (reason: string) => Promise<SessionDto>;
  onClose: () => void;
  onResumed: (s: SessionDto) => void;
}) {
  const { t } = useTranslation();
  const call = useCall();
  const reason = useRequiredText(2000);
  return (
    <Dialog title={t('recording.resume')} onClose={onClose}>
      <p className="callout callout--warning">{t('recording.resumeSayAloud')}</p>
      <Form
        onSubmit={() => {
          const text = reason.take();
          if (text !== null) void call.run(() => onResume(text), onResumed);
        }}
        submitLabel={t('recording.resume')}
        onCancel={onClose}
        banner={call.banner}
        busy={call.busy}
        failures={reason.failures}
        label={t('recording.resume')}
      >
        <TextAreaField
          label={t('recording.resumeReason')}
          value={reason.value}
          onChange={reason.setValue}
          error={reason.error}
          required
          rows={3}
        />
      </Form>
    </Dialog>
  );
}

/**
 * When recording cannot resume (R3.5): a written statement, signed by two or more officers
 * of the session, ends it. The end time stays when the recording stopped (R2.4).
 */
export function AbandonDialog({
  session,
  onClose,
  onAbandoned,
}: {
  session: SessionDto;
  onClose: () => void;
  onAbandoned: (s: SessionDto) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const call = useCall();
  const statement = useRequiredText(4000);
  const me = useUser();
  // Two or more officers sign the statement (R3.5), each in person: the one signed in, the
  // others with their own username and password.
  const [tooFew, setTooFew] = useState(false);
  const [chosen, setChosen] = useState<number[]>(
    session.officers.slice(0, 2).map((o) => o.officerId),
  );
  const [confirmations, setConfirmations] = useState<Record<number, OfficerConfirmation>>({});
  const others = session.officers.filter(
    (o) => chosen.includes(o.officerId) && o.officerId !== me.officerId,
  );
  const confirmationOf = (officerId: number) => confirmations[officerId] ?? EMPTY_CONFIRMATION;
  const [unconfirmed, setUnconfirmed] = useState(false);
  return (
    <Dialog title={t('recording.abandon')} onClose={onClose}>
      <p>{t('recording.abandonBody')}</p>
      <Form
        onSubmit={() => {
          const text = statement.take();
          setTooFew(chosen.length < 2);
          const missing = others.some((o) => !confirmationReady(confirmationOf(o.officerId)));
          setUnconfirmed(missing);
          if (text === null || chosen.length < 2 || missing) return;
          void call
            .run(
              () =>
                client.invoke('sessions.abandon', {
                  id: session.id,
                  statement: text,
                  officerIds: chosen,
                  confirmations: others.map((o) => ({
                    officerId: o.officerId,
                    ...confirmationOf(o.officerId),
                  })),
                }),
              onAbandoned,
            )
            // A refused statement keeps the typed names, never the passwords.
            .then((ok) => {
              if (!ok)
                setConfirmations((prev) =>
                  Object.fromEntries(
                    Object.entries(prev).map(([k, c]) => [k, { ...c, password: '' }]),
                  ),
                );
            });
        }}
        submitLabel={t('recording.abandon')}
        onCancel={onClose}
        banner={call.banner}
        busy={call.busy}
        failures={statement.failures}
        label={t('recording.abandon')}
      >
        <TextAreaField
          label={t('recording.abandonStatement')}
          value={statement.value}
          onChange={statement.setValue}
          error={statement.error}
          required
          rows={4}
        />
        <fieldset className="field">
          <legend>{t('recording.abandonOfficers')}</legend>
          {tooFew ? (
            <p className="field__error" role="alert">
              {t('recording.abandonOfficers')}
            </p>
          ) : null}
          {session.officers.map((o) => (
            <label key={o.officerId} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(o.officerId)}
                onChange={(e) =>
                  setChosen((prev) =>
                    e.target.checked
                      ? [...prev, o.officerId]
                      : prev.filter((x) => x !== o.officerId),
                  )
                }
              />
              {o.name}（{o.certificateNo}）
            </label>
          ))}
        </fieldset>
        {unconfirmed ? (
          <p className="field__error" role="alert">
            {t('recording.abandonConfirm')}
          </p>
        ) : null}
        {others.map((o) => (
          <OfficerConfirmFields
            key={o.officerId}
            officerName={o.name}
            value={confirmationOf(o.officerId)}
            onChange={(c) => setConfirmations((prev) => ({ ...prev, [o.officerId]: c }))}
            testId={`abandon-confirm-${o.officerId}`}
          />
        ))}
      </Form>
    </Dialog>
  );
}
