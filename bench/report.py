"""Render the figures as the Markdown table that BENCHMARKS.md quotes."""

import json
import time
from pathlib import Path

from bench.timing import Figure


def markdown(figures: list[Figure], machine: dict) -> str:
    """Return a Markdown table of the figures, then the machine they ran on."""
    lines = [
        "| benchmark | figure | value | reference | ratio | target | met |",
        "|---|---|---:|---|---:|---:|:---:|",
    ]
    lines += [_row(f) for f in figures]
    lines.append("")
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    notes = [(f, k, v) for f in figures for k, v in f.notes.items()]
    lines += [f"- {f.name.strip()}: {k} = {_number(v)}" for f, k, v in notes]
    return "\n".join(lines)


def _row(f: Figure) -> str:
    reference = (
        f"{f.reference} ({_number(f.reference_value)} {f.unit})" if f.reference else ""
    )
    ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
    target = ""
    if f.target is not None:
        sign = "≥" if f.at_least else "≤"
        target = f"{sign} {f.target:g}{'×' if f.on == 'ratio' else ' ' + f.unit}"
    met = {True: "yes", False: "**no**", None: ""}[f.met]
    value = f"{_number(f.value)} {f.unit}"
    cells = (f.benchmark, f.name, value, reference, ratio, target, met)
    return "| " + " | ".join(cells) + " |"


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def save(figures: list[Figure], machine: dict, folder: Path, size: str) -> Path:
    """Write the figures and machine as JSON under folder; return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{size}.json"
    payload = {"machine": machine, "figures": [_as_dict(f) for f in figures]}
    path.write_text(json.dumps(payload, indent=2, default=str))
    return path


def _as_dict(f: Figure) -> dict:
    return {**f.__dict__, "ratio": f.ratio, "met": f.met}
