// The `quotes` of <cher-bounds>: an array of {maturity, strike, call} as a property, or attribute text in
// either of two forms, told apart by the first character: JSON (an array of such objects, or of
// [maturity, strike, call] triples) or the CLI's CSV with the header `maturity,strike,call`.
import { parseQuotesCsv, type CallQuote } from '../../models/bounds/solve.js';

export const QUOTES_FORMS = 'call quotes {maturity, strike, call}: an array (property), JSON text, or CSV text with the header maturity,strike,call';

/** The quotes as an array, or a message saying what is wrong (undefined when there are none). */
export function readQuotes(value: unknown): { quotes?: CallQuote[]; problem?: string } {
  if (value === undefined || value === null || value === '') return {};
  let list: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        list = JSON.parse(text);
      } catch (e) {
        return { problem: `${QUOTES_FORMS} (the JSON does not parse: ${(e as Error).message})` };
      }
    } else {
      try {
        return { quotes: parseQuotesCsv(text, 'quotes') };
      } catch (e) {
        return { problem: (e as { problems?: { allowed: string }[] }).problems?.map((p) => p.allowed).join('; ') ?? String(e) };
      }
    }
  }
  if (!Array.isArray(list) || list.length === 0) return { problem: QUOTES_FORMS };
  const quotes: CallQuote[] = [];
  for (const [i, q] of list.entries()) {
    const [maturity, strike, call] = Array.isArray(q) ? q : [q?.maturity, q?.strike, q?.call];
    if (![maturity, strike, call].every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return { problem: `${QUOTES_FORMS} (entry ${i + 1} is ${JSON.stringify(q)})` };
    }
    quotes.push({ maturity, strike, call });
  }
  return { quotes };
}
