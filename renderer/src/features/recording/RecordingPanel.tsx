/**
 * The camera box of the session screen: before the start, the pre-flight check (R3.6);
 * while recording, the camera grid with per-source health; afterwards, what was recorded.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sourceTitle } from './sourceName';
import type { SessionDto } from '@shared/domain';
import { levelMeter } from './devices';
import {
  cameraConstraints,
  formatBytes,
  SOURCE_ROLES,
  type PreflightSource,
} from './preflightModel';
import type { Recorder } from './useRecorder';
import type { SourceHealth } from './sources';
import { isRemoteSource } from '@shared/api/live';
import { PlaybackPanel } from './PlaybackPanel';
import './recording.css';
import { agencyTimeZone, formatDateTime } from '../../ui/time';
import { titleOf } from './sourceName';
import { useNow } from '../../ui/useNow';

function Preview({ stream, label }: { stream: MediaStream | null; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className="rec__video" autoPlay muted playsInline aria-label={label} />;
}

function useDeviceStream(source: PreflightSource, on: boolean): MediaStream | null {
  const [stream, setStream] = useState<MediaStream | null>(null);
  useEffect(() => {
    if (!on) return;
    let live: MediaStream | null = null;
    let cancelled = false;
    const constraints =
      source.kind === 'camera'
        ? // The recording's own format: a smaller preview would hold the camera at its size.
          { video: cameraConstraints(source.deviceId) }
        : {
            audio: {
              deviceId: { exact: source.deviceId },
              echoCancellation: false,
              noiseSuppression: false,
              autoGainControl: false,
            },
          };
    navigator.mediaDevices.getUserMedia(constraints).then(
      (s) => {
        if (cancelled) s.getTracks().forEach((t) => t.stop());
        else setStream((live = s));
      },
      () => setStream(null),
    );
    return () => {
      cancelled = true;
      live?.getTracks().forEach((t) => t.stop());
    };
  }, [source.deviceId, source.kind, on]);
  return stream;
}

function Meter({ stream }: { stream: MediaStream | null }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState(0);
  useEffect(() => (stream ? levelMeter(stream, setLevel) : undefined), [stream]);
  return (
    <meter className="rec__meter" min={0} max={1} value={level} aria-label={t('recording.level')}>
      {Math.round(level * 100)}%
    </meter>
  );
}

function PreflightRow({ s, recorder }: { s: PreflightSource; recorder: Recorder }) {
  const { t } = useTranslation();
  const stream = useDeviceStream(s, s.check === 'ok');
  // A device that cannot record is offered no registered number: one would be spent on it.
  const unusable = s.check === 'unusable';
  const numbers = unusable ? [] : recorder.registered.filter((d) => d.kind === s.kind && d.active);
  return (
    <tr data-testid={`preflight-${s.sourceId}`}>
      <td>
        <label className="rec__include">
          <input
            type="checkbox"
            checked={s.enabled}
            disabled={s.check !== 'ok'}
            onChange={(e) => recorder.update(s.sourceId, { enabled: e.target.checked })}
            aria-label={t('recording.include', { label: s.label })}
          />
          <span>{s.label}</span>
        </label>
        <div
          className={`rec__check rec__check--${s.check}`}
          data-detail={s.verdict && !s.verdict.ok ? s.verdict.detail : undefined}
        >
          {t(`recording.check.${s.check}`)}
          {s.verdict?.ok
            ? t('recording.picture', {
                width: s.verdict.width,
                height: s.verdict.height,
                fps: s.verdict.fps,
              })
            : s.verdict
              ? t(`recording.fault.${s.verdict.fault}`)
              : ''}
        </div>
      </td>
      <td className="rec__previewCell">
        {s.kind === 'camera' ? (
          <Preview stream={stream} label={s.label} />
        ) : (
          <Meter stream={stream} />
        )}
      </td>
      <td>
        <select
          aria-label={t('recording.deviceNoFor', { label: s.label })}
          value={unusable ? '' : s.deviceNo}
          disabled={unusable}
          onChange={(e) => recorder.update(s.sourceId, { deviceNo: e.target.value })}
        >
          <option value="">
            {unusable ? t('recording.noNumberUnusable') : t('recording.unregistered')}
          </option>
          {numbers.map((d) => (
            <option key={d.id} value={d.deviceNo}>
              {d.deviceNo} {d.label}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select
          aria-label={t('recording.roleFor', { label: s.label })}
          value={s.role}
          onChange={(e) =>
            recorder.update(s.sourceId, { role: e.target.value as PreflightSource['role'] })
          }
        >
          {SOURCE_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`recording.role.${r}`)}
            </option>
          ))}
        </select>
      </td>
    </tr>
  );
}

function Preflight({ recorder }: { recorder: Recorder }) {
  const { t } = useTranslation();
  const now = useNow();
  const busy = recorder.phase === 'discovering' || recorder.phase === 'checking';
  if (recorder.phase === 'idle' || recorder.phase === 'discovering')
    return (
      <div className="rec__intro">
        <p>{t('recording.preflightIntro')}</p>
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void recorder.discover()}
        >
          {busy ? t('recording.discovering') : t('recording.discover')}
        </button>
      </div>
    );
  return (
    <div className="rec__preflight">
      <table className="table rec__table">
        <thead>
          <tr>
            <th>{t('recording.device')}</th>
            <th>{t('recording.preview')}</th>
            <th>{t('recording.deviceNo')}</th>
            <th>{t('recording.role.label')}</th>
          </tr>
        </thead>
        <tbody>
          {recorder.sources.map((s) => (
            <PreflightRow key={s.sourceId} s={s} recorder={recorder} />
          ))}
        </tbody>
      </table>
      <dl className="rec__facts">
        <dt>{t('recording.disk')}</dt>
        <dd data-testid="preflight-disk">
          {recorder.disk
            ? t('recording.diskValue', {
                free: formatBytes(recorder.disk.freeBytes),
                need: formatBytes(recorder.disk.expectedBytes),
              })
            : '—'}
        </dd>
        <dt>{t('recording.clock')}</dt>
        <dd>
          {formatDateTime(now)} {agencyTimeZone()}
          {recorder.clockSkewMs !== null
            ? t('recording.skew', { ms: Math.round(recorder.clockSkewMs) })
            : ''}
        </dd>
      </dl>
      {recorder.problems.length > 0 ? (
        <ul className="rec__problems" aria-label={t('recording.problems')}>
          {recorder.problems.map((p, i) => (
            <li key={i}>
              {t(`recording.problem.${p.key}`)}
              {p.sourceId ? ` (${p.sourceId})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <TrialPanel recorder={recorder} />
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={
            busy ||
            recorder.problems.length > 0 ||
            recorder.phase === 'saved' ||
            recorder.phase === 'trying'
          }
          onClick={() => void recorder.trial()}
        >
          {recorder.phase === 'trying'
            ? t('recording.trial.running', { s: recorder.trialSecond ?? 0 })
            : t('recording.trial.run')}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={
            busy ||
            recorder.problems.length > 0 ||
            recorder.phase === 'saved' ||
            recorder.phase === 'trying'
          }
          onClick={() => void recorder.savePreflight()}
        >
          {recorder.phase === 'saved' ? t('recording.confirmed') : t('recording.confirm')}
        </button>
      </div>
    </div>
  );
}

/** The trial's proposal: each camera's starting rate, and how much room the machine has. */
function TrialPanel({ recorder }: { recorder: Recorder }) {
  const { t } = useTranslation();
  const r = recorder.trialResult;
  if (!r) return null;
  const name = (id: string) => {
    const s = recorder.sources.find((x) => x.sourceId === id);
    return s ? (s.deviceNo ? sourceTitle(t, s) : s.label) : t('recording.trial.program');
  };
  return (
    <div className={`rec__trial rec__trial--${r.headroom}`} data-testid="preflight-trial">
      <p role="status">
        {t(`recording.trial.headroom.${r.headroom}`, { pct: Math.round(r.load * 100) })}
      </p>
      <ul>
        {r.sources.map((x) => (
          <li key={x.sourceId} data-source={x.sourceId} data-fps={x.fps}>
            {t(
              x.scale < 1
                ? 'recording.trial.steppedSmall'
                : x.rung > 0
                  ? 'recording.trial.stepped'
                  : 'recording.trial.full',
              {
                source: name(x.sourceId),
                fps: x.fps,
                ms: x.latencyMaxMs,
              },
            )}
          </li>
        ))}
      </ul>
      <p className="muted">{t('recording.trial.note')}</p>
    </div>
  );
}

