/**
 * The label sheet and disc record of a set: a page per recorded disc (or per planned copy
 * before any is made), saved next to the set's images and handed to the client.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { DiscDto, PdfDto } from '../../../shared/api/discs';
import { dateTimeIn } from '../../../shared/time';
import type { DiscBundles } from './bundles';
import { caseOf, type DiscsEnv } from './env';
import { renderLabelSheet, type LabelDisc } from './label-pdf';
import type { DiscRecords } from './records';

export class DiscLabels {
  constructor(
    private readonly env: DiscsEnv,
    private readonly bundles: DiscBundles,
    private readonly records: DiscRecords,
  ) {}

  /** The label sheet and disc record: a page per recorded disc (or per planned copy before any). */
  async labels(setId: number): Promise<PdfDto> {
    const { env } = this;
    const s = this.records.getSet(setId);
    const c = caseOf(env, s.caseId);
    const sources = await this.bundles.sources(s.caseId);
    const discs: LabelDisc[] = [];
    const pages = s.discs.length
      ? s.discs.map((d) => ({ disc: d.discNumber, copy: d.copyNumber, row: d }))
      : s.images.flatMap((im) =>
          Array.from({ length: s.copies }, (_, k) => ({
            disc: im.discNumber,
            copy: k + 1,
            row: null as DiscDto | null,
          })),
        );
    for (const p of pages) {
      const im = s.images.find((i) => i.discNumber === p.disc)!;
      discs.push({
        serial: p.row?.serial ?? `${s.setNo}-D${p.disc}-C${p.copy}`,
        discNumber: p.disc,
        discCount: s.images.length,
        copyNumber: p.copy,
        copies: s.copies,
        volumeId: im.volumeId,
        registerSha256: im.registerSha256,
        medium: s.medium,
        madeBy: p.row?.madeBy ?? s.createdBy,
        madeAt: p.row?.madeAt ?? s.createdAt,
        productionMethod: `Attest ${env.opts.version}：封存包原样写入 ISO 9660 第 3 级 + Rock Ridge + Joliet 映像（xorriso），${p.row?.kind === 'image' ? '保存为映像文件' : `${env.burner.kind === 'imapi2' ? 'IMAPI2' : 'xorriso'} 刻录并封盘`}`,
        verification: p.row
          ? p.row.result === 'verified'
            ? `${dateTimeIn(p.row.verifiedAt!, env.tz)} 逐文件读回，与封存包清单核对一致`
            : p.row.result === 'failed'
              ? `核验失败：${p.row.problems.length} 处不符${
                  p.row.problems[0]?.file ? `（首处：${p.row.problems[0].file}）` : ''
                }，此盘不得作为证据归档`
              : '尚未核验'
          : '尚未刻录',
        bundles: im.bundles.map((b) => {
          const src = sources.get(b.name);
          return {
            name: b.name,
            part: b.part,
            tagManifestSha512: src?.tagManifestSha512 ?? '',
            info: src?.info ?? {},
          };
        }),
      });
    }
    const pdf = await renderLabelSheet({
      setNo: s.setNo,
      caseNo: c.caseNo,
      cause: c.cause,
      purpose: (this.records.setRow(setId).purpose ?? null) || null,
      discs,
      timeZone: env.tz,
    });
    const fileName = `${s.setNo}-labels.pdf`;
    const savedAt = join(env.opts.dataDir, 'discs', s.setNo, fileName);
    await fsp.writeFile(savedAt, pdf);
    return { fileName, data: Buffer.from(pdf).toString('base64'), savedAt };
  }
}
