"""Wagtail documents (文档) accept what library attachments accept (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

The base form of every document screen — add, edit, multiple upload — so one rule holds for all:
the type table and size limit of ``zhanqun.lib.uploads``, checked against the file's content.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from zhanqun.lib.uploads import allowed_summary, validate_upload


class DocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = allowed_summary()

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # a new upload (an unchanged file is the stored one)
            validate_upload(file)
        return file

    def _update_errors(self, errors: ValidationError) -> None:
        """Keep one message per refused file: after ``clean_file`` refused it, the model's own
        extension check only runs against the empty stored file and would add a confusing second one."""
        if self.has_error("file") and hasattr(errors, "error_dict"):
            errors.error_dict.pop("file", None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)