function rate(bps: number): string {
  return bps >= 1e6 ? `${(bps / 1e6).toFixed(1)} Mb/s` : `${Math.round(bps / 1e3)} kb/s`;
}

function HealthLine({ h, title }: { h: SourceHealth; title: string }) {
  const { t } = useTranslation();
  const s = h.stats;
  return (
    <div className={`rec__health rec__health--${h.state}`} data-testid={`health-${h.sourceId}`}>
      <strong>{title}</strong>{' '}
      <span>
        {isRemoteSource(h.sourceId) && h.state === 'lost'
          ? t('recording.remoteLeft')
          : t(`recording.state.${h.state}`)}
      </span>
      {s ? (
        <span className="rec__stats">
          {h.kind !== 'microphone'
            ? `${h.fps.toFixed(1)} fps · ${t('recording.dropped', { n: s.framesDropped })} · `
            : ''}
          {rate(h.bitrate)} · {formatBytes(h.bytesSent)}
          {h.segment !== null ? ` · #${h.segment}` : ''}
        </span>
      ) : null}
      {h.stalled ? (
        <strong className="rec__stalled" role="status">
          {t('recording.stalled')}
        </strong>
      ) : null}
      {h.steppedFps !== null ? (
        <strong className="rec__stepped" data-testid={`stepped-${h.sourceId}`}>
          {t(h.scale < 1 ? 'recording.steppedSmall' : 'recording.stepped', { fps: h.steppedFps })}
        </strong>
      ) : null}
      {h.error ? <span className="rec__error">{h.error}</span> : null}
    </div>
  );
}

