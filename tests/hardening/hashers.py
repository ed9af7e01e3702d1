"""A password hasher that counts its work (for the sign-in timing test)."""

from __future__ import annotations

from django.contrib.auth.hashers import MD5PasswordHasher

HASHED: list[str] = []


class CountingHasher(MD5PasswordHasher):
    """Counts how often a password is hashed."""

    algorithm = "counting_md5"

    def encode(self, password: str, salt: str) -> str:
        HASHED.append(password)
        return super().encode(password, salt)
