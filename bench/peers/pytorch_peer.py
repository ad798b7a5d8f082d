#!/usr/bin/env python3
"""PyTorch (CPU) peer for `cher-hedger bench`.

Trains exactly the engine's deep-hedging workload with stock PyTorch ops and
autograd, and prints ONE JSON line on stdout:

  {"peer":"pytorch","threads":..,"pathStepsPerSecond":..,"iterations":..,
   "seconds":..,"finalLoss":..,"version":..}

Workload (one iteration):
  - B paths x N steps of driftless GBM, S0 = 1, T = 30/365, sigma = 0.2,
    fresh normals every iteration (torch.randn inside the step);
  - one MLP shared across steps: (tau_k = 1 - k/N, x_k, delta_{k-1}) ->
    Linear(3,H) ReLU -> Linear(H,H) ReLU -> Linear(H,1) tanh = delta_k,
    delta_{-1} = 0; the spot input x_k is the engine's: the log-moneyness
    log(S_k/K) / (sigma sqrt T) (K = 1 here), or S_k with --features spot;
  - PnL = sum_k delta_k (S_{k+1}-S_k) - kappa sum_k |delta_k - delta_{k-1}| S_k
          - kappa |delta_{N-1}| S_N   (cost term always computed);
  - Z = max(S_N - 1, 0), trainable premium p0, loss = mean((p0 + PnL - Z)^2);
  - backprop through the unrolled recurrence, Adam(lr 0.005).
Throughput = B * N * iterations / seconds, timed after a short warm-up.

Run with the Debian interpreter (python3-torch is a Debian package):
  /usr/bin/python3 bench/peers/pytorch_peer.py --batch 4096 --steps 30 --hidden 16 \
      --seconds 10 --threads 2
Progress (--every K) goes to stderr so stdout stays a single JSON line.
"""
import argparse
import json
import math
import os
import sys
import time



def import_torch():
    # Imported after argument parsing so that --omp-wait-policy can be put in
    # the environment before libgomp initialises (it reads it once, at load).
    try:
        import torch
    except ImportError as e:  # pragma: no cover
        sys.stderr.write(
            f"torch peer: cannot import torch with {sys.executable} ({e}).\n"
            "Install the Debian package (apt-get install -y python3-torch) and run "
            "this script with /usr/bin/python3.\n")
        sys.exit(2)
    return torch


MATURITY = 30.0 / 365.0
SIGMA = 0.2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10.0,
                    help="wall-clock budget for the timed part (after warm-up)")
    ap.add_argument("--threads", type=int, default=0,
                    help="torch.set_num_threads (0 = leave torch's default)")
    ap.add_argument("--cost", type=float, default=0.0,
                    help="proportional transaction cost kappa")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--max-iterations", type=int, default=0,
                    help="cap on timed iterations (0 = budget-bound only)")
    ap.add_argument("--lr", type=float, default=0.005)
    ap.add_argument("--features", choices=["log-moneyness", "spot"], default="log-moneyness")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--every", type=int, default=0,
                    help="print loss/p0 to stderr every K iterations")
    ap.add_argument("--omp-wait-policy", choices=["active", "passive"], default=None,
                    help="set OMP_WAIT_POLICY before torch loads (default: inherit). "
                         "'passive' keeps --threads 2 usable on a loaded 2-core box")
    a = ap.parse_args()

    if a.omp_wait_policy:
        os.environ["OMP_WAIT_POLICY"] = a.omp_wait_policy.upper()
    torch = import_torch()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    B, N, H, kappa = a.batch, a.steps, a.hidden, a.cost
    dt = MATURITY / N
    drift = -0.5 * SIGMA * SIGMA * dt
    vol = SIGMA * math.sqrt(dt)

    net = torch.nn.Sequential(
        torch.nn.Linear(3, H), torch.nn.ReLU(),
        torch.nn.Linear(H, H), torch.nn.ReLU(),
        torch.nn.Linear(H, 1), torch.nn.Tanh(),
    )
    p0 = torch.nn.Parameter(torch.zeros(()))
    opt = torch.optim.Adam(list(net.parameters()) + [p0], lr=a.lr)

    tau_cols = [torch.full((B, 1), 1.0 - k / N) for k in range(N)]
    # log(S/K) / (sigma sqrt T) with K = 1: log S is the path's cumulative sum, so one multiply a step.
    inv_vol_root_t = 1.0 / (SIGMA * math.sqrt(MATURITY))
    log_moneyness = a.features == "log-moneyness"
    zero_delta = torch.zeros(B, 1)
    zero_row = torch.zeros(1, B, 1)

    def loss_fn() -> torch.Tensor:
        z = torch.randn(N, B, 1)
        log_s = torch.cat([zero_row, torch.cumsum(z * vol + drift, dim=0)], dim=0)
        s = torch.exp(log_s)  # [N+1, B, 1], S0 = 1
        deltas = []
        prev = zero_delta
        x = log_s * inv_vol_root_t if log_moneyness else s
        for k in range(N):
            d = net(torch.cat([tau_cols[k], x[k], prev], dim=1))
            deltas.append(d)
            prev = d
        D = torch.stack(deltas, 0)  # [N, B, 1]
        D_prev = torch.cat([zero_row, D[:-1]], 0)
        s_front, s_back, s_n = s[:-1], s[1:], s[N]
        gains = (D * (s_back - s_front)).sum(0)
        trade = ((D - D_prev).abs() * s_front).sum(0)
        unwind = deltas[-1].abs() * s_n
        pnl = gains - kappa * (trade + unwind)
        payoff = torch.clamp(s_n - 1.0, min=0.0)
        return ((p0 + pnl - payoff) ** 2).mean()

    it = 0
    last = float("nan")

    def step() -> float:
        nonlocal it
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        opt.step()
        it += 1
        v = loss.item()
        if a.every and (it % a.every == 0):
            print(json.dumps({"iteration": it, "loss": v, "p0": p0.item()}), file=sys.stderr)
        return v

    for _ in range(a.warmup):
        last = step()

    iterations = 0
    t0 = time.perf_counter()
    elapsed = 0.0
    while True:
        last = step()
        iterations += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= a.seconds or (a.max_iterations and iterations >= a.max_iterations):
            break

    print(json.dumps({
        "peer": "pytorch",
        "threads": torch.get_num_threads(),
        "pathStepsPerSecond": B * N * iterations / elapsed if elapsed > 0 else 0.0,
        "iterations": iterations,
        "seconds": elapsed,
        "finalLoss": last,
        "p0": p0.item(),
        "version": torch.__version__,
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY", "default"),
        "batch": B, "steps": N, "hidden": H, "cost": kappa,
    }))


if __name__ == "__main__":
    main()