export function RecordingPanel({ recorder, session }: { recorder: Recorder; session: SessionDto }) {
  const { t } = useTranslation();
  if (session.status === 'planned') return <Preflight recorder={recorder} />;
  // A remote participant who left has no picture here until they rejoin.
  const cams = recorder.health.filter(
    (h) => h.kind === 'camera' && !(isRemoteSource(h.sourceId) && h.state === 'lost'),
  );
  const title = (h: SourceHealth) => titleOf(t, recorder.sources, h.sourceId, h.kind, h.label);
  return (
    <div className="rec__live">
      {recorder.phase === 'recording' || recorder.phase === 'stopping' ? (
        <div className="rec__grid" data-count={cams.length}>
          {cams.map((h) => (
            <figure key={h.sourceId} className="rec__tile">
              <Preview stream={recorder.streamOf(h.sourceId)} label={title(h)} />
              <figcaption>{title(h)}</figcaption>
            </figure>
          ))}
        </div>
      ) : session.status === 'recording' ? (
        <p className="rec__idle">{t('recording.notOnThisScreen')}</p>
      ) : (
        <PlaybackPanel session={session} />
      )}
      <div className="rec__healthList" aria-live="polite">
        {recorder.health.map((h) => (
          <HealthLine key={h.sourceId} h={h} title={title(h)} />
        ))}
      </div>
      {recorder.error ? <p className="rec__error">{recorder.error}</p> : null}
    </div>
  );
}
