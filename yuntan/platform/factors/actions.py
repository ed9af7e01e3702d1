"""Named state changes of the factor database; each runs in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuntan.formats.factor_csv import (
    PEDIGREE_COLUMNS,
    FactorFileError,
    FactorFileProblem,
    FactorVersionRow,
    read_factor_files,
)
from yuntan.platform.factors import plausibility
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status
from yuntan.platform.ledger import hooks as ledger
from yuntan.platform.ledger.models import LedgerEntry

# Paths under /factors/ that a dataset code must not take (its page would be unreachable).
RESERVED_CODES = frozenset({"new", "import"})
STORE_PROGRESS_EVERY = 20  # versions between two progress reports while storing


def shipped_factor_files() -> tuple[Path, Path]:
    folder = Path(str(resources.files("yuntan.data.factors")))
    return folder / "datasets.csv", folder / "values.csv"


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


def _float_or_none(text: str) -> float | None:
    return float(text) if text.strip() else None


@dataclass(frozen=True)
class LoadedFactors:
    """What a load did: ``id@version`` of the versions it stored and of those already there."""

    added: tuple[str, ...]
    present: tuple[str, ...]


def _database_problems(rows: Sequence[FactorVersionRow]) -> list[FactorFileProblem]:
    """What the file says against what is stored: a dataset keeps its unit and category."""
    stored = FactorDataset.objects.in_bulk({row.fields["id"] for row in rows},
                                           field_name="code")
    problems = []
    for row in rows:
        code = row.fields["id"]
        if code.lower() in RESERVED_CODES:
            problems.append(row.problem("id", f"{code!r} is reserved (a page of the factor "
                                              f"database); choose another identifier."))
        dataset = stored.get(code)
        if dataset is None:
            continue
        for name in ("unit", "category"):
            if row.fields[name] != getattr(dataset, name):
                problems.append(row.problem(
                    name, f"the stored dataset {code} has {name} {getattr(dataset, name)!r}, "
                          f"not {row.fields[name]!r}; a dataset's {name} never changes (use "
                          f"a new identifier)."))
    return problems


def _version_fields(fields: Mapping[str, str]) -> dict[str, Any]:
    """FactorVersion fields from a checked row (texts already validated by the reader)."""
    return dict(
        version=fields["version"], region=fields["region"],
        reference_year=_int_or_none(fields["reference_year"]),
        valid_from=fields["valid_from"] or None, valid_to=fields["valid_to"] or None,
        method=fields["method"], gwp_set=fields["gwp_set"],
        source_publisher=fields["source_publisher"],
        source_document=fields["source_document"],
        source_year=_int_or_none(fields["source_year"]), source_url=fields["source_url"],
        source_quality=fields["source_quality"] or "unverified", licence=fields["licence"],
        uncertainty_gsd=_float_or_none(fields.get("uncertainty_gsd", "")),
        **{name: _int_or_none(fields.get(name, "")) for name in PEDIGREE_COLUMNS},
        note=fields["note"],
        conservative_default=fields.get("conservative_default", "") == "true",
    )


@transaction.atomic
def load_factor_rows(rows: Sequence[FactorVersionRow], *,
                     created_by: AbstractBaseUser | None = None,
                     progress: Callable[[int, int, str], None] | None = None) -> LoadedFactors:
    """Store factor versions that are not in the database yet.

    Versions already stored are left untouched (published ones are immutable), so loading
    the shipped files again is harmless. All or nothing: a problem (a unit that differs from
    the stored dataset's, a reserved identifier) raises :class:`FactorFileError` listing them
    all, before anything is written.

    Without ``created_by`` (reference data, the import command) each version gets the status
    its row names. With it (a curator's upload) every version becomes a draft created by that
    user, so another curator reviews it and a publisher publishes it; a placeholder row stays
    a placeholder (it has no figure to review).
    """
    problems = _database_problems(rows)
    if problems:
        raise FactorFileError(problems)
    added: list[str] = []
    present: list[str] = []
    ledgered = {int(pk) for pk in LedgerEntry.objects.filter(
        kind="factor.published").values_list("object_pk", flat=True) if pk.isdigit()}
    for number, row in enumerate(rows, start=1):
        if progress is not None and (number % STORE_PROGRESS_EVERY == 0 or number == len(rows)):
            progress(number, len(rows), f"stored {number} of {len(rows)} versions")
        f = row.fields
        dataset, _ = FactorDataset.objects.get_or_create(
            code=f["id"],
            defaults={"name_zh": f["name_zh"], "name_en": f["name_en"],
                      "category": f["category"], "unit": f["unit"]},
        )
        stored = FactorVersion.objects.filter(dataset=dataset, version=f["version"]).first()
        if stored is not None:
            present.append(row.record)
            if stored.pk not in ledgered and stored.status in (Status.PUBLISHED,
                                                               Status.DEPRECATED):
                # Loaded before loads were chained: record it now, as it stands.
                ledger.factor_published(stored, created_by, source="reference data",
                                        status=stored.status)
            continue
        if row.placeholder:
            target = Status.PLACEHOLDER
        else:
            target = Status(f["status"]) if created_by is None else Status.DRAFT
        version = FactorVersion.objects.create(
            dataset=dataset, status=Status.DRAFT,
            created_by=created_by,  # type: ignore[misc]  # any user model, as elsewhere
            **_version_fields(f))
        FactorValue.objects.bulk_create(
            FactorValue(version=version, gas=v.gas, origin=v.origin,
                        amount_kg_per_unit=v.amount_kg_per_unit, source_note=v.source_note)
            for v in row.values
        )
        if target != Status.DRAFT:
            version.status = target
            if target == Status.PUBLISHED:
                version.published_at = timezone.now()
            version.save()
        if target in (Status.PUBLISHED, Status.DEPRECATED):
            # Chained like a curator's publication, so a later change of these figures in
            # the database is caught by `yuntan ledger verify`.
            ledger.factor_published(version, created_by, source="reference data",
                                    status=target)
        added.append(row.record)
    return LoadedFactors(tuple(added), tuple(present))


def load_shipped_factors() -> LoadedFactors:
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


class ImplausibleValues(FactorCurationError):
    """A value is negative, not a number, or beyond physical bounds."""


class ChangeNeedsReason(FactorCurationError):
    """A value changed more than ×3 from the previous version and no reason is stated."""


def previous_version(dataset: FactorDataset, version: FactorVersion | None,
                     supersedes: FactorVersion | None) -> FactorVersion | None:
    """The version a new one is compared with: the one it supersedes, else the dataset's
    newest published one."""
    if supersedes is not None:
        return supersedes
    if dataset.pk is None:
        return None
    others = dataset.versions.filter(status=Status.PUBLISHED)
    if version is not None and version.pk is not None:
        others = others.exclude(pk=version.pk)
    return others.order_by("-published_at", "-pk").first()


def check_plausible(dataset: FactorDataset, values: Sequence[Any], change_reason: str,
                    previous: FactorVersion | None) -> None:
    """Refuse impossible values, and a change of more than ×3 from ``previous`` without a
    stated reason (see :mod:`yuntan.platform.factors.plausibility`)."""
    found = plausibility.as_values(values)
    problems = plausibility.value_problems(found, dataset.category, dataset.unit)
    if problems:
        raise ImplausibleValues(" ".join(problems))
    if previous is not None and not change_reason.strip():
        large = plausibility.large_changes(found, plausibility.as_values(previous.values.all()))
        if large:
            raise ChangeNeedsReason(
                _("%(values)s changed more than %(ratio)g times from %(previous)s: state the "
                  "reason of the change.")
                % {"values": ", ".join(
                    f"{c.gas} ({c.origin}) {c.previous:g} → {c.new:g}" for c in large),
                   "ratio": plausibility.MAX_RATIO, "previous": previous})


def _check_version(version: FactorVersion) -> None:
    check_plausible(version.dataset, list(version.values.all()), version.change_reason,
                    previous_version(version.dataset, version, version.supersedes))


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
    check_plausible(dataset, values, str(fields.get("change_reason") or ""),
                    previous_version(dataset, None, fields.get("supersedes")))
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
    check_plausible(version.dataset, values, str(fields.get("change_reason") or ""),
                    previous_version(version.dataset, version, fields.get("supersedes")))
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
    _check_version(version)
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
    _check_version(version)
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
    ledger.factor_published(version, publisher)
    return version
