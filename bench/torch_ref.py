"""PyTorch references for bench/run.sh: prints one JSON object mapping case
names to median milliseconds. Runs with Debian's python3-torch
(/usr/bin/python3); never a dependency of Graft itself."""
import json
import sys
import time

import torch


def median_ms(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[len(times) // 2]


def main(threads, quick):
    torch.set_num_threads(threads)
    repeats = 5 if quick else 20
    torch.manual_seed(0)
    x, y, z = (torch.rand(1000, 1000) for _ in range(3))
    results = {}
    results["seed_fwd"] = median_ms(lambda: torch.mean(torch.matmul(x, y) * z),
                                    repeats)

    def forward_backward():
        xs, ys, zs = (t.clone().requires_grad_() for t in (x, y, z))
        torch.mean(torch.matmul(xs, ys) * zs).backward()

    results["seed_fwd_bwd"] = median_ms(forward_backward, repeats)
    big = [torch.rand(4096, 4096) for _ in range(3)]
    results["chain"] = median_ms(lambda: torch.relu(big[0] * big[1] + big[2]),
                                 repeats)
    results["sum"] = median_ms(lambda: big[0].sum(), repeats)
    results["mean_dim1"] = median_ms(lambda: big[0].mean(dim=1), repeats)
    results["softmax"] = median_ms(lambda: torch.softmax(big[0], dim=1),
                                   repeats)
    print(json.dumps(results))


if __name__ == "__main__":
    main(int(sys.argv[1]), "--quick" in sys.argv)
