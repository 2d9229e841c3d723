"""One result row per figure, printed as a text table and written as Markdown.

A row always says what ran (the exact command) next to its number, so every figure in
RESULTS.md can be reproduced by hand. A row that could not be measured says why
("skipped: …") instead of carrying a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

PASS = "pass"
MISS = "MISS"
INFO = "info"


@dataclass
class Row:
    """One figure."""

    figure: str
    ours: str = "—"
    baseline: str = "—"
    ratio: str = "—"
    target: str = "—"
    verdict: str = INFO
    command: str = ""
    notes: List[str] = field(default_factory=list)

    @staticmethod
    def skipped(figure: str, why: str, command: str = "") -> "Row":
        return Row(figure, verdict=f"skipped: {why}", command=command)

    @staticmethod
    def error(figure: str, why: str, command: str = "") -> "Row":
        return Row(figure, verdict=f"error: {why}", command=command)

    @property
    def is_error(self) -> bool:
        return self.verdict.startswith("error")

    @property
    def is_miss(self) -> bool:
        return self.verdict == MISS


def verdict(ok: Optional[bool]) -> str:
    """pass / MISS, or info when there is no target."""
    if ok is None:
        return INFO
    return PASS if ok else MISS


def text_table(rows: List[Row]) -> str:
    """A fixed-width table for the terminal; the command goes on its own line under each row."""
    head = ("figure", "ours", "baseline", "ratio", "target", "result")
    cells = [head] + [(r.figure, r.ours, r.baseline, r.ratio, r.target, r.verdict) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    widths[-1] = min(widths[-1], 60)

    def line(c: tuple) -> str:
        return "  ".join(str(v).ljust(w) for v, w in zip(c, widths)).rstrip()

    out = [line(head), "  ".join("-" * w for w in widths)]
    for r, c in zip(rows, cells[1:]):
        out.append(line(c))
        if r.command:
            out.append(f"    $ {r.command}")
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: List[Row]) -> str:
    """The same rows as a Markdown table (commands in code spans)."""
    out = [
        "| figure | ours | baseline | ratio | target | result | command |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cmd = f"`{_md(r.command)}`" if r.command else ""
        out.append(
            f"| {_md(r.figure)} | {_md(r.ours)} | {_md(r.baseline)} | {_md(r.ratio)} | "
            f"{_md(r.target)} | {_md(r.verdict)} | {cmd} |"
        )
    return "\n".join(out)
