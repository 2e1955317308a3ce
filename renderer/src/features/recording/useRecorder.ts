/**
 * The session screen's recorder: the pre-flight check (devices found, tested, mapped to
 * registered device numbers and roles, disk and clock checked, confirmed and saved with the
 * session, R3.6), then the engine that records while the session runs.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Client } from '@shared/client';
import type { DeviceDto, SessionDto } from '@shared/domain';
import { discoverDevices, testEncodeCamera } from './devices';
import { RecordingEngine } from './engine';
import { titleOf } from './sourceName';
import type { LiveSource } from '@shared/api/live';
import type { RemoteRecorder } from '../live/deskReceiver';
import { isRemoteSource } from '@shared/api/live';
import { recordingPlan } from './plan';
import { proposedRungs, runTrial, type TrialResult } from './trial';
import { RateMeter } from './rates';
import type { EngineHealth, RecordingBackend, SourceHealth } from './sources';
import {
  MAX_CAMERAS,
  expectedBytes,
  preflightProblems,
  proposeDeviceNumbers,
  type PreflightProblem,
  type PreflightSource,
} from './preflightModel';
import { agencyTimeZone } from '../../ui/time';
import { useTranslation } from 'react-i18next';

/**
 * The file length when the core cannot say (its `recording.settings`, 15 minutes by
 * default): a new file every so often, so a damaged file costs little.
 */
const FALLBACK_SEGMENT_MS = 15 * 60_000;
/** The session length the disk check plans for. */
export const PLANNED_HOURS = 3;
/** How long the pre-flight's trial records. */
const TRIAL_SECONDS = 10;

export interface CoreClockLike {
  /** The core's UTC ms now, kept with performance.now() after its best reading. */
  now(): number;
  /** That reading's round trip (ms); null while the page's own clock stands in. */
  readonly tripMs: number | null;
}

export interface Recorder {
  phase:
    | 'idle'
    | 'discovering'
    | 'checking'
    | 'ready'
    | 'trying'
    | 'saved'
    | 'recording'
    | 'stopping'
    | 'stopped';
  error: string | null;
  sources: PreflightSource[];
  registered: DeviceDto[];
  disk: { freeBytes: number; expectedBytes: number } | null;
  clockSkewMs: number | null;
  problems: PreflightProblem[];
  health: SourceHealth[];
  discover(): Promise<void>;
  update(sourceId: string, patch: Partial<PreflightSource>): void;
  savePreflight(): Promise<void>;
  /**
   * The trial (试录检测): the chosen sources recorded for about ten seconds with nothing kept;
   * proposes each camera's starting rate and says how much room the machine has.
   */
  trial(): Promise<void>;
  trialResult: TrialResult | null;
  /** Seconds of the trial run so far, while it runs. */
  trialSecond: number | null;
  /** Starts recording for a session that is now running; session time 0 is its startedAt. */
  start(session: SessionDto): Promise<void>;
  /**
   * Resumes an interrupted session (R3.5): the reason goes on the record, the devices of the
   * confirmed pre-flight are opened again, and each source continues in a new segment.
   */
  resume(session: SessionDto, reason: string): Promise<SessionDto>;
  /** Stops recording; resolves with the session time (ms) at which it stopped, if it ran here. */
  stop(): Promise<number | null>;
  streamOf(sourceId: string): MediaStream | null;
  /** The sources the live room would forward; null when nothing records here. */
  liveSources(): LiveSource[] | null;
  /** Forwards every source's encoded frames to the live room (or stops). */
  setLive(on: boolean): void;
  /** A remote participant's source from the live room, recorded from now on. */
  addRemote: RemoteRecorder['addRemote'];
  /** A remote participant's source that left the room: its file ends whole. */
  endRemote: RemoteRecorder['endRemote'];
}

function backendFor(client: Client, sessionId: number): RecordingBackend {
  return {
    async openSegment(p) {
      const r = await client.invoke('recording.openSegment', { sessionId, ...p });
      return { segment: r.segment };
    },
    async closeSegment(p) {
      await client.invoke('recording.closeSegment', { sessionId, ...p });
    },
    send(frame) {
      client.sendMedia(frame);
    },
    async fault(p) {
      await client.invoke('recording.fault', { sessionId, ...p }).catch(() => {});
    },
    async step(p) {
      await client.invoke('recording.captureStep', { sessionId, ...p }).catch(() => {});
    },
  };
}

