"""The collaboration picture: agencies on a circle, a line for each pair that shares tasks.

Drawn at build time as static SVG (no JavaScript); the page beside it gives the same facts as a table.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

RADIUS = 300
FONT = 17
"""The labels' font size in the picture's units (style.css sets it)."""

SCALE = 0.7
"""Screen pixels per unit at the picture's own size (its width and height): labels of about 12 px,
however many agencies it holds; a picture wider than the page scrolls in its box."""


def label_width(name: str) -> float:
    """A generous estimate of a label's length: a Chinese character is one em, other characters 0.62 em."""
    return sum(FONT if ord(c) > 0x2E7F else FONT * 0.62 for c in name)


def collaboration_svg(names: list[str], pairs: list[tuple[int, int, int]], title: str, description: str) -> Markup:
    """An SVG of names (placed round a circle) joined by lines whose width grows with shared tasks.

    pairs holds (index, index, shared tasks). The circle grows so that the labels round it do not
    overlap, and the frame (viewBox) takes in every label, however many and however long.
    """
    radius = max(RADIUS, len(names) * FONT * 1.3 / (2 * math.pi))
    points = []
    for i in range(len(names)):
        angle = 2 * math.pi * i / len(names) - math.pi / 2
        points.append((radius * math.cos(angle), radius * math.sin(angle), angle))
    xs, ys = [-radius, radius], [-radius, radius]
    for name, (_, _, angle) in zip(names, points):
        reach = radius + 14 + label_width(name)
        xs.append(reach * math.cos(angle))
        ys.append(reach * math.sin(angle))
    margin = FONT
    left, top = min(xs) - margin, min(ys) - margin
    width, height = max(xs) + margin - left, max(ys) + margin - top
    most = max((n for _, _, n in pairs), default=1)
    parts = [f'<svg class="collaboration" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
             f'width="{width * SCALE:.0f}" height="{height * SCALE:.0f}" role="img" '
             f'aria-labelledby="collab-title collab-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="collab-title">{escape(title)}</title>',
             f'<desc id="collab-desc">{escape(description)}</desc>',
             '<g class="edges" fill="none">']
    for a, b, n in sorted(pairs, key=lambda p: p[2]):
        (x1, y1, _), (x2, y2, _) = points[a], points[b]
        cx, cy = (x1 + x2) * 0.25, (y1 + y2) * 0.25
        parts.append(f'<path d="M{x1:.1f} {y1:.1f} Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}" '
                     f'stroke-width="{0.6 + 7 * n / most:.2f}" stroke-opacity="{0.25 + 0.6 * n / most:.2f}"/>')
    parts.append('</g><g class="nodes">')
    for name, (x, y, angle) in zip(names, points):
        lx, ly = (radius + 14) * math.cos(angle), (radius + 14) * math.sin(angle)
        degrees = math.degrees(angle)
        flip = 90 < degrees % 360 < 270
        rotation = degrees + 180 if flip else degrees
        anchor = "end" if flip else "start"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
                     f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" dominant-baseline="middle" '
                     f'transform="rotate({rotation:.1f} {lx:.1f} {ly:.1f})">{escape(name)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
