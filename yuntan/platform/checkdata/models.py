"""Meter readings (per product and field: a site's meters outlive one study), bills and
green-electricity documents (per study). Readings are never edited: a batch either lands
whole or not at all, and a reading that repeats one already stored with the same value is
skipped, with a different value refused."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuntan.platform.studies.models import Evidence, Product, Study


class ReadingKind(models.TextChoices):
    INTERVAL = "interval", _("consumption of the interval")
    CUMULATIVE = "cumulative", _("register reading")


class BatchSource(models.TextChoices):
    UPLOAD = "upload", _("CSV upload")
    API = "api", _("API push")


class MeterFeed(models.Model):
    """An API credential with which an energy-monitoring system pushes the readings of one
    field of one product. Only a SHA-256 of the token is kept; the token is shown once."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="meter_feeds",
                                verbose_name=_("product"))
    field_id = models.CharField(_("field"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    token_prefix = models.CharField(_("token prefix"), max_length=16, unique=True)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["product", "field_id", "pk"]
        verbose_name = _("meter data feed")
        verbose_name_plural = _("meter data feeds")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"


class MeterBatch(models.Model):
    """One upload or push of readings."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="meter_batches",
                                verbose_name=_("product"))
    field_id = models.CharField(_("field"), max_length=64)
    source = models.CharField(_("source"), max_length=16, choices=BatchSource.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored = models.PositiveIntegerField(_("readings stored"))
    skipped = models.PositiveIntegerField(_("repeated readings skipped"))
    feed = models.ForeignKey(MeterFeed, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="batches", verbose_name=_("feed"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meter reading batch")
        verbose_name_plural = _("meter reading batches")


class MeterReading(models.Model):
    batch = models.ForeignKey(MeterBatch, on_delete=models.PROTECT, related_name="readings")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    field_id = models.CharField(_("field"), max_length=64)
    meter_id = models.CharField(_("meter"), max_length=64)
    timestamp = models.DateTimeField(_("time"))
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=ReadingKind.choices)

    class Meta:
        ordering = ["product", "field_id", "meter_id", "timestamp"]
        constraints = [models.UniqueConstraint(
            fields=["product", "field_id", "meter_id", "kind", "timestamp"],
            name="one_reading_per_meter_and_time")]
        indexes = [models.Index(fields=["product", "field_id", "timestamp"])]


class Bill(models.Model):
    """A utility bill or invoice for a field of a study (票据): what it covers and how much."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="bills",
                              verbose_name=_("study"))
    field_id = models.CharField(_("field"), max_length=64)
    supplier = models.CharField(_("supplier"), max_length=200)
    number = models.CharField(_("bill or invoice number"), max_length=100)
    period_start = models.DateField(_("covers from"))
    period_end = models.DateField(_("covers to (inclusive)"))
    quantity = models.FloatField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=32)
    evidence = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("scanned bill"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["study", "field_id", "period_start", "pk"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")


class GreenKind(models.TextChoices):
    GREEN_CERTIFICATE = "green_certificate", _("green electricity certificates (GEC)")
    GREEN_POWER_TRADE = "green_power_trade", _("green power trading contract")
    POWER_PURCHASE_AGREEMENT = "power_purchase_agreement", _("power purchase agreement")


class GreenDocument(models.Model):
    """A batch of green electricity certificates or a contract backing the market-based
    electricity of a study (one certificate = 1 MWh)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="green_documents",
                              verbose_name=_("study"))
    kind = models.CharField(_("kind"), max_length=32, choices=GreenKind.choices)
    reference = models.CharField(_("certificate numbers or contract reference"),
                                 max_length=200)
    quantity = models.FloatField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=32, default="kWh")
    period_start = models.DateField(_("generation or delivery from"))
    period_end = models.DateField(_("generation or delivery to (inclusive)"))
    evidence = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("document"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["study", "kind", "period_start", "pk"]
        verbose_name = _("green electricity document")
        verbose_name_plural = _("green electricity documents")
