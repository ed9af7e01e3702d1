"""Products, studies and what a study rests on: activity data (with every change kept),
pinned factor versions, evidence files, and immutable results."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuntan.platform.accounts.models import Organisation
from yuntan.platform.factors.models import FactorDataset, FactorVersion


class Product(models.Model):
    """A product an enterprise accounts for; its category is a rule pack."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="products", verbose_name=_("organisation"))
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    rule_pack_id = models.CharField(_("product category (rule pack)"), max_length=64)
    variant = models.CharField(_("variant"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    illustrative = models.BooleanField(
        _("illustrative data"), default=False,
        help_text=_("Demonstration data, not an enterprise's real figures."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name_zh


class StudyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for verification")
    VERIFIED = "verified", _("Verified")


EDITABLE = (StudyStatus.DRAFT,)


class Study(models.Model):
    """One footprint accounting case of one product for one reference period."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="studies",
                                verbose_name=_("product"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    period_start = models.DateField(_("reference period from"))
    period_end = models.DateField(_("reference period to"))
    rule_pack_id = models.CharField(_("rule pack"), max_length=64)
    rule_pack_version = models.CharField(_("rule pack version"), max_length=32)
    variant = models.CharField(_("variant"), max_length=64, blank=True)
    gwp_set = models.CharField(_("GWP set"), max_length=8, default="AR6")
    status = models.CharField(_("status"), max_length=16, choices=StudyStatus.choices,
                              default=StudyStatus.DRAFT)
    scenario_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="scenarios",
                                    verbose_name=_("scenario of"))
    scenario_note = models.TextField(_("measures of the scenario"), blank=True)
    illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "product__name_zh"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="study_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.product} {self.period_start:%Y}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def reference_year(self) -> int:
        return self.period_end.year

    def latest_result(self) -> Result | None:
        """The study's current result (a recomputation proposed after a factor update is
        not, until the certification body has decided on it)."""
        return self.results.filter(proposed=False).order_by("-number").first()


class ActivityValue(models.Model):
    """The current value of one activity-data field of a study (rule pack field id)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="activity",
                              verbose_name=_("study"))
    field_id = models.CharField(_("field"), max_length=64)
    amount = models.FloatField(_("amount"))
    unit = models.CharField(_("unit"), max_length=32)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["study", "field_id"]
        constraints = [models.UniqueConstraint(fields=["study", "field_id"],
                                               name="activity_value_unique")]
        verbose_name = _("activity data")
        verbose_name_plural = _("activity data")


class ActivityChange(models.Model):
    """One change of activity data: who, when, old → new, through what. Append-only."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="changes")
    field_id = models.CharField(_("field"), max_length=64)
    old_amount = models.FloatField(_("old amount"), null=True, blank=True)
    old_unit = models.CharField(_("old unit"), max_length=32, blank=True)
    new_amount = models.FloatField(_("new amount"), null=True, blank=True)
    new_unit = models.CharField(_("new unit"), max_length=32, blank=True)
    source = models.CharField(_("entered through"), max_length=32)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change of activity data")
        verbose_name_plural = _("changes of activity data")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a recorded change is never edited")
        super().save(*args, **kwargs)


class FactorPin(models.Model):
    """The version of a factor dataset a study uses (pinned when first needed)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="pins")
    dataset = models.ForeignKey(FactorDataset, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(FactorVersion, on_delete=models.PROTECT,
                                related_name="pins")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["study", "dataset"],
                                               name="factor_pin_unique")]


