import * as echarts from 'echarts';
import { ruNumber } from '../format.js';

/**
 * A small line of one subject's running average over the weeks of the period (the student's
 * extract), as SVG rendered on the server (ECharts SSR, no script in the document). The scale is
 * the mark scale, 2 to 5, so that lines of different subjects compare at a glance.
 */
export function dynamicsChart(points: readonly { label: string; value: number | null }[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 170, height: 44 });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: "'PT Sans', sans-serif", fontSize: 8 },
      grid: { left: 16, right: 22, top: 5, bottom: 5 },
      xAxis: { type: 'category', data: points.map((p) => p.label), show: false },
      yAxis: {
        type: 'value',
        min: 2,
        max: 5,
        interval: 1,
        axisLabel: { fontSize: 7, color: '#666' },
        splitLine: { lineStyle: { color: '#ddd' } },
      },
      series: [
        {
          type: 'line',
          data: points.map((p) => (p.value === null ? '-' : p.value)),
          connectNulls: true,
          symbolSize: 3,
          lineStyle: { color: '#3b6db3', width: 1.5 },
          itemStyle: { color: '#3b6db3' },
          // Only the latest value is written, with a comma as in the tables.
          label: {
            show: true,
            position: 'right',
            fontSize: 7,
            formatter: (p: { dataIndex: number; value: unknown }) =>
              p.dataIndex === points.length - 1 ? ruNumber(Number(p.value), 2) : '',
          },
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
