"""``yuntan ledger verify`` and ``yuntan ledger checkpoint``: Django is set up as for
``yuntan manage``, then the chain, the checkpoints and the head are checked (exit code 0
when intact, 1 at the first problem), or a new checkpoint is signed and printed as JSON.

``checkpoint --every SECONDS`` keeps running and signs a checkpoint each period when there
are new entries: the periodic checkpoint service (see docs/ledger.md for a systemd unit or
a cron line instead). ``--export DIR`` also writes each new checkpoint to a file."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TextIO

from yuntan.platform.manage import SETTINGS_MODULE


def run(action: str, out: TextIO, *, every: float | None = None, rounds: int | None = None,
        export: Path | None = None) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    from yuntan.platform.ledger.actions import verify_ledger

    if action == "verify":
        verification = verify_ledger()
        if verification.problem is not None:
            print(f"账本有问题 / the ledger was tampered with: {verification.problem.message}",
                  file=out)
            return 1
        print(f"账本完整 / the ledger is intact: {verification.entries} 条目 / entries, "
              f"{verification.checkpoints} 检查点 / checkpoints", file=out)
        return 0
    if every is not None and every <= 0:
        print("错误 / error: --every 必须大于 0 / must be above 0", file=out)
        return 2
    done = 0
    while True:
        code = _checkpoint(out, export)
        done += 1
        if code != 0 or every is None or (rounds is not None and done >= rounds):
            return code
        out.flush()
        time.sleep(every)


def _checkpoint(out: TextIO, export: Path | None) -> int:
    from django.db import close_old_connections, connection

    from yuntan.platform.ledger.actions import make_checkpoint
    from yuntan.platform.ledger.keys import NoSigningKey

    if not connection.in_atomic_block:  # (inside a caller's transaction there is none to drop)
        close_old_connections()  # a long-running service must not keep a dead connection
    try:
        checkpoint = make_checkpoint()
    except NoSigningKey as exc:
        print(f"错误 / error: {exc}", file=out)
        return 1
    if checkpoint is None:
        print("没有新条目，无需检查点 / no new entries: no checkpoint made", file=out)
        return 0
    text = json.dumps({"number": checkpoint.number, **checkpoint.as_core().to_json()},
                      indent=2)
    print(text, file=out)
    if export is not None:
        export.mkdir(parents=True, exist_ok=True)
        (export / f"checkpoint-{checkpoint.number:06d}.json").write_text(text + "\n",
                                                                       encoding="utf-8")
    return 0
