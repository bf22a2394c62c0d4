"""The file types the platform accepts, each with the content that proves it.

One table for the library's attachments and Wagtail's documents (Wagtail's own settings are derived
from it): the formats governments publish — PDF, OFD (GB/T 33190 版式文档), Word, Excel, PowerPoint,
WPS (wps/et/dps), OpenDocument, raster images, ZIP and plain text/CSV. Nothing that a browser would
run as active content (HTML, SVG, JavaScript) is in it.

Recognising content: the leaf signatures (PDF, ZIP, JPEG, PNG, GIF, WebP) use the matchers of the
``filetype`` package — pure Python, no libmagic, already installed as Willow's dependency (Wagtail
sniffs images with it) — while the container formats are opened with the standard library, because
``filetype`` knows neither OFD nor WPS and recognises Office files only by the first entries of the
archive. OLE2 formats (doc/xls/ppt/wps/et/dps) are told apart from everything else by the compound
file signature; which OLE2 application wrote them does not matter for safety.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from filetype.types import archive, image

HEAD_BYTES = 8192  # what signature checks look at
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Check = Callable[[bytes, IO[bytes]], bool]


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str  # what the file is called in an error message
    check: Check


def _signature(matcher) -> Check:
    return lambda head, _file: bool(matcher.match(bytearray(head)))


def _ole2(head: bytes, _file: IO[bytes]) -> bool:
    return head.startswith(OLE2_SIGNATURE)


def _zip_names(file: IO[bytes]) -> list[str] | None:
    """Entry names from the archive's central directory (nothing is decompressed), None if not a ZIP."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive_file:
            return archive_file.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)


def _is_zip(head: bytes, file: IO[bytes]) -> bool:
    return bool(archive.Zip().match(bytearray(head))) and _zip_names(file) is not None


def _ooxml(part_folder: str) -> Check:
    """Office Open XML: a ZIP with ``[Content_Types].xml`` and the application's part folder."""

    def check(head: bytes, file: IO[bytes]) -> bool:
        names = _zip_names(file) if head.startswith(b"PK") else None
        return bool(names) and "[Content_Types].xml" in names and any(n.startswith(part_folder) for n in names)

    return check


def _odf(mimetype: str) -> Check:
    """OpenDocument: a ZIP whose uncompressed first entry ``mimetype`` names the format."""

    def check(head: bytes, _file: IO[bytes]) -> bool:
        return head.startswith(b"PK\x03\x04") and head[30:38] == b"mimetype" and head[38:].startswith(mimetype.encode())

    return check


def _ofd(head: bytes, file: IO[bytes]) -> bool:
    names = _zip_names(file) if head.startswith(b"PK") else None
    return bool(names) and "OFD.xml" in names


def _wps(head: bytes, file: IO[bytes]) -> bool:
    """WPS Office writes its own formats as OLE2 compound files (newer versions may write OOXML)."""
    return _ole2(head, file) or _ooxml("")(head, file)


def _text(head: bytes, _file: IO[bytes]) -> bool:
    """Plain text in UTF-8 or GB18030 (the encodings Chinese government files use); no binary bytes."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if len(head) == HEAD_BYTES and error.start >= len(head) - 4:  # a character cut off by the sample
                return True
    return False


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
_TYPES = [
    FileType("pdf", "application/pdf", "PDF 文档", _signature(archive.Pdf())),
    FileType("ofd", "application/ofd", "OFD 版式文档", _ofd),
    FileType("doc", "application/msword", "Word 文档", _ole2),
    FileType("docx", f"{_OOXML}wordprocessingml.document", "Word 文档", _ooxml("word/")),
    FileType("xls", "application/vnd.ms-excel", "Excel 表格", _ole2),
    FileType("xlsx", f"{_OOXML}spreadsheetml.sheet", "Excel 表格", _ooxml("xl/")),
    FileType("ppt", "application/vnd.ms-powerpoint", "PowerPoint 演示文稿", _ole2),
    FileType("pptx", f"{_OOXML}presentationml.presentation", "PowerPoint 演示文稿", _ooxml("ppt/")),
    FileType("wps", "application/kswps", "WPS 文字文档", _wps),
    FileType("et", "application/kset", "WPS 表格", _wps),
    FileType("dps", "application/ksdps", "WPS 演示文稿", _wps),
    FileType("odt", f"{_ODF}text", "OpenDocument 文本", _odf(f"{_ODF}text")),
    FileType("ods", f"{_ODF}spreadsheet", "OpenDocument 表格", _odf(f"{_ODF}spreadsheet")),
    FileType("jpg", "image/jpeg", "JPEG 图片", _signature(image.Jpeg())),
    FileType("jpeg", "image/jpeg", "JPEG 图片", _signature(image.Jpeg())),
    FileType("png", "image/png", "PNG 图片", _signature(image.Png())),
    FileType("gif", "image/gif", "GIF 图片", _signature(image.Gif())),
    FileType("webp", "image/webp", "WebP 图片", _signature(image.Webp())),
    FileType("zip", "application/zip", "ZIP 压缩包", _is_zip),
    FileType("txt", "text/plain", "文本文件", _text),
    FileType("csv", "text/csv", "CSV 表格", _text),
]

ALLOWED: dict[str, FileType] = {file_type.extension: file_type for file_type in _TYPES}
ALLOWED_EXTENSIONS: list[str] = list(ALLOWED)
CONTENT_TYPES: dict[str, str] = {extension: file_type.content_type for extension, file_type in ALLOWED.items()}


def extension_of(name: str) -> str:
    """The lower-case extension without the dot ("" when the name has none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def matches(file_type: FileType, file: IO[bytes]) -> bool:
    """Whether ``file``'s content is what its extension says; the file is left at position 0."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return bool(head) and file_type.check(head, file)
