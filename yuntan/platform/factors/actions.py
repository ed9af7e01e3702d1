"""Named state changes of the factor database; each runs in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuntan.formats.factor_csv import FactorVersionRow, read_factor_files
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status


def shipped_factor_files() -> tuple[Path, Path]:
    folder = Path(str(resources.files("yuntan.data.factors")))
    return folder / "datasets.csv", folder / "values.csv"


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


@transaction.atomic
def load_factor_rows(rows: list[FactorVersionRow]) -> tuple[int, int]:
    """Store factor versions that are not in the database yet; returns (added, present).

    Versions already stored are left untouched (published ones are immutable), so loading
    the shipped files again is harmless. All or nothing: one bad row changes nothing.
    """
    added = present = 0
    for row in rows:
        f = row.fields
        dataset, _ = FactorDataset.objects.get_or_create(
            code=f["id"],
            defaults={"name_zh": f["name_zh"], "name_en": f["name_en"],
                      "category": f["category"], "unit": f["unit"]},
        )
        if FactorVersion.objects.filter(dataset=dataset, version=f["version"]).exists():
            present += 1
            continue
        target = Status.PLACEHOLDER if row.placeholder else Status(f["status"])
        version = FactorVersion.objects.create(
            dataset=dataset, version=f["version"], region=f["region"],
            reference_year=_int_or_none(f["reference_year"]),
            valid_from=f["valid_from"] or None, valid_to=f["valid_to"] or None,
            method=f["method"], status=Status.DRAFT, gwp_set=f["gwp_set"],
            source_publisher=f["source_publisher"], source_document=f["source_document"],
            source_year=_int_or_none(f["source_year"]), source_url=f["source_url"],
            source_quality=f["source_quality"] or "unverified", licence=f["licence"],
            note=f["note"],
        )
        FactorValue.objects.bulk_create(
            FactorValue(version=version, gas=v.gas, origin=v.origin,
                        amount_kg_per_unit=v.amount_kg_per_unit, source_note=v.source_note)
            for v in row.values
        )
        version.status = target
        if target == Status.PUBLISHED:
            version.published_at = timezone.now()
        version.save()
        added += 1
    return added, present


def load_shipped_factors() -> tuple[int, int]:
    """Load ``yuntan/data/factors`` into the database (idempotent)."""
    return load_factor_rows(read_factor_files(*shipped_factor_files()))


# Curation: draft -> reviewed (by someone else) -> published, superseding an older version.


class FactorCurationError(Exception):
    """A curation step that is not allowed; the message (translated) says why."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class WrongStatus(FactorCurationError):
    """The version is not in the status this step starts from (e.g. it is published)."""


class SelfReview(FactorCurationError):
    """The creator of a draft tried to review it: the four-eyes rule needs another curator."""


class NotTheCreator(FactorCurationError):
    """Someone other than its creator tried to change a draft."""


class SupersededVersionNotCurrent(FactorCurationError):
    """The version to supersede is no longer published (or a placeholder)."""


# A new version may replace a published figure or a placeholder; both become deprecated.
SUPERSEDABLE = (Status.PUBLISHED, Status.PLACEHOLDER)


@dataclass(frozen=True)
class FactorValueInput:
    gas: str
    origin: str
    amount_kg_per_unit: float
    source_note: str = ""


def _locked(version: FactorVersion) -> FactorVersion:
    # Re-read under a row lock so two curators cannot move the same version at once.
    return FactorVersion.objects.select_for_update().select_related("dataset").get(pk=version.pk)


def _check_supersedes(dataset: FactorDataset, supersedes: FactorVersion | None) -> None:
    if supersedes is not None and (
        supersedes.dataset_id != dataset.pk or supersedes.status not in SUPERSEDABLE
    ):
        raise SupersededVersionNotCurrent(
            _("A new version can only supersede a published or placeholder version of the "
              "same dataset."))


