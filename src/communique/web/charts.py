"""Server-rendered SVG charts: no JavaScript, no external assets."""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["figure_chart", "human_amount"]


def human_amount(value: float, unit: str | None) -> str:
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(value) >= scale:
            return f"{value / scale:,.1f} {word} {unit or ''}".strip()
    return f"{value:,.0f} {unit or ''}".strip()


def figure_chart(points: list[dict[str, Any]], width: int = 640, height: int = 220) -> str:
    """Bars of one measure over time: ``points`` are ``{"year", "value", "unit", "label"}``."""
    points = [p for p in points if p.get("year")]
    if not points:
        return ""
    points.sort(key=lambda p: str(p["year"]))
    top = max(p["value"] for p in points) or 1
    pad_left, pad_bottom, pad_top = 10, 28, 18
    slot = (width - pad_left * 2) / len(points)
    bar = max(6.0, min(48.0, slot * 0.6))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">']
    usable = height - pad_bottom - pad_top
    for i, p in enumerate(points):
        h = max(1.0, usable * p["value"] / top)
        x = pad_left + i * slot + (slot - bar) / 2
        y = pad_top + usable - h
        label = escape(human_amount(p["value"], p.get("unit")))
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="2"><title>{label} ({escape(str(p["year"]))})</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 10}" text-anchor="middle">{escape(str(p["year"]))}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="value">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)
