"""Find jobs interrupted by a crash and restart or fail them (the web process does this
when it starts; run it after a worker host died, or from a script)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yuntan.platform.jobs.recovery import recover_interrupted_jobs


class Command(BaseCommand):
    help = "恢复中断的后台任务 / Recover background jobs interrupted by a crash"

    def handle(self, *args: Any, **options: Any) -> None:
        report = recover_interrupted_jobs()
        self.stdout.write(f"重新启动 / started again: {len(report.restarted)}; "
                          f"标记失败 / marked failed: {len(report.failed)}; "
                          f"清理临时上传文件 / stale upload files removed: "
                          f"{len(report.removed_files)}")
