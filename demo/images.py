"""Pictures for the demo schools, drawn here (no network, no files shipped): an emblem, a photograph-like
view of the school building and small illustrations for the news."""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[index : index + 2], 16) for index in (0, 2, 4))  # type: ignore[return-value]


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _encoded(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **({"quality": 85} if image_format == "JPEG" else {}))
    return out.getvalue()


def emblem_png(accent: str, *, size: int = 512) -> bytes:
    """A round emblem: a ring in the school's colour, the sun's rays of the flag, and an open book."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour, gold, white = _rgb(accent), (242, 183, 5), (255, 255, 255)
    draw.ellipse((8, 8, size - 8, size - 8), fill=colour)
    draw.ellipse((40, 40, size - 40, size - 40), outline=gold, width=14)
    centre = size / 2
    for ray in range(24):
        angle = 2 * math.pi * ray / 24
        inner, outer = size * 0.17, size * 0.3
        draw.line(
            (
                centre + inner * math.cos(angle),
                centre * 0.86 + inner * math.sin(angle),
                centre + outer * math.cos(angle),
                centre * 0.86 + outer * math.sin(angle),
            ),
            fill=gold,
            width=8,
        )
    draw.ellipse(
        (centre - size * 0.13, centre * 0.86 - size * 0.13, centre + size * 0.13, centre * 0.86 + size * 0.13),
        fill=gold,
    )
    book_top, book_bottom = size * 0.56, size * 0.76
    draw.polygon(
        [(size * 0.2, book_top), (centre, book_top + 24), (centre, book_bottom), (size * 0.2, book_bottom - 24)],
        fill=white,
    )
    draw.polygon(
        [(size * 0.8, book_top), (centre, book_top + 24), (centre, book_bottom), (size * 0.8, book_bottom - 24)],
        fill=_mix(white, colour, 0.12),
    )
    draw.line((centre, book_top + 24, centre, book_bottom), fill=colour, width=6)
    return _encoded(image, "PNG")


def building_jpeg(accent: str, *, seed: int, width: int = 1600, height: int = 700) -> bytes:
    """A sunny view of a school building: sky, the building with rows of windows, a flag, trees, a lawn."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, horizon = (88, 160, 230), (200, 230, 250)
    for y in range(height):
        draw.line((0, y, width, y), fill=_mix(top, horizon, y / height))
    for _cloud in range(5):
        x, y = rng.randrange(width), rng.randrange(40, 220)
        for part in range(4):
            draw.ellipse((x + part * 40, y - part % 2 * 20, x + part * 40 + 110, y + 60), fill=(250, 252, 255))
    ground = int(height * 0.78)
    draw.rectangle((0, ground, width, height), fill=(96, 160, 72))
    wall, roof = (236, 224, 200), _rgb(accent)
    left, right, building_top = int(width * 0.18), int(width * 0.82), int(height * 0.3)
    draw.rectangle((left, building_top, right, ground), fill=wall)
    draw.rectangle((left - 20, building_top - 34, right + 20, building_top), fill=roof)
    centre = width // 2
    draw.rectangle((centre - 140, building_top - 110, centre + 140, ground), fill=_mix(wall, (255, 255, 255), 0.4))
    draw.polygon(
        [(centre - 170, building_top - 110), (centre, building_top - 190), (centre + 170, building_top - 110)],
        fill=roof,
    )
    glass = (120, 170, 210)
    for row in range(3):
        y = building_top + 30 + row * 100
        for column in range(left + 40, right - 60, 90):
            if abs(column + 25 - centre) < 170:
                continue
            draw.rectangle((column, y, column + 50, y + 62), fill=glass, outline=(255, 255, 255), width=4)
    draw.rectangle((centre - 50, ground - 130, centre + 50, ground), fill=_mix(roof, (0, 0, 0), 0.3))
    draw.line((centre + 230, building_top - 150, centre + 230, building_top - 34), fill=(90, 90, 90), width=6)
    draw.rectangle((centre + 233, building_top - 150, centre + 330, building_top - 95), fill=(0, 175, 202))
    draw.ellipse((centre + 268, building_top - 136, centre + 294, building_top - 110), fill=(254, 197, 1))
    for x in (int(width * 0.06), int(width * 0.9), int(width * 0.14)):
        draw.rectangle((x - 8, ground - 90, x + 8, ground + 10), fill=(110, 80, 50))
        draw.ellipse((x - 70, ground - 230, x + 70, ground - 70), fill=(58, 125, 60))
    draw.rectangle((centre - 60, ground, centre + 60, height), fill=(200, 200, 190))
    return _encoded(image, "JPEG")


def illustration_jpeg(accent: str, *, seed: int, width: int = 960, height: int = 540) -> bytes:
    """A bright flat illustration for a news item: overlapping shapes in the school's colours."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    colour = _rgb(accent)
    image = Image.new("RGB", (width, height), _mix(colour, (255, 255, 255), 0.85))
    draw = ImageDraw.Draw(image)
    palette = [colour, (242, 183, 5), (0, 175, 202), _mix(colour, (255, 255, 255), 0.5), (232, 93, 117)]
    for _shape in range(9):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, 180)
        fill = rng.choice(palette)
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
        else:
            draw.rounded_rectangle((x - r, y - r // 2, x + r, y + r // 2), radius=24, fill=fill)
    return _encoded(image, "JPEG")
