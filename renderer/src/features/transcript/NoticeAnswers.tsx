/**
 * The party's answers to a notice, taken down as fields while the recording runs (R1.3: how
 * the party used the rights told): that they understood, and whether they ask for anyone's
 * recusal, whom and why. The record prints them in its words (answersText, one rule with the
 * core); after the recording they are shown, not changed.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answersText, type Marker, type NoticeAnswers } from '@shared/rules/transcript';
import './notice-answers.css';

export function NoticeAnswerFields({
  marker,
  editable,
  onSave,
}: {
  marker: Marker;
  editable: boolean;
  onSave: (answers: NoticeAnswers) => void;
}) {
  const { t } = useTranslation();
  const saved = marker.answers ?? {};
  const [understood, setUnderstood] = useState<boolean | undefined>(saved.understood);
  const [recusal, setRecusal] = useState<'' | 'none' | 'requested'>(saved.recusal ?? '');
  const [of, setOf] = useState(saved.recusalOf ?? '');
  const [reason, setReason] = useState(saved.recusalReason ?? '');
  const asksRecusal = marker.kind !== 'recording_announced';
  if (!editable) {
    const words = answersText(marker.answers);
    return words ? (
      <p className="step__answers" data-testid={`answers-${marker.kind}`}>
        {t('procedure.answers.party')}
        {words}
      </p>
    ) : null;
  }
  const answers: NoticeAnswers = {
    ...(understood !== undefined ? { understood } : {}),
    ...(asksRecusal && recusal ? { recusal } : {}),
    ...(recusal === 'requested' && of.trim() ? { recusalOf: of.trim() } : {}),
    ...(recusal === 'requested' && reason.trim() ? { recusalReason: reason.trim() } : {}),
  };
  const ready = recusal !== 'requested' || Boolean(of.trim());
  return (
    <fieldset className="step__answers" data-testid={`answers-${marker.kind}`}>
      <legend className="visually-hidden">{t('procedure.answers.legend')}</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={understood === true}
          onChange={(e) => setUnderstood(e.target.checked)}
        />
        {t('procedure.answers.understood')}
      </label>
      {asksRecusal ? (
        <label>
          {t('procedure.answers.recusal')}
          <select
            className="control control--small"
            value={recusal}
            onChange={(e) => setRecusal(e.target.value as '' | 'none' | 'requested')}
          >
            <option value="">{t('procedure.answers.notAnswered')}</option>
            <option value="none">{t('procedure.answers.none')}</option>
            <option value="requested">{t('procedure.answers.requested')}</option>
          </select>
        </label>
      ) : null}
      {recusal === 'requested' ? (
        <>
          <label>
            {t('procedure.answers.of')}
            <input
              className="control control--small"
              value={of}
              maxLength={60}
              onChange={(e) => setOf(e.target.value)}
            />
          </label>
          <label>
            {t('procedure.answers.reason')}
            <input
              className="control control--small"
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
        </>
      ) : null}
      <button
        type="button"
        className="button button--small"
        disabled={!ready}
        onClick={() => onSave(answers)}
      >
        {t('procedure.answers.save')}
      </button>
      {marker.answers ? <span className="muted"> {answersText(marker.answers)}</span> : null}
    </fieldset>
  );
}
