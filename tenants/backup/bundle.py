"""The backup archive: an uncompressed tar (members are compressed where it pays: the schema dump)
whose ``manifest.json`` names the format, the site and every other member with its size and SHA-256.

Why a tar with a manifest: one file to copy or upload, members read one at a time (media may be
large), and a restore can prove the whole file intact before it touches anything."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "zq-site-backup/1"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The archive cannot be used (missing, not ours, damaged); the message says why, in Chinese."""


class BundleWriter:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.members: dict[str, dict[str, Any]] = {}
        self._tar = tarfile.open(self.path, "w")

    def add(self, name: str, data: bytes) -> None:
        if name == MANIFEST or name in self.members:
            raise ValueError(f"duplicate archive member {name}")
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 0
        self._tar.addfile(info, io.BytesIO(data))
        self.members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}

    def add_json(self, name: str, value: Any) -> None:
        self.add(name, json.dumps(value, ensure_ascii=False, indent=1, default=str).encode())

    def close(self, manifest: dict[str, Any]) -> None:
        body = {**manifest, "format": FORMAT, "members": self.members}
        data = json.dumps(body, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = 0
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()

    def abort(self) -> None:
        self._tar.close()
        self.path.unlink(missing_ok=True)


class BundleReader:
    """An archive opened for restore: ``verify`` first, then ``read`` members by name."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise BackupError(_("备份文件“%s”不存在。") % self.path)
        try:
            self._tar = tarfile.open(self.path, "r:")
            self._names = {member.name: member for member in self._tar.getmembers()}
        except (tarfile.TarError, OSError, EOFError) as exc:
            message = _("“%(path)s”不是有效的站点备份文件（%(error)s）。")
            raise BackupError(message % {"path": self.path, "error": exc}) from exc
        if MANIFEST not in self._names:
            raise BackupError(_("“%s”缺少清单 manifest.json，不是完整的站点备份文件。") % self.path)
        try:
            self.manifest = json.loads(self._raw(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError(_("备份清单无法读取：%s") % exc) from exc
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise BackupError(_("备份文件格式不受支持（需要 %s）。") % FORMAT)

    def _raw(self, name: str) -> bytes:
        handle = self._tar.extractfile(self._names[name])
        if handle is None:
            raise BackupError(_("备份文件中的“%s”不是普通文件。") % name)
        return handle.read()

    def verify(self, progress=lambda _name: None) -> None:
        """Every member listed is present with its size and SHA-256; nothing unlisted is present."""
        listed = self.manifest.get("members") or {}
        extra = set(self._names) - set(listed) - {MANIFEST}
        if extra:
            raise BackupError(_("备份文件含有清单未列出的内容：%s") % ", ".join(sorted(extra)[:5]))
        for name, expected in listed.items():
            if name not in self._names:
                raise BackupError(_("备份文件缺少“%s”，可能不完整。") % name)
            data = self._raw(name)
            if len(data) != expected.get("bytes") or hashlib.sha256(data).hexdigest() != expected.get("sha256"):
                raise BackupError(_("备份文件中的“%s”校验失败（SHA-256 不一致），文件已损坏。") % name)
            progress(name)

    def read(self, name: str) -> bytes:
        if name not in self._names:
            raise BackupError(_("备份文件缺少“%s”，可能不完整。") % name)
        return self._raw(name)

    def read_json(self, name: str) -> Any:
        return json.loads(self.read(name).decode("utf-8"))

    def names(self, prefix: str) -> list[str]:
        return sorted(name for name in self.manifest.get("members", {}) if name.startswith(prefix))

    def close(self) -> None:
        self._tar.close()
