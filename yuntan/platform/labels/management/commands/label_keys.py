"""The certification body's label signing keys: create or rotate (old public keys stay so
old labels still verify), or show the key ids."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuntan.labels import load_public_keys, rotate_key
from yuntan.labels.keys import current_key_id
from yuntan.platform.labels.actions import keys_dir
from yuntan.platform.ledger.keys import passphrase


class Command(BaseCommand):
    help = "标识签名密钥：生成/轮换/查看 / Label signing keys: create, rotate, show"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rotate", action="store_true",
                            help="make a new current key (the first one if none)")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = keys_dir()
        if options["rotate"]:
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
            self.stdout.write(f"新密钥 / new key: {rotate_key(folder, passphrase())}")
        if folder.exists():
            current = current_key_id(folder)
            for key_id in sorted(load_public_keys(folder)):
                mark = " (当前 / current)" if key_id == current else ""
                self.stdout.write(f"{key_id}{mark}")
        else:
            self.stdout.write("尚无密钥 / no keys yet: --rotate")
