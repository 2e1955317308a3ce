/**
 * Before the signing opens: the notices the record must show (R3.4, R2.5). Where the
 * recording notice or the rights notice is not marked, the desk says which and how to mend
 * it (mark it on the session, if it was given); if it really was not given, two or more of
 * the session's officers, in person, state why: the core prints their statement at the head
 * of the record.
 */
import { useCallback } from 'react';
import { missingNotices } from '@shared/rules/transcript';
import type { OfficerConfirmation, SessionDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { EMPTY_CONFIRMATION, OfficerConfirmFields } from '../auth/OfficerConfirmFields';
import { useEnumLabel } from '../../ui/enumLabels';
import type { SectionT } from '../../i18n/section';

export interface OverrideDraft {
  reason: string;
  officerIds: number[];
  confirmations: Record<number, OfficerConfirmation>;
}

export const EMPTY_OVERRIDE: OverrideDraft = { reason: '', officerIds: [], confirmations: {} };

/** The notices the record lacks, read from the transcript as the core reads it. */
export function useMissingNotices(session: SessionDto | null): string[] | null {
  const client = useClient();
  const load = useCallback(
    () =>
      session ? client.invoke('transcripts.get', { sessionId: session.id }) : Promise.resolve(null),
    [client, session],
  );
  const transcript = useResource(load, { keepStale: true });
  useCoreEvent('transcript.changed', (e) => {
    if (e.sessionId === session?.id) transcript.reload();
  });
  if (!session || !transcript.data) return null;
  return missingNotices(session.kind, transcript.data.state);
}

/** What the core takes as `noticeOverride`, or null while the draft is not complete. */
export function overrideInput(
  draft: OverrideDraft,
  myOfficerId: number | null,
): {
  reason: string;
  officerIds: number[];
  confirmations: (OfficerConfirmation & { officerId: number })[];
} | null {
  if (draft.reason.trim().length < 4 || draft.officerIds.length < 2) return null;
  const confirmations = draft.officerIds
    .filter((id) => id !== myOfficerId)
    .map((officerId) => ({ officerId, ...(draft.confirmations[officerId] ?? EMPTY_CONFIRMATION) }));
  if (confirmations.some((c) => !c.username.trim() || !c.password)) return null;
  return { reason: draft.reason.trim(), officerIds: draft.officerIds, confirmations };
}

export function NoticeOverride({
  t,
  session,
  missing,
  draft,
  onChange,
}: {
  t: SectionT<'signing'>;
  session: SessionDto;
  missing: readonly string[];
  draft: OverrideDraft;
  onChange: (next: OverrideDraft) => void;
}) {
  const label = useEnumLabel();
  const me = useUser();
  const names = missing.map((m) => label('markerKind', m as 'recording_announced')).join('、');
  const others = session.officers.filter(
    (o) => draft.officerIds.includes(o.officerId) && o.officerId !== me?.officerId,
  );
  return (
    <div className="banner banner--warning" data-testid="notice-missing">
      <p>
        <strong>{t('notice.missing', { names })}</strong>
      </p>
      <p>{t('notice.mend')}</p>
      <details>
        <summary>{t('notice.override')}</summary>
        <p className="field__hint">{t('notice.overrideHint')}</p>
        <label className="field">
          <span className="field__label">{t('notice.reason')}</span>
          <textarea
            className="control"
            rows={3}
            maxLength={1000}
            value={draft.reason}
            onChange={(e) => onChange({ ...draft, reason: e.target.value })}
          />
        </label>
        <fieldset className="field">
          <legend className="field__label">{t('notice.officers')}</legend>
          {session.officers.map((o) => (
            <label key={o.officerId} className="checkbox">
              <input
                type="checkbox"
                checked={draft.officerIds.includes(o.officerId)}
                onChange={(e) =>
                  onChange({
                    ...draft,
                    officerIds: e.target.checked
                      ? [...draft.officerIds, o.officerId]
                      : draft.officerIds.filter((x) => x !== o.officerId),
                  })
                }
              />
              {o.name}（{o.certificateNo}）
            </label>
          ))}
        </fieldset>
        {others.map((o) => (
          <OfficerConfirmFields
            key={o.officerId}
            officerName={o.name}
            value={draft.confirmations[o.officerId] ?? EMPTY_CONFIRMATION}
            onChange={(c) =>
              onChange({ ...draft, confirmations: { ...draft.confirmations, [o.officerId]: c } })
            }
            testId={`notice-confirm-${o.officerId}`}
          />
        ))}
      </details>
    </div>
  );
}
