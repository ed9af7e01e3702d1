"""``yuntan manage ledger_keys --generate | --rotate | --show``: the checkpoint signing
keys (see yuntan.platform.ledger.keys)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuntan.platform.ledger.keys import current_key_id, generate_key, keys_dir, public_keys


class Command(BaseCommand):
    help = "账本检查点签名密钥 / the ledger's checkpoint signing keys"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--generate", action="store_true",
                           help="没有密钥时生成 / make the first key (refused when one exists)")
        group.add_argument("--rotate", action="store_true",
                           help="换新密钥，旧公钥保留 / make a new current key; old public keys "
                                "stay listed")
        group.add_argument("--show", action="store_true",
                           help="列出公钥 / list the public keys")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"]:
            if current_key_id():
                raise CommandError("已有签名密钥，换钥请用 --rotate / a signing key exists; "
                                   "use --rotate to replace it")
            self.stdout.write(f"生成密钥 / generated key {generate_key()} in {keys_dir()}")
        elif options["rotate"]:
            self.stdout.write(f"新的当前密钥 / new current key {generate_key()}")
        else:
            for key in public_keys():
                mark = " (当前 / current)" if key.current else ""
                self.stdout.write(f"{key.id}{mark}\n{key.pem}")
