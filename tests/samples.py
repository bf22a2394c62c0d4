"""Small but genuine files of every type governments publish, and a few hostile ones, for upload tests.

Built in memory (Pillow for images, zipfile for the ZIP containers), so each sample has the real
signature and structure a validator has to recognise, not just the right extension.
"""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def image(fmt: str = "PNG", size: tuple[int, int] = (40, 30), color: str = "red") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes], *, first_stored: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:  # ODF: an uncompressed "mimetype" entry first
            archive.writestr(zipfile.ZipInfo(first_stored), entries.pop(first_stored), zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(part: str) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            part: b'<?xml version="1.0"?><document/>',
        }
    )


def ole2(extra: bytes = b"") -> bytes:
    """A compound-file header (as .doc/.xls/.ppt and WPS's .wps/.et/.dps start) padded to two sectors."""
    return (OLE2_SIGNATURE + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + extra).ljust(1024, b"\x00")


def odf(mimetype: str) -> bytes:
    entries = {"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"}
    return zip_of(entries, first_stored="mimetype")


GOOD: dict[str, bytes] = {
    "政策原文.pdf": PDF,
    "电子公文.ofd": zip_of({"OFD.xml": b'<?xml version="1.0"?><ofd:OFD/>', "Doc_0/Document.xml": b"<ofd:Document/>"}),
    "通知.doc": ole2(),
    "通知.docx": ooxml("word/document.xml"),
    "统计表.xls": ole2(),
    "统计表.xlsx": ooxml("xl/workbook.xml"),
    "解读.ppt": ole2(),
    "解读.pptx": ooxml("ppt/presentation.xml"),
    "公告.wps": ole2(),
    "名单.et": ole2(),
    "图解.dps": ole2(),
    "文本.odt": odf("application/vnd.oasis.opendocument.text"),
    "表格.ods": odf("application/vnd.oasis.opendocument.spreadsheet"),
    "照片.jpg": image("JPEG"),
    "照片.JPEG": image("JPEG"),
    "图示.png": image("PNG"),
    "动图.gif": image("GIF"),
    "图片.webp": image("WEBP"),
    "附件包.zip": zip_of({"说明.txt": "说明".encode()}),
    "说明.txt": "江城市政务公开工作要点\n".encode(),
    "说明（GB18030）.txt": "江城市政务公开工作要点\n".encode("gb18030"),
    "名单.csv": "姓名,单位\n张三,江城市教育局\n".encode("utf-8-sig"),
}

# name -> (content, words the Chinese error must contain)
BAD: dict[str, tuple[bytes, str]] = {
    "page.html": (HTML, "不支持"),
    "page.htm": (HTML, "不支持"),
    "logo.svg": (SVG, "不支持"),
    "run.js": (b"alert(1)", "不支持"),
    "setup.exe": (b"MZ\x90\x00" + b"\x00" * 60, "不支持"),
    "no-extension": (PDF, "扩展名"),
    "伪装.pdf": (HTML, "不符"),
    "伪装.png": (SVG, "不符"),
    "伪装.jpg": (image("PNG"), "不符"),
    "伪装.doc": (b"MZ\x90\x00" + b"\x00" * 60, "不符"),
    "伪装.docx": (zip_of({"index.html": HTML}), "不符"),
    "伪装.xlsx": (ooxml("word/document.xml"), "不符"),
    "伪装.ofd": (zip_of({"index.html": HTML}), "不符"),
    "伪装.zip": (HTML, "不符"),
    "伪装.txt": (b"\x00\x01\x02binary\x00", "不符"),
    "空文件.pdf": (b"", "空"),
}


def upload(name: str, data: bytes | None = None, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, GOOD[name] if data is None else data, content_type=content_type)