export function useRecorder(
  client: Client,
  session: SessionDto,
  clock: CoreClockLike,
  caseNo: string,
): Recorder {
  // A recording outlives the screen: coming back to the session adopts the running engine.
  const [phase, setPhase] = useState<Recorder['phase']>(() =>
    liveEngines.has(session.id) ? 'recording' : 'idle',
  );
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [sources, setSources] = useState<PreflightSource[]>([]);
  const [registered, setRegistered] = useState<DeviceDto[]>([]);
  const [diskFree, setDiskFree] = useState<number | null>(null);
  const [clockSkewMs, setClockSkewMs] = useState<number | null>(null);
  const engineRef = useRef<RecordingEngine | null>(liveEngines.get(session.id) ?? null);
  const [trialResult, setTrialResult] = useState<TrialResult | null>(null);
  const [trialSecond, setTrialSecond] = useState<number | null>(null);
  const trialRef = useRef<TrialResult | null>(null);
  const [, force] = useState(0);

  const health = useSyncExternalStore(
    useCallback((cb: () => void) => engineRef.current?.onChange(cb) ?? (() => {}), [phase]), // eslint-disable-line react-hooks/exhaustive-deps
    () => healthSnapshot(engineRef.current),
  );

  const discover = useCallback(async () => {
    setPhase('discovering');
    setError(null);
    try {
      const [found, devices, disk] = await Promise.all([
        discoverDevices(),
        client.invoke('devices.list', {}),
        client.invoke('system.disk', {}),
      ]);
      setRegistered(devices);
      setDiskFree(disk.freeBytes - disk.floorBytes);
      setClockSkewMs(Date.now() - clock.now());
      let cam = 0;
      let mic = 0;
      const found0: PreflightSource[] = found.map((d) => {
        const n = d.kind === 'camera' ? ++cam : ++mic;
        return {
          sourceId: d.kind === 'camera' ? `cam${n}` : `mic${n}`,
          kind: d.kind,
          deviceId: d.deviceId,
          label: d.label,
          // Every camera that may record is ticked (up to what the workstation can take).
          enabled: d.kind === 'camera' ? n <= MAX_CAMERAS : n === 1,
          deviceNo: '',
          // Cameras get their roles once they prove usable (proposeDeviceNumbers).
          role: d.kind === 'microphone' ? 'ambient' : 'other',
          check: d.kind === 'camera' ? 'checking' : 'ok',
          verdict: null,
        };
      });
      // Numbers and roles go only to sources that can record: proposed now for those
      // already known usable, and again after each camera's encode test.
      const propose = (list: PreflightSource[]) =>
        proposeDeviceNumbers(list, devices, session.room);
      const initial = propose(found0);
      setSources(initial);
      setPhase('checking');
      // One camera at a time: opening them all at once would crowd the encoder check.
      for (const s of initial.filter((x) => x.kind === 'camera')) {
        const verdict = await testEncodeCamera(s.deviceId);
        setSources((prev) =>
          propose(
            prev.map((p) =>
              p.sourceId === s.sourceId
                ? {
                    ...p,
                    check: verdict.ok ? 'ok' : 'unusable',
                    verdict,
                    enabled: p.enabled && verdict.ok,
                  }
                : p,
            ),
          ),
        );
      }
      setPhase('ready');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPhase('idle');
    }
  }, [client, clock, session.room]);

  const update = useCallback((sourceId: string, patch: Partial<PreflightSource>) => {
    const chosen = 'deviceNo' in patch || 'role' in patch;
    const ticked = 'enabled' in patch;
    setSources((prev) =>
      prev.map((p) =>
        p.sourceId === sourceId
          ? {
              ...p,
              ...patch,
              ...(chosen ? { chosen: true } : {}),
              ...(ticked ? { ticked: true } : {}),
            }
          : p,
      ),
    );
    setPhase((p) => (p === 'saved' ? 'ready' : p));
  }, []);

  const disk = useMemo(
    () =>
      diskFree === null
        ? null
        : { freeBytes: diskFree, expectedBytes: expectedBytes(sources, PLANNED_HOURS, true) },
    [diskFree, sources],
  );
  const problems = useMemo(
    () => preflightProblems(sources, disk, clockSkewMs),
    [sources, disk, clockSkewMs],
  );

  const savePreflight = useCallback(async () => {
    setError(null);
    try {
      const on = sources.filter((s) => s.enabled);
      await client.invoke('recording.savePreflight', {
        sessionId: session.id,
        preflight: {
          sources: on.map((s) => ({
            sourceId: s.sourceId,
            kind: s.kind,
            label: s.label,
            deviceNo: s.deviceNo,
            role: s.role,
          })),
          disk: disk ?? { freeBytes: 0, expectedBytes: 0 },
          clock: {
            utc: Date.now(),
            timeZone: agencyTimeZone(),
            monotonicOffsetMs: performance.timeOrigin + performance.now() - Date.now(),
            ...(clock.tripMs !== null ? { coreTripMs: clock.tripMs } : {}),
          },
          confirmedAt: Date.now(),
          ...(trialRef.current ? { trial: trialRef.current } : {}),
        },
      });
      rememberPreflight(session.id, on);
      setPhase('saved');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [client, clock, disk, session.id, sources]);

  const trial = useCallback(async () => {
    setError(null);
    setPhase('trying');
    setTrialSecond(0);
    try {
      const plan = recordingPlan(t, sources, {
        caption: { caseNo, place: '', startedAtUtc: Date.now(), timeZone: agencyTimeZone() },
        segmentMs: FALLBACK_SEGMENT_MS,
      });
      const r = await runTrial(plan, TRIAL_SECONDS, setTrialSecond);
      trialRef.current = r;
      setTrialResult(r);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setTrialSecond(null);
      setPhase('ready');
    }
  }, [caseNo, sources, t]);

  const startWith = async (all: PreflightSource[], running: SessionDto) => {
    if (running.startedAt === null) throw new Error('the session has not started');
    // The core's setting; recording must start regardless (R3.7), so a failed read falls back.
    const segmentMs = await client
      .invoke('recording.settings', {})
      .then((r) => r.segmentSeconds * 1000)
      .catch(() => FALLBACK_SEGMENT_MS);
    const plan = recordingPlan(t, all, {
      caption: {
        caseNo,
        place: [running.place, running.room].filter(Boolean).join(' '),
        startedAtUtc: running.startedAt,
        timeZone: running.timeZone ?? agencyTimeZone(),
      },
      segmentMs,
      ...(trialRef.current ? { startRungs: proposedRungs(trialRef.current) } : {}),
    });
    const engine = new RecordingEngine(backendFor(client, running.id), plan);
    engineRef.current = engine;
    liveEngines.set(running.id, engine);
    setPhase('recording');
    // Session time 0 on this page's performance.now() clock: the core's startedAt, mapped
    // through the core clock (its shortest round trip, kept with performance.now()).
    const originPerfMs = performance.now() - (clock.now() - running.startedAt);
    try {
      await engine.start(originPerfMs);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    force((n) => n + 1);
  };
  const start = useCallback(
    (running: SessionDto) => startWith(sources, running),
    [sources], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const resume = useCallback(
    async (interrupted: SessionDto, reason: string) => {
      const remembered = recallPreflight(interrupted.id);
      if (!remembered.length)
        throw new Error('the pre-flight of this session is not known in this window; run it again');
      const found = await discoverDevices();
      const reopened = remembered.map((s) => {
        const match =
          found.find((d) => d.kind === s.kind && d.deviceId === s.deviceId) ??
          found.find((d) => d.kind === s.kind && d.label === s.label);
        return match
          ? { ...s, deviceId: match.deviceId, check: 'ok' as const }
          : { ...s, check: 'unusable' as const };
      });
      setSources(reopened);
      // An engine of the interrupted recording may still hold devices: stop it first, so one
      // recorder (and one chain of segments) runs per source.
      const previous = engineRef.current ?? liveEngines.get(interrupted.id);
      if (previous) {
        await previous.stop();
        liveEngines.delete(interrupted.id);
      }
      const resumed = await client.invoke('sessions.resume', { id: interrupted.id, reason });
      await startWith(reopened, resumed);
      return resumed;
    },
    [client], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const stop = useCallback(async (): Promise<number | null> => {
    const engine = engineRef.current;
    if (!engine) return null;
    setPhase('stopping');
    const atUs = await engine.stop();
    if (liveEngines.get(session.id) === engine) liveEngines.delete(session.id);
    setPhase('stopped');
    return Math.max(0, Math.round(atUs / 1000));
  }, [session.id]);

  // A frame the core refused for one of this window's files (bytes lost on the way): that
  // file can never continue, so the source restarts in a new segment. Only while the session
  // still records: after an interruption, refusals are expected and nothing restarts.
  useEffect(
    () =>
      client.subscribe('recording.fault', (f) => {
        if (f.kind !== 'write_refused' || f.sessionId !== session.id) return;
        if (f.sourceId === null || f.segment === null) return;
        const engine = engineRef.current;
        if (!engine) return;
        const { sourceId, segment } = f;
        void client.invoke('sessions.get', { id: session.id }).then(
          (s) => s.status === 'recording' && engine.refused(sourceId, segment),
          () => {},
        );
      }),
    [client, session.id],
  );

  // Leaving the screen does NOT stop the recording: the rules forbid selective recording, so
  // the engine keeps running (registered by session) until the session is ended here.

  return {
    phase,
    error,
    sources,
    registered,
    disk,
    clockSkewMs,
    problems,
    health,
    discover,
    update,
    savePreflight,
    trial,
    trialResult,
    trialSecond,
    start,
    resume,
    stop,
    streamOf: (id) => engineRef.current?.streamOf(id) ?? null,
    // Named as every view names them (device number and role; the program), never by the
    // browser's device label: observers see these names.
    // A remote participant's sources are in the room already (not forwarded back).
    liveSources: () =>
      engineRef.current
        ?.health()
        .filter((h) => !isRemoteSource(h.sourceId))
        .map((h) => ({
          sourceId: h.sourceId,
          kind: h.kind === 'microphone' ? ('audio' as const) : ('video' as const),
          label: titleOf(t, sources, h.sourceId, h.kind, h.label).slice(0, 80),
        })) ?? null,
    setLive: (on) => engineRef.current?.setLive(on),
    addRemote: async (src) => {
      await engineRef.current?.addRemote(src);
    },
    endRemote: async (sourceId) => {
      await engineRef.current?.endRemote(sourceId);
    },
  };
}

/** Recordings running in this window, by session: they outlive the session screen. */
const liveEngines = new Map<number, RecordingEngine>();

const PREFLIGHT_KEY = (sessionId: number) => `attest.preflight.${sessionId}`;

/** The confirmed mapping, kept so a reloaded window can reopen the same devices on resume. */
function rememberPreflight(sessionId: number, sources: PreflightSource[]) {
  try {
    localStorage.setItem(PREFLIGHT_KEY(sessionId), JSON.stringify(sources));
  } catch {
    // storage unavailable: resuming will ask for a new pre-flight
  }
}

function recallPreflight(sessionId: number): PreflightSource[] {
  try {
    const raw = localStorage.getItem(PREFLIGHT_KEY(sessionId));
    return raw ? (JSON.parse(raw) as PreflightSource[]) : [];
  } catch {
    return [];
  }
}

let lastHealth: {
  engine: RecordingEngine | null;
  value: SourceHealth[];
  key: string;
  version: number;
} = {
  engine: null,
  value: [],
  key: '',
  version: -2,
};
/** Each engine's rate meter, and the stats reports it has taken (each report is one object). */
const meters = new WeakMap<RecordingEngine, { meter: RateMeter; seen: WeakSet<object> }>();

/**
 * The engine's health with each source's rates taken across its files and worker restarts
 * (see rates.ts).
 */
function withRates(engine: RecordingEngine, health: EngineHealth[]): SourceHealth[] {
  let m = meters.get(engine);
  if (!m) meters.set(engine, (m = { meter: new RateMeter(), seen: new WeakSet() }));
  const now = performance.now();
  for (const h of health) {
    const s = h.stats;
    // A worker's counters before its first frame belong to no file yet.
    if (!s || m.seen.has(s) || s.firstSessionTimeUs === null) continue;
    m.seen.add(s);
    m.meter.note(h.sourceId, {
      atMs: now,
      run: String(s.firstSessionTimeUs),
      frames: s.framesEncoded,
      bytes: s.bytesOut,
    });
  }
  return health.map((h) => {
    const r = m.meter.rate(h.sourceId);
    return { ...h, fps: r.fps, bitrate: r.bitsPerSecond };
  });
}

/** A stable snapshot for useSyncExternalStore: the same array until something changed. */
function healthSnapshot(engine: RecordingEngine | null): SourceHealth[] {
  // Asked on every render of the session screen (each key typed in the transcript): the
  // engine's change count says whether anything is new, without building the health again.
  const version = engine?.version ?? -1;
  if (engine === lastHealth.engine && version === lastHealth.version) return lastHealth.value;
  const value = engine ? withRates(engine, engine.health()) : [];
  const key = JSON.stringify(value);
  if (engine === lastHealth.engine && key === lastHealth.key) {
    lastHealth = { ...lastHealth, version };
    return lastHealth.value;
  }
  lastHealth = { engine, value, key, version };
  return value;
}
