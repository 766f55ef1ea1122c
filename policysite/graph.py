"""The collaboration picture: agencies on a circle, a line for each pair that shares tasks.

Drawn at build time as static SVG (no JavaScript); the page beside it gives the same facts as a table.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

SIZE = 1000
RADIUS = 300


def collaboration_svg(names: list[str], pairs: list[tuple[int, int, int]], title: str, description: str) -> Markup:
    """An SVG of names (placed round a circle) joined by lines whose width grows with shared tasks.

    pairs holds (index, index, shared tasks).
    """
    centre = SIZE / 2
    points = []
    for i in range(len(names)):
        angle = 2 * math.pi * i / len(names) - math.pi / 2
        points.append((centre + RADIUS * math.cos(angle), centre + RADIUS * math.sin(angle), angle))
    most = max((n for _, _, n in pairs), default=1)
    parts = [f'<svg class="collaboration" viewBox="0 0 {SIZE} {SIZE}" role="img" '
             f'aria-labelledby="collab-title collab-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="collab-title">{escape(title)}</title>',
             f'<desc id="collab-desc">{escape(description)}</desc>',
             '<g class="edges" fill="none">']
    for a, b, n in sorted(pairs, key=lambda p: p[2]):
        (x1, y1, _), (x2, y2, _) = points[a], points[b]
        cx, cy = centre + (x1 + x2 - 2 * centre) * 0.25, centre + (y1 + y2 - 2 * centre) * 0.25
        parts.append(f'<path d="M{x1:.1f} {y1:.1f} Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}" '
                     f'stroke-width="{0.6 + 7 * n / most:.2f}" stroke-opacity="{0.25 + 0.6 * n / most:.2f}"/>')
    parts.append('</g><g class="nodes">')
    for name, (x, y, angle) in zip(names, points):
        lx, ly = centre + (RADIUS + 14) * math.cos(angle), centre + (RADIUS + 14) * math.sin(angle)
        degrees = math.degrees(angle)
        flip = 90 < degrees % 360 < 270
        rotation = degrees + 180 if flip else degrees
        anchor = "end" if flip else "start"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
                     f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" dominant-baseline="middle" '
                     f'transform="rotate({rotation:.1f} {lx:.1f} {ly:.1f})">{escape(name)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
