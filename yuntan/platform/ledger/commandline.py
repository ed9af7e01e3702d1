"""``yuntan ledger verify`` and ``yuntan ledger checkpoint``: Django is set up as for
``yuntan manage``, then the chain, the checkpoints, the head and (``--against DIR``)
exported checkpoint files are checked, and the current rows are reconciled with the
entries (exit code 0 when intact, 1 when anything was found: the first problem of the
chain and every row that disagrees), or a new checkpoint is signed and printed as JSON.

``checkpoint --every SECONDS`` keeps running and signs a checkpoint each period when there
are new entries: the periodic checkpoint service (see docs/ledger.md for a systemd unit or
a cron line instead). ``--export DIR`` also writes each new checkpoint to a file."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TextIO

from yuntan.platform.manage import SETTINGS_MODULE


def run(action: str, out: TextIO, *, every: float | None = None, rounds: int | None = None,
        export: Path | None = None, against: Path | None = None) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    from yuntan.platform.ledger.actions import verify_ledger

    if action == "verify":
        if against is not None and not against.is_dir():
            print(f"错误 / error: {against} 不是目录 / is not a folder", file=out)
            return 2
        try:
            verification = verify_ledger(against)
        except (ValueError, KeyError) as exc:  # an unreadable checkpoint file
            print(f"错误 / error: {against}: 无法读取检查点文件 / unreadable checkpoint file: "
                  f"{exc}", file=out)
            return 2
        if verification.problem is not None:
            print(f"账本有问题 / the ledger was tampered with: {verification.problem.message}",
                  file=out)
        for disagreement in verification.disagreements:
            print(f"数据与账本不符 / a row disagrees with the ledger: {disagreement}", file=out)
        if not verification.ok:
            return 1
        exported = (f", {verification.exported} 导出检查点 / exported checkpoints"
                    if against is not None else "")
        print(f"账本完整 / the ledger is intact: {verification.entries} 条目 / entries, "
              f"{verification.checkpoints} 检查点 / checkpoints{exported}; 数据与账本一致 / "
              f"the rows agree with it", file=out)
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

    from yuntan.platform.ledger.actions import (
        checkpoint_json,
        checkpoints_dir,
        export_checkpoint,
        make_checkpoint,
    )
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
    print(checkpoint_json(checkpoint), file=out)
    folders = {checkpoints_dir().resolve()} | ({export.resolve()} if export else set())
    try:
        for folder in sorted(folders):
            export_checkpoint(checkpoint, folder)
    except OSError as exc:
        print(f"错误 / error: 检查点未能导出 / the checkpoint was not exported: {exc}", file=out)
        return 1
    return 0
