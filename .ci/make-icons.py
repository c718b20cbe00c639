#!/usr/bin/env python3
"""Draws the Front desk app icons as PNG files, using the standard library only.

The mark is a white desk calendar on the brand teal, with today's square in amber.
`icon-192.png` and `icon-512.png` are "any" icons (rounded square, transparent corners);
`icon-maskable-512.png` fills the whole square and keeps the mark inside the central 80 %
circle, the safe zone that every launcher mask leaves visible.

Run from anywhere: python3 .ci/make-icons.py  (writes public/icons/). The output is
deterministic, so re-running it on an unchanged script changes no committed byte.
"""

import os
import struct
import zlib

TEAL = (15, 118, 110, 255)
WHITE = (255, 255, 255, 255)
AMBER = (245, 158, 11, 255)
CLEAR = (0, 0, 0, 0)

SAMPLES = 4  # supersampling per axis, for smooth edges


def in_round_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def mark(x, y):
    """Colour of the mark at (x, y) in mark space ([-1, 1] both ways, y down), or None."""
    # Binder rings: a teal collar first, so each ring stands apart from the page.
    for rx in (-0.38, 0.38):
        if in_round_rect(x, y, rx - 0.07, -0.82, rx + 0.07, -0.42, 0.07):
            return WHITE
        if in_round_rect(x, y, rx - 0.13, -0.88, rx + 0.13, -0.36, 0.1):
            return TEAL
    if not in_round_rect(x, y, -0.75, -0.62, 0.75, 0.8, 0.14):
        return None
    # The page below the white header band, with a 4 x 3 grid of days.
    if in_round_rect(x, y, -0.6, -0.24, 0.6, 0.66, 0.05):
        cols, rows = 4, 3
        gx0, gy0, gx1, gy1 = -0.52, -0.16, 0.52, 0.58
        cw, ch = (gx1 - gx0) / cols, (gy1 - gy0) / rows
        if gx0 <= x < gx1 and gy0 <= y < gy1:
            col, row = int((x - gx0) / cw), int((y - gy0) / ch)
            lx, ly = x - gx0 - col * cw, y - gy0 - row * ch
            pad = 0.035
            if pad <= lx <= cw - pad and pad <= ly <= ch - pad:
                return AMBER if (col, row) == (2, 1) else WHITE
        return TEAL
    return WHITE


def pixel(u, v, maskable):
    """Colour at (u, v) in icon space ([0, 1] both ways)."""
    if not maskable and not in_round_rect(u, v, 0.0, 0.0, 1.0, 1.0, 0.2):
        return CLEAR
    scale = 0.32 if maskable else 0.37
    colour = mark((u - 0.5) / scale, (v - 0.5) / scale)
    return colour if colour is not None else TEAL


def render(size, maskable):
    rows = []
    n = SAMPLES * SAMPLES
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    u = (px + (sx + 0.5) / SAMPLES) / size
                    v = (py + (sy + 0.5) / SAMPLES) / size
                    r, g, b, a = pixel(u, v, maskable)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3]
            if alpha == 0:
                row += bytes(4)
            else:
                row += bytes(
                    [round(acc[0] / alpha), round(acc[1] / alpha), round(acc[2] / alpha), round(alpha / n)]
                )
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(size, raw):
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "public", "icons")
    os.makedirs(out, exist_ok=True)
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ):
        path = os.path.normpath(os.path.join(out, name))
        with open(path, "wb") as f:
            f.write(png(size, render(size, maskable)))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
