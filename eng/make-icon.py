#!/usr/bin/env python3
"""Draws eng/icon.png, the packages' icon: a white padlock on a dark blue rounded square, 128x128.

Standard library only (zlib, struct); 4x4 supersampling for smooth edges. Run from the repository root:
    python3 eng/make-icon.py
"""
import math
import struct
import zlib

SIZE = 128
SAMPLES = 4
BACKGROUND = (31, 58, 95)
FOREGROUND = (255, 255, 255)


def inside_rounded_rect(x, y, left, top, right, bottom, radius):
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def shade(x, y):
    """0 outside the tile, 1 background, 2 padlock."""
    if not inside_rounded_rect(x, y, 0, 0, SIZE, SIZE, 24):
        return 0
    # Keyhole: a circle over a narrow slot, cut out of the body.
    if (x - 64) ** 2 + (y - 80) ** 2 <= 8 ** 2 or (60 <= x <= 68 and 80 <= y <= 96):
        return 1
    if inside_rounded_rect(x, y, 32, 56, 96, 108, 8):
        return 2
    # Shackle: a ring of width 10 around (64, 56), upper half, with straight legs down to the body.
    distance = math.hypot(x - 64, y - 48)
    if y <= 48 and 18 <= distance <= 28:
        return 2
    if 48 <= y <= 58 and (36 <= x <= 46 or 82 <= x <= 92):
        return 2
    return 1


def pixel(px, py):
    counts = [0, 0, 0]
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            counts[shade(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)] += 1
    total = SAMPLES * SAMPLES
    alpha = (counts[1] + counts[2]) / total
    if alpha == 0:
        return (0, 0, 0, 0)
    lock = counts[2] / (counts[1] + counts[2])
    rgb = tuple(round(b + (f - b) * lock) for b, f in zip(BACKGROUND, FOREGROUND))
    return rgb + (round(255 * alpha),)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main():
    rows = bytearray()
    for y in range(SIZE):
        rows.append(0)  # filter: none
        for x in range(SIZE):
            rows.extend(pixel(x, y))
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    png += chunk(b"IEND", b"")
    with open("eng/icon.png", "wb") as output:
        output.write(png)


if __name__ == "__main__":
    main()
