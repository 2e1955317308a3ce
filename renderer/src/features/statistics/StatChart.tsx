/**
 * One figure's chart, drawn by ECharts from the option the shared rules build (the same option
 * the signed PDF report draws); clicking a bar or a slice asks for the cases behind it.
 */
import { useEffect, useEffectEvent, useMemo, useRef } from 'react';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { StatFigure, StatMetric } from '@shared/rules/statistics';
import { statChartOption } from '@shared/rules/statistics';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export function StatChart({
  figures,
  metric,
  label,
  onPick,
}: {
  figures: readonly StatFigure[];
  metric: StatMetric;
  label: (metric: StatMetric, key: string | null) => string;
  onPick: (key: string | null) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const pick = useEffectEvent((key: string | null) => onPick(key));
  const option = useMemo(() => statChartOption(figures, metric, label), [figures, metric, label]);

  useEffect(() => {
    const el = box.current;
    if (!el || !option) return;
    const chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(option);
    chart.on('click', (p) => {
      const data = p.data as { key?: string | null } | undefined;
      if (data && 'key' in data) pick(data.key ?? null);
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [option]);

  if (!option) return null;
  return <div ref={box} className="stat-chart" data-testid={`stat-chart-${metric}`} />;
}
