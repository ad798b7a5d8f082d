#!/usr/bin/env python3
"""QuantLib peer for the American-option benchmark (Debian's python3-quantlib).

Prices one American option with BinomialVanillaEngine('crr', steps) or MCAmericanEngine (Longstaff-Schwartz:
pseudo-random paths, `dates` time steps, Laguerre basis of order 3, `paths` calibration paths then `paths`
independent pricing paths) and prints one JSON line: price, errorEstimate (MC), seconds (NPV only).
"""
import argparse
import json
import time

import QuantLib as ql


def main():
    a = argparse.ArgumentParser()
    a.add_argument('--method', choices=['lattice', 'lsm'], required=True)
    a.add_argument('--option', choices=['put', 'call'], default='put')
    a.add_argument('--spot', type=float, default=36.0)
    a.add_argument('--strike', type=float, default=40.0)
    a.add_argument('--rate', type=float, default=0.06)
    a.add_argument('--dividend', type=float, default=0.0)
    a.add_argument('--volatility', type=float, default=0.2)
    a.add_argument('--maturity', type=float, default=1.0, help='years; rounded to whole days of Actual/365')
    a.add_argument('--steps', type=int, default=10000)
    a.add_argument('--paths', type=int, default=100000)
    a.add_argument('--dates', type=int, default=50)
    a.add_argument('--seed', type=int, default=42)
    args = a.parse_args()

    today = ql.Date(1, 1, 2024)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    days = round(args.maturity * 365)
    spot = ql.QuoteHandle(ql.SimpleQuote(args.spot))
    process = ql.BlackScholesMertonProcess(
        spot,
        ql.YieldTermStructureHandle(ql.FlatForward(today, args.dividend, dc)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, args.rate, dc)),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), args.volatility, dc)),
    )
    kind = ql.Option.Put if args.option == 'put' else ql.Option.Call
    option = ql.VanillaOption(ql.PlainVanillaPayoff(kind, args.strike), ql.AmericanExercise(today, today + days))
    if args.method == 'lattice':
        option.setPricingEngine(ql.BinomialVanillaEngine(process, 'crr', args.steps))
    else:
        option.setPricingEngine(ql.MCAmericanEngine(
            process, 'pseudorandom', timeSteps=args.dates, polynomOrder=3, polynomType=ql.LsmBasisSystem.Laguerre,
            requiredSamples=args.paths, nCalibrationSamples=args.paths, seed=args.seed))
    t0 = time.perf_counter()
    price = option.NPV()
    seconds = time.perf_counter() - t0
    error = option.errorEstimate() if args.method == 'lsm' else None
    print(json.dumps({'engine': 'QuantLib ' + ql.__version__, 'method': args.method, 'price': price,
                      'errorEstimate': error, 'seconds': seconds, 'maturity': days / 365}))


if __name__ == '__main__':
    main()
