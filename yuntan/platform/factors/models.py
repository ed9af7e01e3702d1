"""The provincial factor database (排放因子数据库): datasets, their immutable versions, values.

A factor dataset is a stable identity (e.g. the Yunnan grid average electricity factor); each
version carries the numbers, their source and review status. Published versions never
change: a correction is a new version that supersedes the old one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ENERGY = "energy", _("Energy")
    FUEL_COMBUSTION = "fuel_combustion", _("Fuel combustion")
    MATERIAL = "material", _("Material")
    TRANSPORT = "transport", _("Transport")
    WASTE_TREATMENT = "waste_treatment", _("Waste treatment")
    SERVICE = "service", _("Service")
    PROCESS_EMISSION = "process_emission", _("Process emission")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")
    DEPRECATED = "deprecated", _("Deprecated")
    PLACEHOLDER = "placeholder", _("Placeholder: no public figure yet")


# Versions whose figures were published: never changed or removed (a correction is a new
# version); only the curation actions move them, each with its ledger entry.
FROZEN_STATUSES = (Status.PUBLISHED, Status.DEPRECATED)

# What anyone may see; drafts and reviewed versions are for curators only.
PUBLIC_STATUSES = (Status.PUBLISHED, Status.DEPRECATED, Status.PLACEHOLDER)


class SourceQuality(models.TextChoices):
    PRIMARY = "primary", _("Primary: the issuing body's own document")
    SECONDARY = "secondary", _("Secondary: a transcription or report of it")
    UNVERIFIED = "unverified", _("Unverified")


# Data-quality scores of the ecoinvent pedigree matrix: 1 (best) … 5 (worst).
PEDIGREE_SCORES = [(score, str(score)) for score in range(1, 6)]
PEDIGREE_INDICATORS = {
    "pedigree_reliability": _("reliability"),
    "pedigree_completeness": _("completeness"),
    "pedigree_temporal": _("temporal correlation"),
    "pedigree_geographical": _("geographical correlation"),
    "pedigree_technological": _("technological correlation"),
}


class FactorDataset(models.Model):
    """The stable identity of a factor (因子数据集), shared by all its versions."""

    code = models.SlugField(_("identifier"), max_length=120, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    unit = models.CharField(_("reference unit"), max_length=32)

    class Meta:
        ordering = ["code"]
        verbose_name = _("factor dataset")
        verbose_name_plural = _("factor datasets")

    def __str__(self) -> str:
        return self.code


class FactorVersion(models.Model):
    """One version of a factor dataset: its values, provenance and review status."""

    dataset = models.ForeignKey(FactorDataset, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("version"), max_length=40)
    region = models.CharField(_("region"), max_length=32)
    reference_year = models.PositiveSmallIntegerField(_("reference year"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    gwp_set = models.CharField(_("GWP set of CO2e values"), max_length=8, blank=True)
    source_publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    source_document = models.CharField(_("document"), max_length=500, blank=True)
    source_year = models.PositiveSmallIntegerField(_("source year"), null=True, blank=True)
    source_url = models.CharField(_("address"), max_length=500, blank=True)
    source_quality = models.CharField(_("source quality"), max_length=16,
                                      choices=SourceQuality.choices,
                                      default=SourceQuality.UNVERIFIED)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # A figure from outside China or Yunnan, chosen at the high end of what is published,
    # where no local figure exists: used (never as zero), but rated lower and named on
    # every result that rests on it, so that primary data pays off (CBAM default values).
    conservative_default = models.BooleanField(
        _("conservative default (not Yunnan-specific)"), default=False,
        help_text=_("The best published figure where no Chinese or Yunnan one exists, "
                    "chosen conservatively; results that use it say so."))
    change_reason = models.TextField(
        _("reason of a large change"), blank=True,
        help_text=_("Required when a value is more than 3 times larger or smaller than in the "
                    "previous version of the dataset: say why (e.g. a new method, a unit "
                    "error corrected)."))
    # Lognormal uncertainty of every value of the version (the core's Distribution.lognormal).
    uncertainty_gsd = models.FloatField(
        _("uncertainty (geometric standard deviation)"), null=True, blank=True,
        validators=[MinValueValidator(1.0)],
        help_text=_("Lognormal: about 19 outcomes in 20 lie between value ÷ GSD² and "
                    "value × GSD². Leave empty when the source states none."))
    pedigree_reliability = models.PositiveSmallIntegerField(
        _("pedigree: reliability"), choices=PEDIGREE_SCORES, null=True, blank=True)
    pedigree_completeness = models.PositiveSmallIntegerField(
        _("pedigree: completeness"), choices=PEDIGREE_SCORES, null=True, blank=True)
    pedigree_temporal = models.PositiveSmallIntegerField(
        _("pedigree: temporal correlation"), choices=PEDIGREE_SCORES, null=True, blank=True)
    pedigree_geographical = models.PositiveSmallIntegerField(
        _("pedigree: geographical correlation"), choices=PEDIGREE_SCORES, null=True, blank=True)
    pedigree_technological = models.PositiveSmallIntegerField(
        _("pedigree: technological correlation"), choices=PEDIGREE_SCORES, null=True, blank=True)
    supersedes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="superseded_by", verbose_name=_("supersedes"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["dataset__code", "-reference_year", "version"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "version"], name="factor_version_unique"),
        ]
        verbose_name = _("factor version")
        verbose_name_plural = _("factor versions")
        # Curators hold change_factorversion (create drafts, review); publishing is separate.
        permissions = [("publish_factorversion", _("Can publish factor versions"))]

    def __str__(self) -> str:
        return f"{self.dataset.code}@{self.version}"

    @property
    def source_link(self) -> str:
        """The source address when it is a web address (only these become links)."""
        return self.source_url if self.source_url.startswith(("https://", "http://")) else ""

    @property
    def weak_source(self) -> bool:
        return self.source_quality != SourceQuality.PRIMARY

    @property
    def pedigree(self) -> list[tuple[str, int]]:
        """(indicator label, score) of the pedigree matrix; empty when not scored."""
        scores = [(str(label), getattr(self, name)) for name, label in PEDIGREE_INDICATORS.items()]
        return scores if all(score is not None for _label, score in scores) else []

    @property
    def is_characterised(self) -> bool:
        """Values given as CO2e (already characterised) rather than as masses of each gas."""
        return any(value.gas == "CO2e" for value in self.values.all())

    @property
    def kind(self) -> str:
        """``placeholder`` (no figure), ``default`` (conservative default) or ``local``."""
        if self.status == Status.PLACEHOLDER:
            return "placeholder"
        return "default" if self.conservative_default else "local"

    @property
    def is_placeholder(self) -> bool:
        return self.status == Status.PLACEHOLDER

    def clean(self) -> None:
        # The admin's check; the curator's form and the file readers check the same.
        scores = [getattr(self, name) for name in PEDIGREE_INDICATORS]
        if any(s is not None for s in scores) and any(s is None for s in scores):
            raise ValidationError(_("Give all five pedigree scores or none."))

    def save(self, *args: object, **kwargs: object) -> None:
        # Published versions are immutable: corrections are new versions (DESIGN.md). The
        # one change left is publish_version deprecating the version a correction replaces.
        stored = (FactorVersion.objects.filter(pk=self.pk).values_list("status", flat=True)
                  .first() if self.pk is not None else None)
        if stored in FROZEN_STATUSES and not (
                stored == Status.PUBLISHED and self.status == Status.DEPRECATED
                and kwargs.get("update_fields") == ["status"]):
            raise ValidationError(
                _("%(version)s is %(status)s and cannot change; create a new version that "
                  "supersedes it.") % {"version": str(self), "status": stored})
        if (self.status == Status.PUBLISHED and stored != Status.PUBLISHED
                and self.created_by_id is not None
                and self.reviewer_id in (None, self.created_by_id)):
            raise ValidationError(
                _("%(version)s needs another curator's review before it is published.")
                % {"version": str(self)})
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.status in FROZEN_STATUSES:
            raise ValidationError(_("%(version)s is %(status)s and is never deleted.")
                                  % {"version": str(self), "status": self.status})
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]


class FactorValueQuerySet(models.QuerySet[Any]):
    """Bulk updates and deletes refuse the values of published (or deprecated) versions."""

    def _refuse_frozen(self) -> None:
        if self.filter(version__status__in=FROZEN_STATUSES).exists():
            raise ValidationError(_("The values of a published version cannot change; create "
                                    "a new version."))

    def update(self, **kwargs: Any) -> int:
        self._refuse_frozen()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_frozen()
        return super().delete()


class FactorValue(models.Model):
    """kg of one gas (by origin) per unit of the dataset's reference unit."""

    version = models.ForeignKey(FactorVersion, on_delete=models.CASCADE, related_name="values")
    gas = models.CharField(_("gas"), max_length=16)
    origin = models.CharField(_("origin"), max_length=20)
    amount_kg_per_unit = models.FloatField(_("kg per unit"))
    source_note = models.TextField(_("source note"), blank=True)

    class Meta:
        ordering = ["gas", "origin"]
        constraints = [
            models.UniqueConstraint(fields=["version", "gas", "origin"],
                                    name="factor_value_unique"),
        ]
        verbose_name = _("factor value")
        verbose_name_plural = _("factor values")

    def __str__(self) -> str:
        return f"{self.version}: {self.amount_kg_per_unit:g} kg {self.gas} ({self.origin})"

    objects: ClassVar[Any] = FactorValueQuerySet.as_manager()

    def save(self, *args: object, **kwargs: object) -> None:
        if self.version.status in FROZEN_STATUSES:
            raise ValidationError(
                _("%(version)s is published: its values cannot change; create a new version.")
                % {"version": str(self.version)}
            )
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.version.status in FROZEN_STATUSES:
            raise ValidationError(
                _("%(version)s is published: its values cannot change; create a new version.")
                % {"version": str(self.version)})
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]
