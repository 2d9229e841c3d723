"""Medians and the alternating schedule every two-sided figure uses.

Both sides of a figure run in one session against one sandbox, interleaved A B B A A B …, so
a slow spell on a shared machine lands on both sides rather than on one. Each round gives one
ratio of two runs made seconds apart; the figure is the median of those ratios, which a busy
neighbour moves far less than it moves either side's own numbers.
"""

from __future__ import annotations

import statistics
from typing import Callable, Dict, List, Sequence, Tuple, TypeVar

T = TypeVar("T")


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def alternate(reps: int, sides: Dict[str, Callable[[], T]]) -> Dict[str, List[T]]:
    """Runs every side `reps` times, reversing the order on every other round."""
    names = list(sides)
    out: Dict[str, List[T]] = {n: [] for n in names}
    for i in range(reps):
        order = names if i % 2 == 0 else list(reversed(names))
        for name in order:
            out[name].append(sides[name]())
    return out


def paired_ratio(ours: Sequence[float], base: Sequence[float]) -> Tuple[float, float, float]:
    """(median, min, max) of the per-round ratios ours[i] / base[i]."""
    ratios = [o / b for o, b in zip(ours, base)]
    return median(ratios), min(ratios), max(ratios)


def fmt_ratio(x: float) -> str:
    return f"{x:.2f}×"


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def fmt_rate(per_second: float) -> str:
    return f"{per_second:,.0f}/s"
