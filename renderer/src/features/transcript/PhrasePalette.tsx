/**
 * The phrase guide at the caret (Alt+K): the agency's standard phrases for this kind of
 * session, narrowed as the clerk types (a phrase's words or its step's name), chosen with
 * ↑/↓ and inserted with Enter where the caret was; Esc puts the caret back.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { SessionPhraseDto } from '@shared/api/guide';
import { useSectionT } from '../../i18n/section';
import { useEnumLabel } from '../../ui/enumLabels';
import type { PaneController } from './paneController';
import './palette.css';

export function PhrasePalette({
  phrases,
  controller,
}: {
  phrases: readonly SessionPhraseDto[];
  controller: PaneController;
}) {
  const t = useSectionT('transcript');
  const label = useEnumLabel();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState(0);
  const stepName = (p: SessionPhraseDto) => label('guideStep', p.step);
  const shown = useMemo(() => {
    const q = query.trim();
    return q ? phrases.filter((p) => p.text.includes(q) || stepName(p).includes(q)) : phrases;
    // stepName reads the labels, which change only with the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phrases, query, label]);
  const at = Math.min(chosen, Math.max(0, shown.length - 1));
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      controller.closePalette();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = shown.length;
      if (n) setChosen((at + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const p = shown[at];
      if (p) controller.insertPhrase(p.text);
    }
  };
  return (
    <div className="palette" role="dialog" aria-label={t('palette.label')}>
      <input
        className="control"
        autoFocus
        aria-label={t('palette.search')}
        role="combobox"
        aria-expanded="true"
        aria-controls="phrase-list"
        aria-activedescendant={shown.length ? `phrase-${at}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setChosen(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => controller.closePalette()}
      />
      <ul id="phrase-list" role="listbox" className="palette__list">
        {shown.length === 0 ? (
          <li className="muted">{t('palette.none')}</li>
        ) : (
          shown.map((p, i) => (
            <li
              key={i}
              id={`phrase-${i}`}
              role="option"
              aria-selected={i === at}
              className={i === at ? 'palette__item palette__item--chosen' : 'palette__item'}
              // Chosen with the mouse as well; mousedown keeps the input's focus until then.
              onMouseDown={(e) => {
                e.preventDefault();
                controller.insertPhrase(p.text);
              }}
            >
              <span className="tag">{stepName(p)}</span> {p.text}
            </li>
          ))
        )}
      </ul>
      <p className="muted palette__hint">{t('palette.hint')}</p>
    </div>
  );
}
