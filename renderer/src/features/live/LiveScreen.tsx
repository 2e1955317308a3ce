/**
 * 实时观看 (R6.1): an observer watches a recording session as it is recorded. The core checks
 * the access (the case team, or a viewing grant covering the session) and audits the start
 * and the end; the pictures are the desk's own encoded frames, forwarded by the SFU beside
 * the core and received here with mediasoup-client. Sources the desk forwards later appear as
 * they come; leaving the screen ends the viewing.
 */
import { useEffect, useRef, useState } from 'react';
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { LiveProducerDto } from '@shared/api/live';
import type { Client } from '@shared/client';
import { useClient } from '../../app/ClientContext';
import { lanTransport } from '../../app/connect';
import { routeHref } from '../../app/route';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { useSectionT } from '../../i18n/section';
import { TextAreaField } from '../../ui/Field';
import { useCall } from '../../ui/useCall';
import { useEnumLabel } from '../../ui/enumLabels';
import type { TranscriptState } from '@shared/rules/transcript';
import { formatSessionTime } from '../sessions/sessionTime';
import { coreSignal, relaySignal, type MediaSignal } from './relaySignal';
import { recvTransport, consumerOf } from './transport';
import './live.css';

interface Watched {
  producerId: string;
  kind: 'video' | 'audio';
  label: string;
  track: MediaStreamTrack;
}

/** How often the observer asks for sources the desk started forwarding since. */
const POLL_MS = 2000;

class Viewing {
  viewingId: number | null = null;
  basis = '';
  /** The pictures come through the relay the room is piped to. */
  viaRelay = false;
  private transport: types.Transport | null = null;
  private signal: MediaSignal | null = null;
  private readonly consumed = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  closed = false;

  constructor(
    private readonly client: Client,
    private readonly sessionId: number,
    private readonly onTrack: (w: Watched) => void,
  ) {}

  async start(): Promise<void> {
    const w = await this.client.invoke('live.watch', { sessionId: this.sessionId });
    this.viewingId = w.viewingId;
    if (this.closed) return this.leave();
    // Piped to a relay: the pictures come from there; the viewing stays the workstation's.
    const signal = w.relay
      ? await relaySignal(w.relay.url, w.relay.ticket)
      : coreSignal(this.client, w.viewingId, w);
    this.signal = signal;
    this.viaRelay = w.relay !== null;
    if (this.closed) return this.leave();
    const device = new Device();
    await device.load({
      routerRtpCapabilities: signal.routerRtpCapabilities as unknown as types.RtpCapabilities,
    });
    const transport = recvTransport(device, signal.transport, (dtls) => signal.connect(dtls));
    this.transport = transport;
    const caps = device.rtpCapabilities as unknown as Record<string, unknown>;
    const take = async (producers: LiveProducerDto[]) => {
      for (const p of producers) {
        if (this.closed || this.consumed.has(p.producerId)) continue;
        this.consumed.add(p.producerId);
        const c = await signal.consume(p.producerId, caps);
        const consumer = await consumerOf(transport, c);
        await signal.resume(c.consumerId);
        this.onTrack({
          producerId: p.producerId,
          kind: p.kind,
          label: p.label,
          track: consumer.track,
        });
      }
    };
    await take(signal.producers);
    this.timer = setInterval(() => {
      if (this.closed || this.viewingId === null) return;
      signal
        .producersNow()
        .then(take)
        .catch(() => undefined);
    }, POLL_MS);
  }

  leave(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // The core hears the observer leave before the relay or the transport can report them gone,
    // so the audit trail says they left rather than that they were disconnected.
    const hangUp = () => {
      this.transport?.close();
      this.signal?.close();
    };
    const id = this.viewingId;
    this.viewingId = null;
    if (id === null) {
      hangUp();
      return Promise.resolve();
    }
    return this.client.invoke('live.leave', { viewingId: id }).then(hangUp, hangUp);
  }
}

/** How often the observer reads the record as it is typed. */
const TRANSCRIPT_POLL_MS = 2000;

