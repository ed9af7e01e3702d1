"""``yuntan ledger verify`` and ``yuntan ledger checkpoint``: Django is set up as for
``yuntan manage``, then the chain, the checkpoints and the head are checked (exit code 0
when intact, 1 at the first problem), or a new checkpoint is signed and printed as JSON."""

from __future__ import annotations

import json
import os
from typing import TextIO

from yuntan.platform.manage import SETTINGS_MODULE


def run(action: str, out: TextIO) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    from yuntan.platform.ledger.actions import make_checkpoint, verify_ledger
    from yuntan.platform.ledger.keys import NoSigningKey

    if action == "verify":
        verification = verify_ledger()
        if verification.problem is not None:
            print(f"账本有问题 / the ledger was tampered with: {verification.problem.message}",
                  file=out)
            return 1
        print(f"账本完整 / the ledger is intact: {verification.entries} 条目 / entries, "
              f"{verification.checkpoints} 检查点 / checkpoints", file=out)
        return 0
    try:
        checkpoint = make_checkpoint()
    except NoSigningKey as exc:
        print(f"错误 / error: {exc}", file=out)
        return 1
    if checkpoint is None:
        print("没有新条目，无需检查点 / no new entries: no checkpoint made", file=out)
        return 0
    print(json.dumps({"number": checkpoint.number, **checkpoint.as_core().to_json()},
                     indent=2), file=out)
    return 0
