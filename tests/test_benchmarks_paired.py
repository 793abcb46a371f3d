"""The benchmarks' paired comparison (benchmarks/paired.py): a request at parity is not
called slower whatever the drift shared by both servers, a consistent difference is found,
one stalled round decides nothing, and the median ratio's interval is the order-statistic
interval, checked against binomial sums written out here."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter

import pytest

from support import benchmark_module

paired = benchmark_module("paired")


def _rounds(factor: float, seed: int, n: int = 30) -> tuple[list[float], list[float]]:
    """Two servers whose times share a drift of up to 2x between rounds, each with its own
    noise of a few percent; the first takes `factor` times the second's time."""
    rng = random.Random(seed)
    first, second = [], []
    for _ in range(n):
        drift = rng.uniform(4.0, 8.0)
        first.append(drift * factor * rng.uniform(0.97, 1.03))
        second.append(drift * rng.uniform(0.97, 1.03))
    return first, second


def test_parity_under_shared_drift_is_not_called_slower() -> None:
    verdicts = [paired.compare(*_rounds(1.0, seed)).verdict for seed in range(200)]
    # one-sided tests at 5% each way: about one run in twenty is called either
    assert verdicts.count("slower") <= 15
    assert verdicts.count("faster") <= 15
    assert verdicts.count("parity") >= 170


def test_a_consistent_difference_is_found_both_ways() -> None:
    assert paired.compare(*_rounds(1.05, 1)).verdict == "slower"
    assert paired.compare(*_rounds(0.95, 2)).verdict == "faster"
    found = paired.compare(*_rounds(1.05, 3))
    assert found.verdict == "slower"
    assert found.first_slower > found.second_slower
    assert found.low <= found.ratio <= found.high
    assert found.low > 1.0 and found.high < 1.12


def test_one_stalled_round_decides_nothing() -> None:
    first, second = _rounds(1.0, 5)
    at_parity = paired.compare(first, second)
    first[7] *= 20  # a pause on the first server in one round
    stalled = paired.compare(first, second)
    assert at_parity.verdict == "parity"
    assert stalled.verdict == "parity"
    assert abs(stalled.ratio - at_parity.ratio) < 0.02


def test_the_interval_is_the_order_statistic_interval() -> None:
    for n in (5, 6, 10, 30, 31):
        ratios = [1.0 + i / 100 for i in range(n)]
        found = paired.compare(ratios, [1.0] * n)
        # the largest k with P(Binomial(n, 1/2) <= k - 1) <= 2.5%, written out
        k = max(
            (k for k in range(n + 1) if sum(math.comb(n, j) for j in range(k)) / 2**n <= 0.025),
            default=0,
        )
        if k == 0:
            assert (found.low, found.high) == (ratios[0], ratios[-1])
        else:
            assert (found.low, found.high) == (ratios[k - 1], ratios[n - k])
    assert paired.compare([float(i) for i in range(1, 31)], [1.0] * 30).low == 10.0


def test_unpaired_times_are_refused() -> None:
    with pytest.raises(ValueError, match="same number"):
        paired.compare([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="same number"):
        paired.compare([], [])


def test_the_twins_spread_is_their_largest_ratio_either_way_round() -> None:
    found = [paired.compare(*_rounds(f, seed)) for seed, f in enumerate((1.0, 1.04, 0.93))]
    expected = max(max(f.ratio, 1 / f.ratio) for f in found)
    assert expected > 1.06  # the 0.93 server, the other way round
    assert paired.spread(found) == expected
    assert paired.spread([]) == 1.0


def test_slower_beyond_the_twins_needs_the_whole_interval_above_their_spread() -> None:
    twins = [paired.compare(*_rounds(1.0, seed)) for seed in range(32)]
    spread = paired.spread(twins)
    near = paired.compare(*_rounds(1.02, 3))
    far = paired.compare(*_rounds(1.25, 4))
    assert far.verdict == "slower" and paired.beyond(far, spread)
    assert not paired.beyond(near, spread)
    faster = paired.compare(*_rounds(0.75, 5))
    assert not paired.beyond(faster, 0.5)  # only a "slower" can be beyond


def test_paired_rounds_ask_each_server_right_after_every_other(monkeypatch) -> None:
    """With three servers, rotating who goes first would always ask A right after C; the
    rounds go through every order instead, and two servers simply alternate."""
    diverse = benchmark_module("diverse")
    import benchmarks.run as run  # importable once diverse.py has put the checkout on the path

    asked: list[int] = []
    monkeypatch.setattr(run, "timed", lambda port, path: asked.append(port) or 1.0)
    times = diverse.paired_rounds([1, 2, 3], ["a", "b"], 6, random.Random(1))
    assert all(len(side) == 6 for path in times.values() for side in path)
    follows = Counter(itertools.pairwise(asked))
    pairs = [(x, y) for x in (1, 2, 3) for y in (1, 2, 3) if x != y]
    assert min(follows[pair] for pair in pairs) >= 4, follows
    asked.clear()
    diverse.paired_rounds([1, 2], ["a"], 4, random.Random(1))
    assert asked == [1, 2, 2, 1, 1, 2, 2, 1]
