import * as echarts from 'echarts';
import { ruNumber } from '../format.js';

/**
 * Charts as SVG strings rendered on the server (ECharts SSR): no script runs in the document.
 * Labels pass through ECharts' SVG writer, which escapes text content.
 */

const FONT = "'PT Sans', sans-serif";

function render(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT, fontSize: 11 }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Bars: quality (КЗ, %, over students) per class; a class without results is a missing bar. */
export function qualityChart(points: readonly { label: string; value: number | null }[]): string {
  return render(
    {
      title: {
        text: 'Качество знаний по классам, %',
        left: 'center',
        textStyle: { fontFamily: FONT, fontSize: 13 },
      },
      grid: { left: 40, right: 10, top: 48, bottom: 40 },
      xAxis: {
        type: 'category',
        data: points.map((p) => p.label),
        axisLabel: { interval: 0, rotate: points.length > 16 ? 60 : 0 },
      },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [
        {
          type: 'bar',
          data: points.map((p) => (p.value === null ? '-' : Math.round(p.value * 10) / 10)),
          itemStyle: { color: '#3b6db3' },
          barMaxWidth: 48,
          // Written like the tables: «66,7», not «66.7».
          label: {
            show: points.length <= 24,
            position: 'top',
            fontSize: 9,
            formatter: (p: { value: unknown }) => ruNumber(Number(p.value)),
          },
        },
      ],
    },
    680,
    280,
  );
}

/** Bars: how many period marks of each kind. */
export function distributionChart(items: readonly { label: string; value: number }[]): string {
  const colors = ['#2e7d32', '#7cb342', '#f9a825', '#e53935', '#8e24aa', '#90a4ae'];
  return render(
    {
      title: {
        text: 'Распределение итоговых отметок',
        left: 'center',
        textStyle: { fontFamily: FONT, fontSize: 13 },
      },
      grid: { left: 50, right: 10, top: 48, bottom: 30 },
      xAxis: { type: 'category', data: items.map((i) => i.label) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          data: items.map((i, k) => ({
            value: i.value,
            itemStyle: { color: colors[k % colors.length] },
          })),
          label: { show: true, position: 'top', fontSize: 10 },
        },
      ],
    },
    680,
    260,
  );
}

/**
 * The findings week by week (the web's dashboard): bars of those unresolved at each week's end,
 * lines of those the checks found and those fixed during it.
 */
/** A count as Russian text writes it: «15 000». */
const count = (n: number): string => n.toLocaleString('ru-RU');

export function findingsTrendChart(
  weeks: readonly { label: string; open: number; detected: number; resolved: number }[],
): string {
  return render(
    {
      title: {
        text: 'Замечания по неделям',
        left: 'center',
        textStyle: { fontFamily: FONT, fontSize: 13 },
      },
      legend: { bottom: 0, data: ['Нерешённых на конец недели', 'Выявлено', 'Исправлено'] },
      grid: { left: 50, right: 10, top: 40, bottom: 56 },
      xAxis: { type: 'category', data: weeks.map((w) => w.label), axisLabel: { interval: 0 } },
      // «15 000», not «15,000»: numbers as the tables write them.
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { formatter: (v: number) => count(v) },
      },
      series: [
        {
          name: 'Нерешённых на конец недели',
          type: 'bar',
          data: weeks.map((w) => w.open),
          itemStyle: { color: '#90a4ae' },
          barMaxWidth: 40,
          label: {
            show: true,
            position: 'top',
            fontSize: 10,
            formatter: (p: { value: unknown }) => count(Number(p.value)),
          },
        },
        {
          name: 'Выявлено',
          type: 'line',
          data: weeks.map((w) => w.detected),
          itemStyle: { color: '#e53935' },
        },
        {
          name: 'Исправлено',
          type: 'line',
          data: weeks.map((w) => w.resolved),
          itemStyle: { color: '#2e7d32' },
        },
      ],
    },
    680,
    300,
  );
}
