/**
 * 执法用语指引 (R6.5): the agency's standard phrases by kind of record and step, edited by an
 * administrator or the legal-affairs office; each save is a new version, kept.
 */
import { useCallback, useState } from 'react';
import { GUIDE_STEPS, type GuideStep, type PhraseEntry } from '@shared/api/guide';
import { SESSION_KINDS, type SessionKind } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { SelectField, TextAreaField } from '../../ui/Field';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { SaveVersion, useVersionLine, VersionedPanel } from './VersionedList';

export function PhraseGuidePanel() {
  const t = useSectionT('settings');
  const client = useClient();
  const user = useUser();
  const versionLine = useVersionLine('guide');
  const load = useCallback(() => client.invoke('guide.get', {}), [client]);
  const guide = useResource(load);
  useCoreEvent('guide.changed', () => guide.reload());
  return (
    <VersionedPanel
      id="phrase-guide"
      title={t('guide.title')}
      intro={t('guide.intro')}
      data={guide.data}
      error={guide.error}
      onRetry={guide.reload}
    >
      {(g) => (
        <GuideEditor
          key={g.version}
          entries={g.entries}
          version={versionLine(g)}
          editable={canInvoke(user, 'guide.save')}
        />
      )}
    </VersionedPanel>
  );
}

function GuideEditor({
  entries: initial,
  version,
  editable,
}: {
  entries: PhraseEntry[];
  version: string;
  editable: boolean;
}) {
  const t = useSectionT('settings');
  const client = useClient();
  const label = useEnumLabel();
  const kinds = useEnumOptions('sessionKind');
  const steps = useEnumOptions('guideStep');
  const [entries, setEntries] = useState(initial);
  const [kind, setKind] = useState<SessionKind>('interview');
  const shown = entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.session === kind)
    .sort((a, b) => GUIDE_STEPS.indexOf(a.e.step) - GUIDE_STEPS.indexOf(b.e.step));
  const change = (i: number, patch: Partial<PhraseEntry>) =>
    setEntries((xs) => xs.map((x, n) => (n === i ? { ...x, ...patch } : x)));
  return (
    <div className="form">
      <p data-testid="guide-version">{version}</p>
      <SelectField
        label={t('guide.session')}
        value={kind}
        options={kinds.filter((k) => SESSION_KINDS.includes(k.value))}
        onChange={setKind}
      />
      <ol className="list">
        {shown.map(({ e, i }) => (
          <li key={i} data-testid="guide-entry">
            {editable ? (
              <>
                <SelectField
                  label={t('guide.step')}
                  value={e.step}
                  options={steps}
                  onChange={(step: GuideStep) => change(i, { step })}
                />
                <TextAreaField
                  label={`${t('guide.text')}（${label('guideStep', e.step)}）`}
                  value={e.text}
                  onChange={(text) => change(i, { text })}
                  rows={2}
                />
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setEntries((xs) => xs.filter((_, n) => n !== i))}
                >
                  {t('guide.remove')}
                </button>
              </>
            ) : (
              <p>
                <span className="tag">{label('guideStep', e.step)}</span> {e.text}
              </p>
            )}
          </li>
        ))}
      </ol>
      {editable ? (
        <>
          <button
            type="button"
            className="button"
            onClick={() =>
              setEntries((xs) => [...xs, { session: kind, step: 'opening', text: '' }])
            }
          >
            {t('guide.add')}
          </button>
          <SaveVersion
            section="guide"
            save={(note) =>
              client.invoke('guide.save', {
                entries: entries.filter((e) => e.text.trim() !== ''),
                ...(note ? { note } : {}),
              })
            }
          />
        </>
      ) : null}
    </div>
  );
}
