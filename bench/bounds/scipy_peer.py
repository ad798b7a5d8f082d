"""Peer for the bounds benchmark: the same multi-period MOT linear programme as widget/models/bounds/lp.ts
(binomial marginals with nodes S0 exp(sigma sqrt(dt) (2k - m)), martingale rows per history), solved by
scipy.optimize.linprog with HiGHS's interior point, presolve off (HiGHS 1.x presolve wrongly reports some of
these LPs infeasible). Prints one JSON line: both bounds and both times (with --repeat N, each side's median and first time).

    /usr/bin/python3 bench/bounds/scipy_peer.py --payoff asian --strike 100 --dates 0.3333333333333333,0.6666666666666666,1 --tree-steps 60
"""
import argparse, json, math, time
import numpy as np
import scipy
from scipy.optimize import linprog
from scipy.sparse import csc_matrix
from scipy.special import gammaln

ap = argparse.ArgumentParser()
ap.add_argument('--payoff', default='asian')
ap.add_argument('--strike', type=float, default=100.0)
ap.add_argument('--dates', default='0.3333333333333333,0.6666666666666666,1')
ap.add_argument('--tree-steps', type=int, default=60)
ap.add_argument('--spot', type=float, default=100.0)
ap.add_argument('--volatility', type=float, default=0.2)
ap.add_argument('--repeat', type=int, default=1, help='solves per side; the times reported are the first and the median')
a = ap.parse_args()

dates = [float(t) for t in a.dates.split(',')]
n = len(dates)
tn = dates[-1]
step = a.volatility * math.sqrt(tn / a.tree_steps)
up = math.exp(step)
p = (1 - 1 / up) / (up - 1 / up)
steps = [round(t / tn * a.tree_steps) for t in dates]
atoms, weights = [], []
for m in steps:
    k = np.arange(m + 1)
    atoms.append(a.spot * np.exp(step * (2 * k - m)))
    weights.append(np.exp(gammaln(m + 1) - gammaln(k + 1) - gammaln(m - k + 1) + k * math.log(p) + (m - k) * math.log1p(-p)))
sizes = [len(x) for x in atoms]
grids = np.meshgrid(*atoms, indexing='ij')
X = np.stack([g.ravel() for g in grids])  # n x cells, row-major (x_1 slowest)
cells = X.shape[1]
if a.payoff == 'asian':
    f = np.maximum(X.mean(axis=0) - a.strike, 0)
elif a.payoff == 'forward-start':
    f = np.maximum(X[-1] - X[-2], 0)
else:
    raise SystemExit(f'unknown payoff {a.payoff}')

rows, cols, vals, rhs = [], [], [], []
col = np.arange(cells)
idx = np.stack([g.ravel() for g in np.meshgrid(*[np.arange(s) for s in sizes], indexing='ij')])
r0 = 0
for i in range(n):
    rows.append(r0 + idx[i]); cols.append(col); vals.append(np.ones(cells)); rhs.append(weights[i]); r0 += sizes[i]
prefix = np.zeros(cells, dtype=np.int64)
count = 1
for i in range(n - 1):
    prefix = prefix * sizes[i] + idx[i]
    count *= sizes[i]
    dx = X[i + 1] - X[i]
    nz = dx != 0
    rows.append(r0 + prefix[nz]); cols.append(col[nz]); vals.append(dx[nz]); rhs.append(np.zeros(count)); r0 += count
A = csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r0, cells))
b = np.concatenate(rhs)

out = {'peer': 'scipy.optimize.linprog highs-ipm presolve off', 'scipy': scipy.__version__, 'cells': cells, 'rows': r0}
for name, sign in (('lower', 1), ('upper', -1)):
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        r = linprog(sign * f, A_eq=A, b_eq=b, bounds=(0, None), method='highs-ipm', options={'presolve': False})
        times.append(time.perf_counter() - t0)
        if r.status != 0:
            raise SystemExit(f'{name}: {r.message}')
    out[name + 'Seconds'] = float(np.median(times))
    out[name + 'FirstSeconds'] = times[0]
    out[name] = float(sign * r.fun)
print(json.dumps(out))
