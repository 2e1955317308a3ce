/**
 * The supervision figures exported: as CSV for a spreadsheet, and as a PDF report with the
 * screen's charts (the same ECharts options, rendered to SVG here), signed by the workstation.
 * Both carry exactly the numbers of `stats.summary`.
 */
import { rgb } from '@cantoo/pdf-lib';
import * as echarts from 'echarts';
import type { StatsDto, StatsScope } from '../../../shared/api/statistics';
import {
  figuresOf,
  formatStatValue,
  STAT_METRIC_INFO,
  STAT_METRICS,
  statChartOption,
  statKeyZh,
  statMetricZh,
} from '../../../shared/rules/statistics';
import { dateIn, dateTimeIn } from '../../../shared/time';
import { signAndSave } from '../../platform/pdf/pades';
import { newDoc, Writer, zoneNote } from '../../platform/pdf/writer';
import type { Signer } from '../../platform/pki';
import { csvField } from '../../platform/csv';

const MM = 72 / 25.4;

/** The unit as the report names it. */
export function unitName(scope: StatsScope): string {
  return scope.unit === undefined ? '全部单位' : scope.unit === null ? '未指定单位' : scope.unit;
}

/** The period as the report names it: the first and the last day, in the agency's zone. */
export function periodName(scope: StatsScope, timeZone: string): string {
  return `${dateIn(scope.from, timeZone)} 至 ${dateIn(scope.to - 1, timeZone)}`;
}

/** Every figure as a CSV row: 项目, 分项, 数值, 涉及案件数. */
export function statsCsv(dto: StatsDto, timeZone: string): string {
  const lines = [
    ['统计期间', periodName(dto.scope, timeZone)].map(csvField).join(','),
    ['单位', unitName(dto.scope)].map(csvField).join(','),
    ['统计时间', dateTimeIn(dto.at, timeZone)].map(csvField).join(','),
    '',
    ['项目', '分项', '数值', '单位', '涉及案件数'].map(csvField).join(','),
  ];
  for (const metric of STAT_METRICS)
    for (const f of figuresOf(dto.figures, metric))
      lines.push(
        [
          statMetricZh(metric),
          statKeyZh(metric, f.key),
          formatStatValue(metric, f.value),
          STAT_METRIC_INFO[metric].unit === 'duration' ? '小时' : '项',
          f.cases,
        ]
          .map(csvField)
          .join(','),
      );
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

const CHART_FONT = 'AttestSans';

/** One figure's chart as SVG, or null for a figure without one. */
export function statChartSvg(dto: StatsDto, metric: (typeof STAT_METRICS)[number]): string | null {
  const option = statChartOption(dto.figures, metric, statKeyZh, {
    fontFamily: CHART_FONT,
    animation: false,
  });
  if (!option) return null;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 460, height: 200 });
  try {
    chart.setOption(option);
    // pdf-lib's SVG reader splits a `style` on `;` only when a space follows it.
    return chart.renderToSVGString().replace(/;(?=[a-z-]+:)/g, '; ');
  } finally {
    chart.dispose();
  }
}

export async function renderStatsReport(
  dto: StatsDto,
  o: { timeZone: string; signer: Signer; by: string },
): Promise<Buffer> {
  const title = '行政执法全过程记录统计报表';
  const { pdf, font, metrics } = await newDoc(undefined, title);
  const w = Writer.withRunningHeader(pdf, font, metrics, `${title} · ${unitName(dto.scope)}`);
  w.newPage();
  w.title(title, zoneNote(o.timeZone, dto.at));
  w.row('统计期间', periodName(dto.scope, o.timeZone));
  w.row('单位', unitName(dto.scope));
  w.row('统计时间', dateTimeIn(dto.at, o.timeZone));
  w.row('制表人', o.by);
  w.rule();
  for (const metric of STAT_METRICS) {
    const info = STAT_METRIC_INFO[metric];
    const parts = figuresOf(dto.figures, metric);
    const svg = statChartSvg(dto, metric);
    w.ensure(14 * MM + parts.length * 6 * MM + (svg ? 72 * MM : 0));
    w.text(statMetricZh(metric), { size: 12, gap: 1 });
    w.text(info.counts, { size: 8, color: rgb(0.42, 0.44, 0.48), gap: 2 });
    w.table(
      ['分项', info.unit === 'duration' ? '小时' : '数值', '涉及案件'],
      [70 * MM, 40 * MM],
      parts.map((f) => [
        statKeyZh(metric, f.key),
        formatStatValue(metric, f.value),
        String(f.cases),
      ]),
      { rules: true },
    );
    if (svg) {
      const h = 200 * 0.75;
      w.ensure(h + 4 * MM);
      w.page.drawSvg(svg, {
        x: w.margin,
        y: w.y,
        width: 460 * 0.75,
        height: h,
        fonts: { [CHART_FONT]: font },
      });
      w.y -= h + 4 * MM;
    }
  }
  w.text('本报表由工作站依据记录自动生成，各项数字与同期导出的 CSV 一致。', {
    size: 8,
    color: rgb(0.42, 0.44, 0.48),
    gap: 4,
  });
  w.numberPages();
  const pages = pdf.getPages();
  return signAndSave(pdf, pages[pages.length - 1]!, o.signer, {
    signingTime: new Date(dto.at),
    reason: title,
  });
}