class Evidence(models.Model):
    """A file supporting one activity-data field (invoice, meter reading, certificate).
    Stored once per content under its SHA-256; never served to another organisation."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="evidence")
    field_id = models.CharField(_("field"), max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["field_id", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class Result(models.Model):
    """An immutable computed footprint: the exact inputs (canonical JSON and its SHA-256)
    and the outcome under both electricity methods."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="results",
                              verbose_name=_("study"))
    number = models.PositiveIntegerField(_("number"))
    reason = models.CharField(_("reason"), max_length=200)
    inputs = models.JSONField(_("inputs"))
    inputs_sha256 = models.CharField(_("SHA-256 of the inputs"), max_length=64)
    outcome = models.JSONField(_("outcome"))
    total_kg_co2e = models.FloatField(_("footprint (kg CO2e per declared unit)"))
    headline_method = models.CharField(_("headline electricity method"), max_length=32)
    gwp_set = models.CharField(_("GWP set"), max_length=8)
    engine_version = models.CharField(_("engine version"), max_length=32)
    complete = models.BooleanField(_("complete (no placeholder factor)"))
    # A recomputation of a submitted or verified study after a factor update: it stands
    # beside the verified result, which stays the study's result (and the label's).
    proposed = models.BooleanField(
        _("recomputed after a factor update (beside the verified result)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("computed by"))
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["study", "-number"]
        constraints = [models.UniqueConstraint(fields=["study", "number"],
                                               name="result_number_unique")]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.study} #{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a result is immutable; compute a new one")
        super().save(*args, **kwargs)


class UncertaintyRun(models.Model):
    """A Monte Carlo run on a result: the iterations, the seed (so it can be repeated) and
    the distribution of the footprint per declared unit."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="uncertainty_runs",
                               verbose_name=_("result"))
    iterations = models.PositiveIntegerField(_("iterations"))
    seed = models.PositiveBigIntegerField(_("seed"))
    electricity_method = models.CharField(_("electricity method"), max_length=32)
    mean = models.FloatField(_("mean"))
    std = models.FloatField(_("standard deviation"))
    percentiles = models.JSONField(_("percentiles"))
    samples = models.JSONField(_("samples"))
    sampled_activities = models.PositiveIntegerField(_("activities sampled"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uncertainty analysis")
        verbose_name_plural = _("uncertainty analyses")


class SupplierFootprint(models.Model):
    """A footprint a supplier gave the enterprise (entered by hand, with its evidence), used
    in place of a factor dataset. Never edited: a new figure is a new footprint."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="supplier_footprints",
                                     verbose_name=_("organisation"))
    supplier = models.CharField(_("supplier"), max_length=200)
    product = models.CharField(_("supplier's product"), max_length=200)
    unit = models.CharField(_("unit"), max_length=32)
    kg_co2e_per_unit = models.FloatField(_("kg CO2e per unit"))
    gwp_set = models.CharField(_("GWP set"), max_length=8, default="AR6")
    reference_year = models.PositiveSmallIntegerField(_("reference year"))
    evidence = models.CharField(_("evidence (document, certificate, PCF id)"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["supplier", "product", "-created_at"]
        verbose_name = _("supplier footprint")
        verbose_name_plural = _("supplier footprints")

    def __str__(self) -> str:
        return f"{self.supplier}: {self.product}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a supplier footprint is never edited; enter a new one")
        super().save(*args, **kwargs)


class InputLink(models.Model):
    """Where one input of a study comes from, instead of the rule pack's default factor
    dataset: another factor dataset, a supplier's footprint, or another of the enterprise's
    own studies (its latest result per declared unit). Exactly one is set."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="links")
    field_id = models.CharField(_("field"), max_length=64)
    factor_dataset = models.ForeignKey(FactorDataset, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    supplier_footprint = models.ForeignKey(SupplierFootprint, on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="links")
    source_study = models.ForeignKey(Study, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "field_id"], name="input_link_unique"),
            models.CheckConstraint(
                condition=(models.Q(factor_dataset__isnull=False, supplier_footprint__isnull=True,
                                    source_study__isnull=True)
                           | models.Q(factor_dataset__isnull=True,
                                      supplier_footprint__isnull=False,
                                      source_study__isnull=True)
                           | models.Q(factor_dataset__isnull=True, supplier_footprint__isnull=True,
                                      source_study__isnull=False)),
                name="input_link_one_source"),
        ]

    @property
    def code(self) -> str:
        """The dataset code the calculation sees for this link."""
        if self.factor_dataset_id is not None:
            return str(self.factor_dataset.code)  # type: ignore[union-attr]
        if self.supplier_footprint_id is not None:
            return f"supplier-{self.supplier_footprint_id}"
        return f"own-study-{self.source_study_id}"
