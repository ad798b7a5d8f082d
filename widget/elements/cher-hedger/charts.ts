// <cher-hedger>'s six charts as the base draws them: title, options, guarded data, legend and label.
import type { ChartSpec } from '../base/types.js';
import { histogramData, lossData, pathData, policyData, priceData, rewardData } from './chart-data.js';
import { chartOptions, toDrawOrder, type ChartId } from './chart-options.js';
import { chartLabel, policyLabels } from './labels.js';
import { legend } from './legends.js';
import type { HedgingView } from './results.js';
import type { HedgerColor } from './theme.js';
import type { Palette } from '../base/uplot.js';

const TITLES: Record<ChartId, string> = {
  loss: 'Training loss (log scale)',
  price: 'Price vs Black-Scholes',
  path: 'A test path: spot and hedges',
  rewards: 'The test path: P&L per step',
  histogram: 'Hedged P&L on the test set',
  policy: 'Hedge vs spot at mid-life',
};

export function hedgingCharts(view: HedgingView): ChartSpec[] {
  const { results } = view;
  const fromReport = (build: (r: NonNullable<HedgingView['report']>) => ReturnType<ChartSpec['data']>) => () =>
    view.report ? build(view.report) : null;
  const data: Record<ChartId, ChartSpec['data']> = {
    loss: () => lossData(results.loss),
    price: () => priceData(results.batchPrice, results.testPrice, view.report?.bsPrice ?? results.bsPrice),
    path: fromReport(pathData),
    rewards: fromReport(rewardData),
    histogram: fromReport((r) => toDrawOrder(histogramData(r))),
    policy: fromReport(policyData),
  };
  return (Object.keys(TITLES) as ChartId[]).map((id) => ({
    id,
    title: TITLES[id],
    options: (palette) => chartOptions(id, palette as Palette<HedgerColor>, policyLabels(view)),
    data: data[id],
    legend: () => legend(id, view),
    label: () => chartLabel(id, view),
  }));
}
