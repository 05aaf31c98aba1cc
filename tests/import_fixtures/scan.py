"""Scanned-style PDFs: lines of Burmese and English drawn with the Padauk font into greyscale
page images, saved as a PDF of images only (no text layer), as a scanner makes them.

Used by tests/test_import_ocr.py and benchmarks/ocr.py. Pillow shapes Burmese through
HarfBuzz (libraqm), so stacked consonants and vowel signs are drawn as a reader sees them.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
DPI = 300
#: An A4 page at 300 dpi.
A4 = (2480, 3508)


def padauk() -> Path | None:
    """The Padauk font's regular face (Debian's fonts-sil-padauk), or None."""
    for folder in FONT_DIRS:
        found = sorted(folder.glob("**/Padauk-Regular.ttf")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


def draw_page(
    lines: list[str],
    size: tuple[int, int] = A4,
    font_px: int = 42,
    line_px: int = 100,
    scanned: bool = False,
    seed: int = 0,
):  # -> PIL.Image.Image
    """A white greyscale page with ``lines`` drawn from the top left margin.

    ``scanned``: a scanner's marks too: a slight tilt, a grey paper, speckles."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = padauk()
    if font_path is None:
        raise RuntimeError("the Padauk font is not installed (fonts-sil-padauk)")
    font = ImageFont.truetype(str(font_path), font_px)
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    y = 150
    for line in lines:
        draw.text((150, y), line, font=font, fill=0)
        y += line_px
    if scanned:
        rng = random.Random(seed)
        page = page.rotate(rng.uniform(-0.6, 0.6), fillcolor=255, resample=Image.BICUBIC)
        page = page.point(lambda v: 235 if v > 235 else v)
        pixels = page.load()
        for _ in range(size[0] * size[1] // 4000):
            pixels[rng.randrange(size[0]), rng.randrange(size[1])] = rng.randrange(80, 200)
    return page


def image_pdf(pages: list) -> bytes:
    """The page images as one PDF of images only, at 300 dpi."""
    out = io.BytesIO()
    first, *rest = pages
    first.save(out, "PDF", resolution=DPI, save_all=True, append_images=rest)
    return out.getvalue()


def scanned_pdf(pages: list[list[str]], **draw: object) -> bytes:
    """A PDF with one scanned-style page per list of lines (see ``draw_page``)."""
    return image_pdf([draw_page(lines, **draw) for lines in pages])  # type: ignore[arg-type]
