"""Upload validation for every file an editor gives the platform (library attachments, Wagtail documents).

A file is accepted when its extension is one governments publish (``zhanqun.lib.filetypes``), its
content really is that type, and it is within ``ZQ_MAX_UPLOAD_MB``. Checking the content matters
because the extension is only the uploader's claim: a page renamed 通知.pdf must not be stored.
Errors are ``ValidationError`` with a Chinese message, so a form shows them next to the field.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from zhanqun.lib.filetypes import ALLOWED, ALLOWED_EXTENSIONS, FileType, extension_of, matches


def max_upload_mb() -> int:
    return int(getattr(settings, "ZQ_MAX_UPLOAD_MB", 50))


def allowed_summary() -> str:
    """The accepted types and the size limit, for help texts and error messages."""
    return _("可上传 %(types)s 格式，单个文件不超过 %(limit)d MB。") % {
        "types": "、".join(ALLOWED_EXTENSIONS),
        "limit": max_upload_mb(),
    }


def _size_of(uploaded: File) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
        uploaded.seek(0)
    return size


def validate_upload(uploaded: File) -> FileType:
    """Return the checked type of ``uploaded`` or raise ``ValidationError`` saying what is wrong."""
    name = (getattr(uploaded, "name", "") or "").strip()
    extension = extension_of(name)
    if not extension:
        raise ValidationError(
            _("文件“%(name)s”没有扩展名，无法判断类型。%(allowed)s") % {"name": name, "allowed": allowed_summary()},
            code="no_extension",
        )
    file_type = ALLOWED.get(extension)
    if file_type is None:
        raise ValidationError(
            _("不支持上传“.%(ext)s”类型的文件。%(allowed)s") % {"ext": extension, "allowed": allowed_summary()},
            code="type_not_allowed",
        )
    size = _size_of(uploaded)
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空的，请重新选择。") % {"name": name}, code="empty")
    limit = max_upload_mb()
    if size > limit * 1024 * 1024:
        raise ValidationError(
            _("文件过大（%(size)s），单个文件不能超过 %(limit)d MB。") % {"size": filesizeformat(size), "limit": limit},
            code="too_large",
        )
    if not matches(file_type, uploaded):
        raise ValidationError(
            _("文件内容与扩展名不符：“%(name)s”不是真正的%(label)s，请上传原始文件。")
            % {"name": name, "label": file_type.label},
            code="content_mismatch",
        )
    return file_type
