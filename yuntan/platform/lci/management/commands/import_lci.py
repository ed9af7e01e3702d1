"""Import an openLCA JSON-LD package from the command line, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuntan.platform.jobs.console import failure_text, run_with_progress, succeeded
from yuntan.platform.lci.importer import import_lci_database, keep_upload


class Command(BaseCommand):
    help = ("导入 openLCA JSON-LD 背景数据库（显示进度）/ Import an openLCA JSON-LD background "
            "database (with a progress bar)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", type=Path, help="the .zip exported by openLCA")
        parser.add_argument("--name", required=True, help="name of the database")
        parser.add_argument("--organisation", type=int, default=None,
                            help="owning organisation id (default: shared by the province)")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["package"]
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        upload = SimpleUploadedFile(source.name, source.read_bytes())
        path, sha256, size = keep_upload(upload)
        job = run_with_progress(import_lci_database, f"Import {options['name']}", {
            "path": str(path), "name": options["name"],
            "organisation_id": options["organisation"], "file_name": source.name,
            "sha256": sha256, "size": size}, self.stderr)
        if not succeeded(job):
            raise CommandError("未导入任何数据 / nothing imported: " + failure_text(job))
        self.stdout.write(str((job.result or {}).get("summary", "")))
