/**
 * The LAN signing tablet as a service: pairing codes for one signing at a time, audited; the
 * HTTPS server itself (`server.ts` beside it) starts on the first pairing and only when the
 * workstation enabled it.
 */
import { identityDirOf } from '../../../platform/pki';
import { AppError } from '../../../../shared/errors';
import type { LanPairingDto } from '../../../../shared/api/signing';
import { LanTabletServer, type CoreLink } from './server';
import type { Caller, ServiceDeps } from '../../context';
import type { SigningService } from '../service';

/** How this workstation offers the LAN tablet (absent: not offered). */
export interface LanTabletConfig {
  /** The built renderer the tablet is served. */
  rendererDir: string;
  /** Interface to listen on (default 0.0.0.0). */
  bindHost?: string | undefined;
  /** Port (default 8443; 0 picks a free one). */
  port?: number | undefined;
  /** The address the tablet is told to open (default the first LAN IPv4). */
  advertiseHost?: string | undefined;
}

export class TabletService {
  private server: LanTabletServer | null = null;
  private connect: ((send: (text: string) => void) => CoreLink) | null = null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly signing: SigningService,
    private readonly dataDir: string,
    private readonly config: LanTabletConfig | undefined,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** The core's own connections, handed in once the core exists. */
  attach(connect: (send: (text: string) => void) => CoreLink): void {
    this.connect = connect;
  }

  async pair(caller: Caller, signingId: number): Promise<LanPairingDto> {
    const target = this.signing.lanTarget(caller, signingId);
    if (!this.config || !this.connect) {
      throw new AppError(
        'CONFLICT',
        'the LAN signing tablet is not enabled on this workstation; use the pen display',
      );
    }
    this.server ??= new LanTabletServer(
      {
        rendererDir: this.config.rendererDir,
        tlsDir: identityDirOf(this.dataDir),
        ...(this.config.bindHost !== undefined ? { bindHost: this.config.bindHost } : {}),
        ...(this.config.port !== undefined ? { port: this.config.port } : {}),
        ...(this.config.advertiseHost !== undefined
          ? { advertiseHost: this.config.advertiseHost }
          : {}),
        now: this.deps.now,
        log: this.log,
        isOpen: (id) => this.signing.isOpen(id),
      },
      this.connect,
    );
    // The tablet acts with its own token (the tablet paired before it no longer can).
    const pairing = await this.server.pair({
      ...target,
      ...this.signing.tabletToken(caller, signingId),
    });
    const user = caller.user!;
    // The code itself is never written down: it is a secret until it is used.
    this.deps.db.transaction(() =>
      this.deps.audit.append({
        at: this.deps.now(),
        actorUserId: user.id,
        actor: user.displayName,
        action: 'signing.lan_paired',
        entity: 'signing',
        entityId: signingId,
        caseId: target.caseId,
        data: { url: pairing.url, fingerprint: pairing.fingerprint, expiresAt: pairing.expiresAt },
      }),
    )();
    return pairing;
  }

  unpair(caller: Caller, signingId: number): { tablets: number } {
    const target = this.signing.lanTarget(caller, signingId, { finished: true });
    const tablets = this.server?.unpair(signingId) ?? 0;
    const user = caller.user!;
    this.deps.db.transaction(() =>
      this.deps.audit.append({
        at: this.deps.now(),
        actorUserId: user.id,
        actor: user.displayName,
        action: 'signing.lan_unpaired',
        entity: 'signing',
        entityId: signingId,
        caseId: target.caseId,
        data: { tablets },
      }),
    )();
    return { tablets };
  }

  /** The server's port and fingerprint while it listens (diagnostics, tests). */
  listening(): { port: number; fingerprint: string } | null {
    return this.server?.listening() ?? null;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}
