// The legend under each of <cher-hedger>'s charts, with the latest numbers in it.
import { html, type TemplateResult } from 'lit';
import type { EvaluationReport } from '../../models/hedging/evaluation.js';
import { legendItem as item, swatch } from '../base/template.js';
import { SHADES } from '../base/theme.js';
import { histogramData, histogramTop } from './chart-data.js';
import type { ChartId } from './chart-options.js';
import type { HedgingView } from './results.js';
import { formatPrice, rewardTotals, signed } from './status.js';

const sd = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? ` (sd ${x.toFixed(4)})` : '');

/** Without a hedge, the histogram's tallest bin can run off the chart's top (see histogramTop). */
function noHedgeClipped(r: EvaluationReport): boolean {
  const data = histogramData(r);
  const top = histogramTop(data);
  return (data[3] as (number | null)[]).some((v) => v !== null && v > top);
}

export function legend(id: ChartId, view: HedgingView): TemplateResult[] {
  const r = view.report;
  const p = view.progress;
  switch (id) {
    case 'loss':
      return [item(`loss ${p && Number.isFinite(p.loss) ? p.loss.toExponential(2) : ''}`, 'network')];
    case 'price':
      return [item('batch', 'network'), item('test set', 'network'), item(`Black-Scholes ${formatPrice(view.results.bsPrice)}`, 'bs', { dashed: true })];
    case 'path':
      return [item('spot (left)', 'spot'), item('network hedge (right)', 'network'), item('BS delta', 'bs', { dashed: true })];
    case 'rewards': {
      const t = r ? rewardTotals(r) : null;
      const v = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? ` ${signed(x)}` : '');
      return [
        item(`option${v(t?.option)}`, 'bs', { block: true }), item(`hedge${v(t?.hedge)}`, 'network', { block: true }),
        item(`cost${v(t?.cost)}`, 'cost', { block: true }), item(`total${v(t?.total)}`, 'text'),
      ];
    }
    case 'histogram':
      return [
        item(`network${sd(r?.network.std)}`, 'network'), item(`BS delta${sd(r?.bsDelta.std)}`, 'bs'),
        item(`no hedge${sd(r?.noHedge.std)}${r && noHedgeClipped(r) ? ', its tallest bin runs off the top' : ''}`, 'nohedge'),
      ];
    case 'policy':
      return [
        item('BS delta', 'bs', { dashed: true }),
        html`<li>network, previous hedge
          ${(r ? r.policy.curves : []).map((c, i) => html`${swatch('network', { shade: i % SHADES.length })}${c.previous.toFixed(1)}`)}</li>`,
      ];
  }
}
