"""Draw the sample release's photo, forum.jpg: an illustrated group photo on a forum stage.

Made with Pillow only (no camera, no people, no third-party material), so the
picture and this script are dedicated to the public domain under CC0 1.0
(see PHOTO-LICENSE.txt). Run it from anywhere:

    python releases/2026-11-06-k-defense-forum-results/make_photo.py

It writes the same pixels on every run (no randomness, no clock); the JPEG
bytes depend on the Pillow/libjpeg version, which is why the file is committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 1000
OUT = Path(__file__).with_name("forum.jpg")


def draw() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    pen = ImageDraw.Draw(image)
    for y in range(HEIGHT):  # the hall: dark blue fading to the stage
        shade = int(40 + 50 * y / HEIGHT)
        pen.line([(0, y), (WIDTH, y)], fill=(12, shade // 2 + 20, shade + 60))
    # the backdrop banner in the city's accent colour, with light stripes
    pen.rectangle([160, 90, WIDTH - 160, 430], fill=(0, 58, 112))
    for i in range(6):
        pen.rectangle([220 + i * 200, 360, 330 + i * 200, 372], fill=(232, 238, 245))
    pen.rectangle([560, 150, WIDTH - 560, 260], fill=(232, 238, 245))
    pen.rectangle([600, 280, WIDTH - 600, 320], fill=(120, 160, 200))
    # the stage
    pen.polygon([(0, 760), (WIDTH, 760), (WIDTH, HEIGHT), (0, HEIGHT)], fill=(90, 60, 40))
    pen.rectangle([0, 740, WIDTH, 770], fill=(150, 110, 70))
    # eleven people standing in a row (suits, shirts, faces)
    suits = [(30, 30, 40), (60, 60, 70), (20, 40, 70), (80, 30, 30), (40, 40, 40), (25, 25, 60)]
    for i in range(11):
        x = 150 + i * 120
        tall = 40 if i % 2 else 0
        top = 470 - tall // 2
        suit = suits[i % len(suits)]
        pen.rounded_rectangle([x - 48, top + 110, x + 48, 780], radius=30, fill=suit)
        pen.polygon([(x - 16, top + 112), (x + 16, top + 112), (x, top + 190)], fill=(245, 245, 245))
        pen.line([(x, top + 120), (x, top + 180)], fill=(150, 20, 30) if i % 3 else (20, 60, 150), width=8)
        pen.ellipse([x - 36, top + 30, x + 36, top + 112], fill=(236, 196, 160))
        pen.pieslice([x - 38, top + 22, x + 38, top + 90], 180, 360, fill=(30, 25, 20))
    return image


if __name__ == "__main__":
    draw().save(OUT, format="JPEG", quality=85, optimize=True, progressive=False)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