def _store_values(version: FactorVersion, values: Sequence[FactorValueInput]) -> None:
    FactorValue.objects.bulk_create(
        FactorValue(version=version, gas=v.gas, origin=v.origin,
                    amount_kg_per_unit=v.amount_kg_per_unit, source_note=v.source_note)
        for v in values
    )


@transaction.atomic
def create_draft_version(
    dataset: FactorDataset,
    *,
    created_by: AbstractBaseUser,
    fields: Mapping[str, Any],
    values: Sequence[FactorValueInput],
) -> FactorVersion:
    """Store a new draft version (and the dataset itself when it is new, i.e. unsaved).

    ``fields`` are FactorVersion fields (version, region, method, source, ``supersedes``...).
    """
    _check_supersedes(dataset, fields.get("supersedes"))
    if dataset.pk is None:
        dataset.save()
    draft = FactorVersion.objects.create(
        **{**fields, "dataset": dataset, "status": Status.DRAFT, "created_by": created_by})
    _store_values(draft, values)
    return draft


@transaction.atomic
def update_draft_version(
    version: FactorVersion,
    *,
    editor: AbstractBaseUser,
    fields: Mapping[str, Any],
    values: Sequence[FactorValueInput],
) -> FactorVersion:
    """Change a draft's fields and replace its values; only its creator may do this.

    Reviewed, published, deprecated and placeholder versions never change here: a correction
    is a new version that supersedes them.
    """
    version = _locked(version)
    if version.status != Status.DRAFT:
        raise WrongStatus(
            _("%(version)s is %(status)s and cannot change: only drafts can be edited. "
              "Create a new version that supersedes it.")
            % {"version": version, "status": version.get_status_display()})
    if version.created_by_id is not None and version.created_by_id != editor.pk:
        raise NotTheCreator(_("Only the curator who created %(version)s can edit it.")
                            % {"version": version})
    _check_supersedes(version.dataset, fields.get("supersedes"))
    for name, value in fields.items():
        setattr(version, name, value)
    # An unattributed draft (e.g. loaded from a file) becomes its editor's, for four eyes.
    version.created_by = editor  # type: ignore[assignment]
    version.save()
    version.values.all().delete()
    _store_values(version, values)
    return version


@transaction.atomic
def review_version(version: FactorVersion, *, reviewer: AbstractBaseUser) -> FactorVersion:
    """Mark a draft reviewed; the reviewer must not be the curator who created it."""
    version = _locked(version)
    if version.status != Status.DRAFT:
        raise WrongStatus(_("Only a draft can be reviewed; %(version)s is %(status)s.")
                          % {"version": version, "status": version.get_status_display()})
    if version.created_by_id is not None and version.created_by_id == reviewer.pk:
        raise SelfReview(_("You created %(version)s: another curator must review it.")
                         % {"version": version})
    version.status = Status.REVIEWED
    version.reviewer = reviewer  # type: ignore[assignment]
    version.reviewed_at = timezone.now()
    version.save(update_fields=["status", "reviewer", "reviewed_at"])
    return version


@transaction.atomic
def publish_version(version: FactorVersion, *, publisher: AbstractBaseUser) -> FactorVersion:
    """Publish a reviewed version; the version it supersedes becomes deprecated."""
    version = _locked(version)
    if version.status != Status.REVIEWED:
        raise WrongStatus(_("Only a reviewed version can be published; %(version)s is "
                            "%(status)s.")
                          % {"version": version, "status": version.get_status_display()})
    if version.supersedes is not None:
        old = _locked(version.supersedes)
        if old.status not in SUPERSEDABLE:
            raise SupersededVersionNotCurrent(
                _("%(old)s is %(status)s, no longer current: create a new draft that "
                  "supersedes the current version.")
                % {"old": old, "status": old.get_status_display()})
        # Only the status changes: the deprecated version's figures stay as published.
        old.status = Status.DEPRECATED
        old.save(update_fields=["status"])
    version.status = Status.PUBLISHED
    version.published_by = publisher  # type: ignore[assignment]
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_by", "published_at"])
    return version
