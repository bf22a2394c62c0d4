"""Pictures for demo articles: a coloured banner with the article's title, made with Pillow and saved
as a Wagtail image of the current site's schema (so each site's files stay under its own prefix).

A CJK font is used when the machine has one (Debian's fonts-wqy-zenhei, Noto CJK); otherwise the
banner carries no text rather than boxes of missing glyphs.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from django.core.files.images import ImageFile
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

SIZE = (960, 600)  # 16:10, the shape the themes show headline pictures in (nothing cropped)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
# Deep, calm colours that keep white text readable (contrast above 4.5:1).
PALETTE = ((22, 78, 140), (150, 30, 30), (25, 105, 70), (110, 60, 20), (70, 50, 120), (30, 90, 110))


@lru_cache(maxsize=4)
def _font(size: int):
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return None


def _wrap(text: str, most_per_line: int) -> list[str]:
    """Lines of even length (no one-character orphan line), at most three."""
    lines = max(1, -(-len(text) // most_per_line))
    per_line = -(-len(text) // lines)
    return [text[i : i + per_line] for i in range(0, len(text), per_line)][:3]


def banner_png(title: str, caption: str, colour_index: int) -> bytes:
    """The banner as PNG bytes: a colour field, a lighter band, the title (wrapped) and a caption."""
    colour = PALETTE[colour_index % len(PALETTE)]
    image = PILImage.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 40) for c in colour)
    draw.rectangle((0, SIZE[1] - 90, SIZE[0], SIZE[1]), fill=light)
    for offset in range(0, SIZE[0], 120):  # a quiet pattern, different per colour
        draw.line((offset, 0, offset + 200, SIZE[1] - 90), fill=tuple(min(255, c + 18) for c in colour), width=3)
    title_font, caption_font = _font(44), _font(28)
    if title_font is not None:
        for row, line in enumerate(_wrap(title, 18)):
            draw.text((48, 60 + row * 64), line, font=title_font, fill=(255, 255, 255))
        draw.text((48, SIZE[1] - 66), caption, font=caption_font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def make_picture(title: str, caption: str, colour_index: int, file_name: str):
    """A Wagtail image of the current schema showing the banner (call inside the site's schema)."""
    data = banner_png(title, caption, colour_index)
    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(data), name=file_name))
    image.save()
    return image


def embed(image, alt: str) -> str:
    """Rich-text markup embedding ``image`` full width (Wagtail renders and sizes it)."""
    return f'<embed alt="{escape(alt)}" embedtype="image" format="fullwidth" id="{image.pk}"/>'