/** The record as the clerk types it, read under the same access as the pictures. */
function LiveTranscript({ sessionId }: { sessionId: number }) {
  const client = useClient();
  const t = useSectionT('live');
  const label = useEnumLabel();
  const [state, setState] = useState<TranscriptState | null>(null);
  useEffect(() => {
    let seq = -1;
    const read = () =>
      client
        .invoke('transcripts.get', { sessionId })
        .then((r) => {
          if (r.seq !== seq) {
            seq = r.seq;
            setState(r.state);
          }
        })
        .catch(() => undefined);
    void read();
    const timer = setInterval(() => void read(), TRANSCRIPT_POLL_MS);
    return () => clearInterval(timer);
  }, [client, sessionId]);
  const items = [
    ...(state?.turns ?? []).map((turn) => ({ at: turn.at, key: turn.id, turn, marker: null })),
    ...(state?.markers ?? []).map((marker) => ({
      at: marker.at,
      key: marker.id,
      turn: null,
      marker,
    })),
  ].sort((a, b) => a.at - b.at);
  return (
    <section className="panel live__transcript" aria-labelledby="live-transcript-title">
      <h2 id="live-transcript-title" className="panel__title">
        {t('transcript')}
      </h2>
      {items.length === 0 ? <p className="muted">{t('noTurns')}</p> : null}
      <ol className="live__turns" data-testid="live-transcript">
        {items.map((i) => (
          <li key={i.key}>
            <span className="muted">{formatSessionTime(i.at)}</span>{' '}
            {i.turn ? (
              <>
                <strong>{label('speaker', i.turn.speaker)}：</strong>
                {i.turn.text}
              </>
            ) : (
              <em>
                {label('markerKind', i.marker!.kind)}
                {i.marker!.note ? `：${i.marker!.note}` : ''}
              </em>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A note for the record, from the observer: on the session's timeline, shown at the desk. */
function NoteForm({ viewingId }: { viewingId: number }) {
  const client = useClient();
  const t = useSectionT('live');
  const call = useCall();
  const [text, setText] = useState('');
  const [sent, setSent] = useState<number | null>(null);
  return (
    <form
      className="panel live__note"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        void call.run(
          () => client.invoke('live.note', { viewingId, text }),
          (note) => {
            setSent(note.atUs === null ? null : note.atUs / 1000);
            setText('');
          },
        );
      }}
    >
      <h2 className="panel__title">{t('note.title')}</h2>
      {call.banner ? <ErrorBanner message={call.banner} /> : null}
      <TextAreaField
        label={t('note.field')}
        hint={t('note.hint')}
        value={text}
        onChange={setText}
        rows={2}
      />
      <button type="submit" className="button" disabled={call.busy || !text.trim()}>
        {t('note.send')}
      </button>
      {sent !== null ? (
        <p role="status">{t('note.sent', { at: formatSessionTime(sent) })}</p>
      ) : null}
    </form>
  );
}

function Tile({ watched }: { watched: Watched }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = new MediaStream([watched.track]);
  }, [watched.track]);
  return (
    <figure className="live__tile">
      <video ref={ref} autoPlay playsInline muted data-testid={`live-video-${watched.label}`} />
      <figcaption>{watched.label}</figcaption>
    </figure>
  );
}

function Sound({ tracks }: { tracks: Watched[] }) {
  const t = useSectionT('live');
  const ref = useRef<HTMLAudioElement>(null);
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream(tracks.map((w) => w.track));
    // A page may not start sound on its own until the user has acted on it.
    el.play().then(
      () => setBlocked(false),
      () => setBlocked(true),
    );
  }, [tracks]);
  return (
    <p className="live__sound">
      <audio ref={ref} autoPlay />
      {t('sound')}：{tracks.map((w) => w.label).join('、')}
      {blocked ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => void ref.current?.play().then(() => setBlocked(false))}
        >
          {t('playSound')}
        </button>
      ) : null}
    </p>
  );
}

export function LiveScreen({ caseId, sessionId }: { caseId: number; sessionId: number }) {
  const client = useClient();
  const t = useSectionT('live');
  const [watched, setWatched] = useState<Watched[]>([]);
  const [error, setError] = useState<BannerMessage | null>(null);
  const [state, setState] = useState<'connecting' | 'watching' | 'left'>('connecting');
  const [round, setRound] = useState(0);
  const [viewingId, setViewingId] = useState<number | null>(null);
  const [viaRelay, setViaRelay] = useState(false);
  const viewing = useRef<Viewing | null>(null);

  useEffect(() => {
    const v = new Viewing(client, sessionId, (w) => setWatched((all) => [...all, w]));
    viewing.current = v;
    v.start().then(
      () => {
        if (v.closed) return;
        setViewingId(v.viewingId);
        setViaRelay(v.viaRelay);
        setState('watching');
      },
      (e: unknown) => {
        // Left already (the screen closed): nothing to say.
        if (v.closed) return;
        void v.leave();
        setError(formFailure(e).banner);
      },
    );
    return () => void v.leave();
  }, [client, sessionId, round]);

  const video = watched.filter((w) => w.kind === 'video');
  const audio = watched.filter((w) => w.kind === 'audio');
  return (
    <section className="live" aria-labelledby="live-title">
      <header className="live__head">
        <h1 id="live-title">{t('title')}</h1>
        {/* On the LAN pages there is no session screen to go back to. */}
        {lanTransport() === 'lan-live' ? null : (
          <a href={routeHref({ name: 'session', caseId, sessionId })}>{t('back')}</a>
        )}
      </header>
      <p className="muted">{t('intro')}</p>
      {viaRelay && state === 'watching' ? (
        <p className="muted" role="status">
          {t('viaRelay')}
        </p>
      ) : null}
      {error ? <ErrorBanner message={error} /> : null}
      {state === 'connecting' && !error ? <p role="status">{t('connecting')}</p> : null}
      {state === 'left' ? (
        <>
          <Notice text={t('left')} />
          <button
            type="button"
            className="button"
            onClick={() => {
              setError(null);
              setState('connecting');
              setRound((r) => r + 1);
            }}
          >
            {t('again')}
          </button>
        </>
      ) : null}
      {state === 'watching' ? (
        <>
          <div className="live__grid" data-testid="live-grid">
            {video.length === 0 ? <p className="muted">{t('noSources')}</p> : null}
            {video.map((w) => (
              <Tile key={w.producerId} watched={w} />
            ))}
          </div>
          {audio.length ? <Sound tracks={audio} /> : null}
          <div className="live__side">
            <LiveTranscript sessionId={sessionId} />
            {viewingId !== null ? <NoteForm viewingId={viewingId} /> : null}
          </div>
          <button
            type="button"
            className="button"
            onClick={() => {
              void viewing.current?.leave();
              setWatched([]);
              setState('left');
            }}
          >
            {t('leave')}
          </button>
        </>
      ) : null}
    </section>
  );
}
