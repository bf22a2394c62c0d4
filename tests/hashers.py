"""A password hasher that counts its checks, to prove every refused login costs the same work."""

from __future__ import annotations

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, test-only) that counts ``verify`` calls: one per password actually checked."""

    algorithm = "counting_md5"
    verifications = 0

    def verify(self, password: str, encoded: str) -> bool:
        type(self).verifications += 1
        return super().verify(password, encoded)
