/**
 * The running transcript (笔录): turns and procedure markers on one timeline, typed with the
 * keyboard while the session is recorded. Windowed: only the rows in view (and the one being
 * typed in) are in the DOM, each a memoised component keyed by its id, so a keystroke
 * re-renders one row whatever the length of the transcript.
 */
import type { SessionPhraseDto } from '@shared/api/guide';
import { PhrasePalette } from './PhrasePalette';
import {
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionKind } from '@shared/domain';
import { nextSpeaker, type Marker, type Turn } from '@shared/rules/transcript';
import { useEnumLabel } from '../../ui/enumLabels';
import { formatSessionTime } from '../sessions/sessionTime';
import { keyLike } from './shortcuts';
import type { TranscriptStore } from './store';
import { routeHref } from '../../app/route';
import { TimelineCache, type TimelineItem } from './timeline';
import { computeOffsets, PaneController, visibleRange } from './paneController';

export interface TranscriptPaneProps {
  store: TranscriptStore;
  kind: SessionKind;
  editable: boolean;
  canAddTurns: boolean;
  sessionNow: () => number;
  onSeek: (at: number) => void;
  /** Receives the controller, so the screen can move the caret after undo/redo. */
  onController?: (controller: PaneController | null) => void;
  /** The case, for asking for access when the core refuses to show the record. */
  caseId?: number;
  /** The agency's phrase guide for this session (Alt+K inserts one at the caret). */
  phrases?: readonly SessionPhraseDto[];
}

