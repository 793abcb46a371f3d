"""Whether one server answers a request slower than another, from paired rounds.

Two servers on a shared machine drift together and apart from moment to moment (the other
server's threads, the clients, the hypervisor), by more than the difference between two
tables that read the same row groups. Comparing the two medians then calls a request at
parity "slower" about half the time. So each round times both servers back to back (which
goes first alternates), and the verdict is a sign test on the rounds: a request is slower
when the first server took longer in significantly more rounds than chance allows (one-sided,
`ALPHA`), faster the other way round, and at parity otherwise. The sign test counts rounds
rather than averaging times, so one round stalled by a pause on either side cannot decide
it. The median ratio's interval is the distribution-free one from the same binomial law.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from scipy.stats import binom, binomtest

ALPHA = 0.05


@dataclass(frozen=True)
class Paired:
    """First server against second over the same rounds: the median ratio, its interval
    (confidence 1 - ALPHA), the rounds each side was slower in and the verdict."""

    ratio: float
    low: float
    high: float
    first_slower: int
    second_slower: int
    verdict: str  # "slower", "faster" or "parity": the first server's time against the second's


def compare(first: list[float], second: list[float], alpha: float = ALPHA) -> Paired:
    """`first[i]` and `second[i]` are the two servers' times in round i."""
    if len(first) != len(second) or not first:
        raise ValueError("paired rounds need the same number of times on both sides, at least one")
    ratios = sorted(a / b for a, b in zip(first, second, strict=True))
    up = sum(a > b for a, b in zip(first, second, strict=True))
    down = sum(a < b for a, b in zip(first, second, strict=True))
    verdict = "parity"
    if up + down:
        if binomtest(up, up + down, 0.5, alternative="greater").pvalue < alpha:
            verdict = "slower"
        elif binomtest(down, up + down, 0.5, alternative="greater").pvalue < alpha:
            verdict = "faster"
    n = len(ratios)
    # the k-th smallest and k-th largest ratios bound the median with confidence 1 - alpha
    # when P(Binomial(n, 1/2) < k) <= alpha / 2
    k = int(binom.ppf(alpha / 2, n, 0.5))
    low, high = (ratios[k - 1], ratios[n - k]) if k >= 1 else (ratios[0], ratios[-1])
    return Paired(statistics.median(ratios), low, high, up, down, verdict)


def spread(twins: list[Paired]) -> float:
    """How far two identical servers (same code, data and load) differed, as the largest
    of their median ratios either way round over the requests compared: 1.0 when they
    agreed on every request. A server's own state after its load (its caches, its heap, its
    place on the cores) moves its times by this much whatever table it reads."""
    return max((max(t.ratio, 1 / t.ratio) for t in twins), default=1.0)


def beyond(found: Paired, twins_spread: float) -> bool:
    """Whether a "slower" is more than the servers' own difference: the whole interval of
    the median ratio lies above the largest ratio measured between twins in the same run."""
    return found.verdict == "slower" and found.low > twins_spread
