/**
 * Playback of a recorded session: the program file and every camera side by side, in sync,
 * seekable by session time; a click on a transcript turn's time seeks them all (R3.1: the
 * audio/video record connects to the written one).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionDto } from '@shared/domain';
import type { SegmentStatusDto, TimelineEventDto } from '@shared/api/recording';
import { ApiError } from '@shared/client';
import { useClient } from '../../app/ClientContext';
import { routeHref } from '../../app/route';
import { useSeekBus } from '../sessions/seek';
import { formatSessionTime } from '../sessions/sessionTime';
import { SourcePlayer, SyncedPlayback } from './playback';
import type { NamedSourceDto } from '@shared/api/recording';
import { titleOf } from './sourceName';

interface SourceGroup {
  sourceId: string;
  kind: SegmentStatusDto['kind'];
  segments: SegmentStatusDto[];
}

function groupSources(segments: SegmentStatusDto[]): SourceGroup[] {
  const map = new Map<string, SourceGroup>();
  for (const s of segments) {
    if (s.fragments === 0) continue;
    const g = map.get(s.sourceId) ?? { sourceId: s.sourceId, kind: s.kind, segments: [] };
    g.segments.push(s);
    map.set(s.sourceId, g);
  }
  // The program leads (it carries the sound), then the cameras; microphones only without a program.
  const order = { program: 0, camera: 1, microphone: 2 } as const;
  const groups = [...map.values()].sort(
    (a, b) => order[a.kind] - order[b.kind] || a.sourceId.localeCompare(b.sourceId),
  );
  return groups.some((g) => g.kind === 'program')
    ? groups.filter((g) => g.kind !== 'microphone')
    : groups;
}

export function PlaybackPanel({ session }: { session: SessionDto }) {
  const { t } = useTranslation();
  const client = useClient();
  const seek = useSeekBus();
  const [groups, setGroups] = useState<SourceGroup[] | null>(null);
  const [named, setNamed] = useState<NamedSourceDto[]>([]);
  const [error, setErrorState] = useState<{ message: string; needsGrant: boolean } | null>(null);
  const setError = (e: unknown) =>
    setErrorState({
      message: e instanceof Error ? e.message : String(e),
      needsGrant: e instanceof ApiError && e.code === 'ACCESS_NOT_GRANTED',
    });
  const [steps, setSteps] = useState<TimelineEventDto[]>([]);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const elements = useRef(new Map<string, HTMLMediaElement>());
  const playback = useRef<SyncedPlayback | null>(null);
  const durationMs =
    session.startedAt !== null && session.endedAt !== null
      ? session.endedAt - session.startedAt
      : 0;

  useEffect(() => {
    let cancelled = false;
    client.invoke('recording.status', { sessionId: session.id }).then(
      (s) => {
        if (cancelled) return;
        setNamed(s.sources);
        setGroups(groupSources(s.segments));
      },
      (e: unknown) => !cancelled && setError(e),
    );
    // Where the recorder chose to lower a camera's rate: on the playback's timeline.
    client.invoke('recording.timeline', { sessionId: session.id }).then(
      (events) => !cancelled && setSteps(events.filter((e) => e.kind === 'capture.stepped')),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [client, session.id]);

  useEffect(() => {
    if (!groups || groups.length === 0) return;
    const players = groups
      .map((g) => {
        const el = elements.current.get(g.sourceId);
        return el ? new SourcePlayer(client, session.id, g.segments, el) : null;
      })
      .filter((p): p is SourcePlayer => p !== null);
    const sync = new SyncedPlayback(players);
    playback.current = sync;
    const lead = players[0]?.element;
    const onTime = () => lead && setTime(lead.currentTime * 1000);
    lead?.addEventListener('timeupdate', onTime);
    const first = Math.min(...groups.flatMap((g) => g.segments.map((s) => s.sessionTimeUs)));
    const fail = (e: unknown) => setError(e);
    const asked = seek.last();
    sync.seek(asked !== null ? asked * 1000 : Math.max(0, first)).catch(fail);
    // Every request seeks all players, also a second click on the same time stamp.
    const unsubscribe = seek.subscribe(() => {
      const at = seek.last();
      if (at === null) return;
      setTime(at);
      sync.seek(at * 1000).catch(fail);
    });
    return () => {
      unsubscribe();
      lead?.removeEventListener('timeupdate', onTime);
      sync.dispose();
      playback.current = null;
    };
  }, [client, groups, seek, session.id]);

  if (error)
    return (
      <div className="rec__error" role="alert" data-testid="playback-refused">
        <p>{error.message}</p>
        {error.needsGrant ? (
          <a className="button" href={routeHref({ name: 'access', caseId: session.caseId })}>
            {t('playback.askAccess')}
          </a>
        ) : null}
      </div>
    );
  if (!groups) return <p className="muted">{t('common.loading')}</p>;
  if (groups.length === 0) return <p className="muted">{t('playback.nothing')}</p>;
  return (
    <div className="playback" data-testid="playback">
      <div className="rec__grid" data-count={groups.filter((g) => g.kind !== 'microphone').length}>
        {groups.map((g, i) =>
          g.kind === 'microphone' ? (
            <audio
              key={g.sourceId}
              ref={(el) =>
                void (el
                  ? elements.current.set(g.sourceId, el)
                  : elements.current.delete(g.sourceId))
              }
              aria-label={titleOf(t, named, g.sourceId, g.kind, g.sourceId)}
            />
          ) : (
            <figure key={g.sourceId} className="rec__tile">
              <video
                className="rec__video"
                ref={(el) =>
                  void (el
                    ? elements.current.set(g.sourceId, el)
                    : elements.current.delete(g.sourceId))
                }
                muted={i !== 0}
                playsInline
                aria-label={titleOf(t, named, g.sourceId, g.kind, g.sourceId)}
                data-source={g.sourceId}
              />
              <figcaption>{titleOf(t, named, g.sourceId, g.kind, g.sourceId)}</figcaption>
            </figure>
          ),
        )}
      </div>
      <div className="playback__controls">
        <button
          type="button"
          className="button"
          onClick={() => {
            const p = playback.current;
            if (!p) return;
            if (playing) p.pause();
            else void p.play();
            setPlaying(!playing);
          }}
        >
          {playing ? t('playback.pause') : t('playback.play')}
        </button>
        <input
          type="range"
          min={0}
          max={Math.max(1, Math.round(durationMs))}
          step={100}
          value={Math.min(time, durationMs)}
          aria-label={t('playback.position')}
          onChange={(e) => seek.request(Number(e.target.value))}
        />
        <time data-testid="playback-time">{formatSessionTime(time)}</time>
      </div>
      {steps.length ? (
        <div className="playback__steps" data-testid="playback-steps">
          <h3>{t('playback.steps')}</h3>
          <ol>
            {steps.map((e) => {
              const d = e.data as {
                direction: 'down' | 'up';
                fps: number;
                scale?: number;
                reason: string;
              };
              const ms = e.atUs === null ? 0 : Math.round(e.atUs / 1000);
              const name = titleOf(t, named, e.sourceId ?? '', 'camera', e.sourceId ?? '');
              return (
                <li key={e.id}>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => seek.request(ms)}
                  >
                    {formatSessionTime(ms)}
                  </button>{' '}
                  {t(
                    (d.scale ?? 1) < 1
                      ? 'playback.stepDownSmall'
                      : d.direction === 'down'
                        ? 'playback.stepDown'
                        : 'playback.stepUp',
                    {
                      source: name,
                      fps: d.fps,
                    },
                  )}
                  <span className="muted"> {d.reason}</span>
                </li>
              );
            })}
          </ol>
        </div>
      ) : null}
    </div>
  );
}
