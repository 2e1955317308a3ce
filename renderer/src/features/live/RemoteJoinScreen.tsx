/**
 * 远程参加: the page a remote participant (an interpreter, a lawyer, a witness, the party in a
 * remote hearing) opens from the invitation. No account: the token in the address admits its
 * holder to one session's live room, one connection at a time. They are told that they are
 * recorded before anything is sent; joining sends their camera and microphone into the room
 * and brings the room's picture and sound back.
 */
import { useEffect, useRef, useState } from 'react';
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { LiveJoinDto } from '@shared/api/live';
import { transportParams, consumerOf } from './transport';
import type { Client } from '@shared/client';
import { useClient } from '../../app/ClientContext';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { useEnumLabel } from '../../ui/enumLabels';
import { useSectionT } from '../../i18n/section';
import './live.css';

/** Joins the room: sends the camera and microphone, receives the room's picture and sound. */
async function enter(
  client: Client,
  token: string,
  local: MediaStream,
): Promise<{ join: LiveJoinDto; room: MediaStream; close(): void }> {
  const join = await client.invoke('live.join', { token });
  const device = new Device();
  await device.load({
    routerRtpCapabilities: join.routerRtpCapabilities as unknown as types.RtpCapabilities,
  });
  const connect =
    (direction: 'send' | 'recv') =>
    (
      { dtlsParameters }: { dtlsParameters: types.DtlsParameters },
      done: () => void,
      fail: (e: Error) => void,
    ) => {
      client
        .invoke('live.remote.connect', {
          remoteId: join.remoteId,
          direction,
          dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
        })
        .then(() => done(), fail);
    };
  const send = device.createSendTransport(transportParams(join.send));
  send.on('connect', connect('send'));
  send.on('produce', ({ kind, rtpParameters }, done, fail) => {
    client
      .invoke('live.remote.produce', {
        remoteId: join.remoteId,
        kind,
        rtpParameters: rtpParameters as unknown as Record<string, unknown>,
      })
      .then(({ producerId }) => done({ id: producerId }), fail);
  });
  const recv = device.createRecvTransport(transportParams(join.recv));
  recv.on('connect', connect('recv'));
  // VP8 for the picture: every browser sends it; the room's H.264 is the desk's own encoding.
  const vp8 = device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
  for (const track of local.getTracks())
    await send.produce({ track, ...(track.kind === 'video' && vp8 ? { codec: vp8 } : {}) });
  const room = new MediaStream();
  for (const p of join.producers) {
    const c = await client.invoke('live.remote.consume', {
      remoteId: join.remoteId,
      producerId: p.producerId,
      rtpCapabilities: device.rtpCapabilities as unknown as Record<string, unknown>,
    });
    const consumer = await consumerOf(recv, c);
    await client.invoke('live.remote.resume', {
      remoteId: join.remoteId,
      consumerId: c.consumerId,
    });
    room.addTrack(consumer.track);
  }
  return {
    join,
    room,
    close() {
      send.close();
      recv.close();
      void client.invoke('live.remote.leave', { remoteId: join.remoteId }).catch(() => undefined);
    },
  };
}

export function RemoteJoinScreen({ token }: { token: string }) {
  const client = useClient();
  const t = useSectionT('live');
  const label = useEnumLabel();
  const [state, setState] = useState<'ready' | 'joining' | 'joined' | 'left'>('ready');
  const [error, setError] = useState<BannerMessage | null>(null);
  const [joined, setJoined] = useState<LiveJoinDto | null>(null);
  const session = useRef<{ close(): void; local: MediaStream } | null>(null);
  const roomVideo = useRef<HTMLVideoElement>(null);
  const selfVideo = useRef<HTMLVideoElement>(null);
  const [streams, setStreams] = useState<{ room: MediaStream; local: MediaStream } | null>(null);

  useEffect(() => {
    if (roomVideo.current && streams) roomVideo.current.srcObject = streams.room;
    if (selfVideo.current && streams) selfVideo.current.srcObject = streams.local;
  }, [streams]);
  useEffect(
    () => () => {
      session.current?.close();
      session.current?.local.getTracks().forEach((tr) => tr.stop());
    },
    [],
  );

  const join = async () => {
    setState('joining');
    setError(null);
    let local: MediaStream | null = null;
    try {
      local = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const s = await enter(client, token, local);
      session.current = { close: s.close, local };
      setJoined(s.join);
      setStreams({ room: s.room, local });
      setState('joined');
    } catch (e) {
      local?.getTracks().forEach((tr) => tr.stop());
      setError(formFailure(e).banner);
      setState('ready');
    }
  };

  const leave = () => {
    session.current?.close();
    session.current?.local.getTracks().forEach((tr) => tr.stop());
    session.current = null;
    setStreams(null);
    setState('left');
  };

  return (
    <main className="live live--remote">
      <header className="live__head">
        <h1>{t('remote.title')}</h1>
        <LanguageSwitch />
      </header>
      {error ? <ErrorBanner message={error} /> : null}
      {state === 'ready' || state === 'joining' ? (
        <section className="panel">
          <p>{t('remote.consent')}</p>
          <button
            type="button"
            className="button button--primary"
            disabled={state === 'joining'}
            onClick={() => void join()}
          >
            {state === 'joining' ? t('remote.joining') : t('remote.join')}
          </button>
        </section>
      ) : null}
      {state === 'joined' && joined ? (
        <>
          <p role="status">
            {t('remote.joined', { name: joined.name, role: label('participantRole', joined.role) })}
          </p>
          <div className="live__grid">
            <figure className="live__tile">
              <video ref={roomVideo} autoPlay playsInline data-testid="remote-room" />
              <figcaption>{t('remote.room')}</figcaption>
            </figure>
            <figure className="live__tile">
              <video ref={selfVideo} autoPlay playsInline muted data-testid="remote-self" />
              <figcaption>{t('remote.self')}</figcaption>
            </figure>
          </div>
          <button type="button" className="button" onClick={leave}>
            {t('remote.leave')}
          </button>
        </>
      ) : null}
      {state === 'left' ? <Notice text={t('remote.left')} /> : null}
    </main>
  );
}
