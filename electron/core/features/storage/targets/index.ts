/**
 * The register of storage targets (several at once, configured in the UI later) and the
 * factory that turns a row into a {@link StorageTarget}. Configurations are validated
 * strictly: an unknown key is refused, so a password can never slip into the config JSON
 * (which is shown and logged) instead of the secret store (which is not).
 */
import type { z } from 'zod';
import { storageConfigSchemas, storageSecretSchemas } from '../../../../shared/api/storage';
import type { Db } from '../../../platform/db/database';
import {
  insertTarget,
  listTargets,
  setTargetEnabled,
  targetById,
  updateTarget,
  type TargetRow,
} from '../store';
import { FolderTarget } from './folder';
import { S3Target } from './s3';
import type { SecretStore } from '../secret-store';
import { SftpTarget } from './sftp';
import type { StorageTarget, TargetKind } from './port';
import { WebDavTarget } from './webdav';

/** The schemas live in electron/shared/api/storage.ts, so the settings screen validates with the same ones. */
export const configSchemas = storageConfigSchemas;
export const secretSchemas = storageSecretSchemas;

export type TargetConfig<K extends TargetKind> = z.infer<(typeof configSchemas)[K]>;
export type { TargetRow } from '../store';

/** Builds the adapter for a validated config and secret. */
export function createTarget(kind: TargetKind, config: unknown, secret: unknown): StorageTarget {
  switch (kind) {
    case 'folder':
      return new FolderTarget(configSchemas.folder.parse(config));
    case 'sftp':
      return new SftpTarget(
        configSchemas.sftp.parse(config),
        secretSchemas.sftp.parse(secret ?? {}),
      );
    case 'webdav':
      return new WebDavTarget(
        configSchemas.webdav.parse(config),
        secretSchemas.webdav.parse(secret ?? {}),
      );
    case 's3':
      return new S3Target(configSchemas.s3.parse(config), secretSchemas.s3.parse(secret ?? {}));
  }
}

export class TargetStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
    private readonly now: () => number = Date.now,
  ) {}

  async add(input: {
    name: string;
    kind: TargetKind;
    config: unknown;
    secret?: Record<string, string>;
  }): Promise<TargetRow> {
    const config = configSchemas[input.kind].parse(input.config);
    const secret = secretSchemas[input.kind].parse(input.secret ?? {}) as Record<string, string>;
    const id = insertTarget(this.db, {
      name: input.name,
      kind: input.kind,
      config,
      at: this.now(),
    });
    if (Object.keys(secret).length > 0) await this.secrets.set(id, secret);
    return this.get(id);
  }

  get(id: number): TargetRow {
    const row = targetById(this.db, id);
    if (!row) throw new Error(`no storage target ${id}`);
    return row;
  }

  list(): TargetRow[] {
    return listTargets(this.db);
  }

  /** Renames a target or replaces its configuration (validated for its kind, which never changes). */
  update(id: number, input: { name?: string; config?: unknown }): TargetRow {
    const row = this.get(id);
    const name = input.name ?? row.name;
    const config =
      input.config === undefined ? row.config : configSchemas[row.kind].parse(input.config);
    updateTarget(this.db, id, { name, config, at: this.now() });
    return this.get(id);
  }

  /** Targets are never deleted (jobs refer to them); a retired one is disabled. */
  setEnabled(id: number, enabled: boolean): void {
    setTargetEnabled(this.db, id, enabled, this.now());
  }

  async setSecret(id: number, secret: Record<string, string>): Promise<void> {
    const row = this.get(id);
    await this.secrets.set(id, secretSchemas[row.kind].parse(secret) as Record<string, string>);
  }

  /** The secret, for redacting errors; never shown. */
  secretOf(id: number): Promise<Record<string, string> | null> {
    return this.secrets.get(id);
  }

  async open(id: number): Promise<StorageTarget> {
    const row = this.get(id);
    return createTarget(row.kind, row.config, await this.secrets.get(id));
  }
}
