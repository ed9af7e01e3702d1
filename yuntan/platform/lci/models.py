"""An imported background database, its processes and impact categories."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuntan.platform.accounts.models import Organisation


class LciDatabase(models.Model):
    """One imported openLCA JSON-LD package. ``organisation`` is None for a database the
    province shares with every user; otherwise only that organisation sees it."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="lci_databases",
                                     verbose_name=_("organisation"))
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    package_version = models.PositiveSmallIntegerField(_("openLCA schema version"))
    version_marker = models.CharField(_("how the version was found"), max_length=200)
    converted_files = models.PositiveIntegerField(_("files converted from 1.x"))
    linking = models.JSONField(_("linking report"))
    notes = models.JSONField(_("notes"), default=list)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+", verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("background LCI database")
        verbose_name_plural = _("background LCI databases")

    def __str__(self) -> str:
        return self.name


class LciProcess(models.Model):
    database = models.ForeignKey(LciDatabase, on_delete=models.CASCADE,
                                 related_name="processes")
    uuid = models.CharField(_("@id"), max_length=64)
    name = models.CharField(_("name"), max_length=500)
    category = models.CharField(_("category"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    product = models.CharField(_("reference product"), max_length=500)
    unit = models.CharField(_("unit"), max_length=32)
    amount = models.FloatField(_("reference amount"))
    # kg CO2e per unit of the reference product, Yuntan's default GWP set (None: not computed)
    kg_co2e_per_unit = models.FloatField(_("kg CO2e per unit"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["database", "uuid"],
                                               name="lci_process_unique")]


class LciImpactCategory(models.Model):
    database = models.ForeignKey(LciDatabase, on_delete=models.CASCADE,
                                 related_name="impact_categories")
    uuid = models.CharField(_("@id"), max_length=64)
    name = models.CharField(_("name"), max_length=500)
    methods = models.CharField(_("impact methods"), max_length=1000, blank=True)
    unit = models.CharField(_("unit"), max_length=64)
    factor_count = models.PositiveIntegerField(_("characterisation factors"))

    class Meta:
        ordering = ["name"]
