"""PyTorch references for bench/run.sh: `torch_ref.py T [--quick]` runs
every case on T threads and prints one JSON object mapping case names to
median milliseconds. The names are those of bench/GraftBench.cpp's cases, so
that run.sh can pair them. Runs with Debian's python3-torch
(/usr/bin/python3); never a dependency of Graft itself.

Debian's torch does its matmuls in OpenBLAS (pthreads), whose thread count
torch.set_num_threads does not set: without OPENBLAS_NUM_THREADS a "1T"
matmul runs on every core. The variable must be set before torch loads."""
import json
import os
import sys
import time

if __name__ == "__main__":
    os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[1]
    os.environ["OMP_NUM_THREADS"] = sys.argv[1]

import torch  # noqa: E402 (after the thread counts)
import torch.nn.functional as F  # noqa: E402


def median_ms(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[len(times) // 2]


def seed_cases(results, repeats):
    """mean((x @ y) * z) at 1000^2, forward and forward + backward."""
    x, y, z = (torch.rand(1000, 1000) for _ in range(3))
    results["seed forward 1000^2"] = median_ms(
        lambda: torch.mean(torch.matmul(x, y) * z), repeats)

    def forward_backward():
        xs, ys, zs = (t.clone().requires_grad_() for t in (x, y, z))
        torch.mean(torch.matmul(xs, ys) * zs).backward()

    results["seed fwd+bwd 1000^2"] = median_ms(forward_backward, repeats)


def mlp_case(results, repeats):
    """One training step: forward, loss, loss.backward() for w1, b1, w2, b2
    (GraftBench.cpp's addMlp: batch 256, 1024 inputs, 1024 hidden, 10
    classes, random soft targets)."""
    x, y = torch.rand(256, 1024), torch.rand(256, 10)
    params = [torch.rand(1024, 1024), torch.rand(1024), torch.rand(1024, 10),
              torch.rand(10)]
    for p in params:
        p.requires_grad_()
    w1, b1, w2, b2 = params

    def step():
        for p in params:
            p.grad = None
        logits = torch.relu(x @ w1 + b1) @ w2 + b2
        loss = -torch.mean(torch.sum(y * F.log_softmax(logits, 1), 1))
        loss.backward()

    results["MLP train step 256x1024-1024-10"] = median_ms(step, repeats)


def main(threads, quick):
    torch.set_num_threads(threads)
    repeats = 5 if quick else 20
    torch.manual_seed(0)
    results = {}
    seed_cases(results, repeats)
    mlp_case(results, repeats)
    a, b = torch.rand(64, 128, 128), torch.rand(64, 128, 128)
    results["bmm 64x128x128 @ 64x128x128"] = median_ms(
        lambda: torch.matmul(a, b), repeats)
    big = [torch.rand(4096, 4096) for _ in range(3)]
    results["relu(a*b+c) 4096^2"] = median_ms(
        lambda: torch.relu(big[0] * big[1] + big[2]), repeats)
    results["sum 4096^2"] = median_ms(lambda: big[0].sum(), repeats)
    results["mean dim 1 4096^2"] = median_ms(lambda: big[0].mean(dim=1),
                                             repeats)
    results["softmax 4096^2"] = median_ms(
        lambda: torch.softmax(big[0], dim=1), repeats)
    print(json.dumps(results))


if __name__ == "__main__":
    main(int(sys.argv[1]), "--quick" in sys.argv)