export function TranscriptPane({
  store,
  kind,
  editable,
  canAddTurns,
  sessionNow,
  onSeek,
  onController,
  caseId,
  phrases = [],
}: TranscriptPaneProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [controller] = useState(() => new PaneController(store));
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const heights = useSyncExternalStore(controller.subscribe, controller.getHeights);
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const active = useSyncExternalStore(controller.subscribe, controller.getActive);
  const palette = useSyncExternalStore(controller.subscribe, controller.getPalette);

  const [timeline] = useState(() => new TimelineCache());
  // Memoised per state: typing swaps one row and keeps the layout, so offsets are not redone.
  const { items, layout } = useMemo(() => timeline.build(state), [timeline, state]);
  const offsets = useMemo(() => computeOffsets(layout, heights), [layout, heights]);
  const [start, end] = visibleRange(offsets, view);

  useLayoutEffect(() => {
    controller.update({ items, layout, offsets, kind, editable, canAddTurns, sessionNow, onSeek });
  });
  useLayoutEffect(() => {
    onController?.(controller);
    return () => {
      onController?.(null);
    };
  }, [controller, onController]);
  useLayoutEffect(() => () => controller.dispose(), [controller]);

  // The rows to render: the window, plus the turn being typed in wherever it is (its
  // textarea must stay mounted, or the caret and an IME composition would be lost).
  const shown: number[] = [];
  for (let i = start; i < end; i++) shown.push(i);
  const activeIndex = active === null ? undefined : layout.index.get(active);
  if (activeIndex !== undefined && (activeIndex < start || activeIndex >= end)) {
    shown.push(activeIndex);
    shown.sort((a, b) => a - b);
  }

  const scroller = useCallback(
    (el: HTMLDivElement | null) => controller.attachScroller(el),
    [controller],
  );

  const firstSpeaker = label('speaker', nextSpeaker(kind, undefined));
  const total = offsets[offsets.length - 1] ?? 0;

  const save = useSyncExternalStore(store.subscribe, store.getSave);
  if (save.status === 'refused')
    return (
      <div className="transcript">
        <div className="banner banner--error" role="alert" data-testid="transcript-refused">
          {/* The core's refusal names what is read and the grant that is missing. */}
          <p>{save.refusal}</p>
          {caseId !== undefined ? (
            <p>
              <a className="button" href={routeHref({ name: 'access', caseId })}>
                {t('transcript.askAccess')}
              </a>
            </p>
          ) : null}
        </div>
      </div>
    );

  return (
    <div className="transcript">
      {items.length === 0 ? (
        <div className="transcript__empty">
          <p className="muted">{t('transcript.empty')}</p>
          {canAddTurns ? (
            <button type="button" className="button" onClick={() => controller.newTurn()}>
              {t('transcript.addFirst', { speaker: firstSpeaker })}
            </button>
          ) : null}
        </div>
      ) : null}
      <div
        className="transcript__scroll"
        ref={scroller}
        onScroll={() => controller.onScroll()}
        data-testid="transcript-scroll"
      >
        <div
          className="transcript__rows"
          role="list"
          aria-label={t('transcript.list')}
          style={{ height: `${total}px` }}
        >
          {shown.map((i) => {
            const item = items[i]!;
            return (
              <Row
                key={item.id}
                item={item}
                top={offsets[i]!}
                controller={controller}
                editable={editable}
              />
            );
          })}
        </div>
      </div>
      {palette ? <PhrasePalette phrases={phrases} controller={controller} /> : null}
      {canAddTurns && items.length > 0 ? (
        <div className="transcript__foot">
          <button
            type="button"
            className="button button--small"
            onClick={() => controller.newTurn()}
          >
            {t('transcript.addTurn')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

interface RowProps {
  item: TimelineItem;
  top: number;
  controller: PaneController;
  editable: boolean;
}

/** A positioned row; re-renders only when its turn/marker object or its position changes. */
const Row = memo(function Row({ item, top, controller, editable }: RowProps) {
  const ref = useCallback(
    (el: HTMLDivElement | null) => (el ? controller.observeRow(el) : undefined),
    [controller],
  );
  return (
    <div
      className="transcript__row"
      role="listitem"
      data-row-id={item.id}
      ref={ref}
      style={{ transform: `translateY(${top}px)` }}
    >
      {item.type === 'turn' ? (
        <TurnRow
          turn={item.turn}
          ordinal={item.ordinal}
          controller={controller}
          editable={editable}
        />
      ) : (
        <MarkerRow marker={item.marker} controller={controller} />
      )}
    </div>
  );
});

const TurnRow = memo(function TurnRow({
  turn,
  ordinal,
  controller,
  editable,
}: {
  turn: Turn;
  ordinal: number;
  controller: PaneController;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const speaker = label('speaker', turn.speaker);
  const time = formatSessionTime(turn.at);
  const area = useRef<HTMLTextAreaElement>(null);
  // The text at mount only: a changing defaultValue would rewrite the DOM on every keystroke.
  const [initialText] = useState(turn.text);

  // The textarea is uncontrolled: the DOM holds what the clerk typed (an IME composition
  // included) and the store follows it. Only a change that did not come from this textarea
  // (undo, redo, another window) is written back into it.
  useLayoutEffect(() => {
    const el = area.current;
    if (el && el.value !== turn.text) el.value = turn.text;
  }, [turn.text]);

  const register = useCallback(
    (el: HTMLTextAreaElement | null) => {
      area.current = el;
      controller.register(turn.id, el);
    },
    [controller, turn.id],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (controller.turnKey(keyLike(e), turn.id, e.currentTarget)) e.preventDefault();
  };

  return (
    <div className={`turn turn--${turn.speaker}`} data-turn-id={turn.id}>
      <button
        type="button"
        className="turn__time"
        aria-label={t('transcript.seekTo', { time })}
        onClick={() => controller.seek(turn.at)}
      >
        <time>{time}</time>
      </button>
      <button
        type="button"
        className="turn__speaker"
        aria-label={t('transcript.speaker', { speaker })}
        disabled={!editable}
        onClick={() => controller.cycleSpeaker(turn.id, 1)}
        tabIndex={-1}
      >
        {speaker}
      </button>
      <textarea
        ref={register}
        className="turn__text"
        aria-label={t('transcript.turn', { n: ordinal, speaker })}
        defaultValue={initialText}
        readOnly={!editable}
        rows={1}
        maxLength={20_000}
        spellCheck={false}
        onInput={(e) => {
          // Mid-composition text is the IME's, not yet the clerk's words.
          if (!(e.nativeEvent as InputEvent).isComposing)
            controller.text(turn.id, e.currentTarget.value, turn.text);
        }}
        onCompositionEnd={(e) => controller.text(turn.id, e.currentTarget.value, turn.text)}
        onKeyDown={onKeyDown}
        onFocus={() => controller.focused(turn.id)}
      />
    </div>
  );
});

const MarkerRow = memo(function MarkerRow({
  marker,
  controller,
}: {
  marker: Marker;
  controller: PaneController;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const time = formatSessionTime(marker.at);
  return (
    <div className={`marker marker--${marker.kind}`} data-marker-kind={marker.kind}>
      <button
        type="button"
        className="turn__time"
        aria-label={t('transcript.seekTo', { time })}
        onClick={() => controller.seek(marker.at)}
      >
        <time>{time}</time>
      </button>
      <span className="marker__label">
        <span className="marker__icon" aria-hidden="true">
          ◆
        </span>
        {label('markerKind', marker.kind)}
      </span>
      {marker.note ? <span className="marker__note">{marker.note}</span> : null}
    </div>
  );
});
