// The process the crash test kills: it opens the core on a data directory prepared by the
// test, starts a session, opens one segment per source and streams the files at a steady
// multiple of real time, in random chunks, as binary media frames through the contract.
// After each frame the sink has taken (the in-memory transport hands it over synchronously)
// it prints `sent <sourceId> <end offset>`, so the test knows what had reached the core.
// Run with: node --experimental-transform-types --import tests/helpers/ts-hooks.mjs crash-child.ts
import { readFileSync } from 'node:fs';
import { openCore } from '../../../electron/core/core';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { ADMIN } from '../../helpers/core';
import { frame, openInput, preflight, randomChunks, rng } from '../../helpers/media';

const [dataDir, seedText, speedText, officerA, officerB, ...specs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  ...string[],
];
const seed = Number(seedText);
const speed = Number(speedText);
const rand = rng(seed);
const out = (line: string) => process.stdout.write(`${line}\n`);

const core = openCore({ dataDir, log: () => undefined });
const client = connectInMemory(core);
await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
const cases = await client.invoke('cases.list', {});
const session = await client.invoke('sessions.create', {
  caseId: cases.items[0]!.id,
  kind: 'interview',
  place: '询问室一',
  officers: [
    { officerId: Number(officerA), role: 'interviewer' },
    { officerId: Number(officerB), role: 'recorder' },
  ],
  participants: [{ role: 'party', name: '赵六' }],
});
// The check comes before the start (the agency's A/V matters list requires it).
await client.invoke('recording.savePreflight', {
  sessionId: session.id,
  preflight: preflight(Date.now()),
});
await client.invoke('sessions.start', { id: session.id });

// Each spec is sourceId:kind:file:durationSeconds.
const sources: {
  sourceId: string;
  segment: number;
  chunks: { offset: number; payload: Uint8Array }[];
  rate: number;
  sent: number;
}[] = [];
for (const spec of specs) {
  const [sourceId, kind, file, seconds] = spec.split(':') as [
    string,
    'camera' | 'microphone',
    string,
    string,
  ];
  const bytes = readFileSync(file);
  const { segment } = await client.invoke(
    'recording.openSegment',
    openInput(session.id, sourceId, kind),
  );
  sources.push({
    sourceId,
    segment,
    // Small sources (audio) in small chunks, so every source arrives as a steady stream.
    chunks: randomChunks(bytes, rand, 1, Math.min(120_000, Math.ceil(bytes.length / 40))),
    // Bytes per millisecond that keep this source at `speed` times real time.
    rate: (bytes.length / (Number(seconds) * 1000)) * speed,
    sent: 0,
  });
}
out(`session ${session.id}`);
out('streaming');

const t0 = performance.now();
await new Promise<void>((resolve) => {
  const tick = () => {
    const elapsed = performance.now() - t0;
    let pending = false;
    for (const s of sources) {
      while (s.chunks.length > 0 && s.sent < elapsed * s.rate) {
        const c = s.chunks.shift()!;
        client.sendMedia(frame(s.sourceId, s.segment, c.offset, c.payload));
        s.sent = c.offset + c.payload.length;
        out(`sent ${s.sourceId} ${s.sent}`);
      }
      if (s.chunks.length > 0) pending = true;
    }
    if (pending) setTimeout(tick, 5);
    else resolve();
  };
  tick();
});
// Everything sent: wait to be killed (the segments stay open, as in a crash mid-recording).
out('done');
setInterval(() => undefined, 1000);
