"""Rule packs (核算规则) as loaded into the platform: one immutable row per pack version.

The TOML source is stored as loaded, with its SHA-256, so a study that pins a pack id and
version can always be recomputed with exactly the rules it was accounted with.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuntan.rules import RulePack, loads_pack
from yuntan.rules.loader import version_key


@lru_cache(maxsize=64)
def parsed_pack(sha256: str, source_toml: str, source_name: str) -> RulePack:
    """The validated pack of a stored source, parsed once per content."""
    return loads_pack(source_toml, source_name)


# What may never change once a version is stored; only the status moves (withdrawal).
FROZEN_FIELDS = ("pack_id", "version", "name_zh", "name_en", "source_toml", "sha256")


class Status(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RulePackVersion(models.Model):
    """One version of one rule pack, with the exact TOML it was loaded from."""

    pack_id = models.SlugField(_("rule pack"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    source_name = models.CharField(_("source file"), max_length=200)
    source_toml = models.TextField(_("TOML source"))
    sha256 = models.CharField(_("SHA-256 of the source"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PUBLISHED)

    class Meta:
        ordering = ["pack_id", "loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["pack_id", "version"],
                                    name="rule_pack_version_unique"),
        ]
        verbose_name = _("rule pack version")
        verbose_name_plural = _("rule pack versions")

    def __str__(self) -> str:
        return f"{self.pack_id} {self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def sort_key(self) -> tuple[str, tuple[int, int, int, int, str]]:
        return self.pack_id, version_key(self.version)

    def rule_pack(self) -> RulePack:
        """The validated pack (parsed once per content, see :func:`parsed_pack`)."""
        return parsed_pack(self.sha256, self.source_toml, self.source_name)

    def save(self, *args: object, **kwargs: object) -> None:
        # A loaded version is immutable (docs/rule-packs.md): new rules are a new version.
        if self.pk is not None:
            stored = RulePackVersion.objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if stored and any(stored[name] != getattr(self, name) for name in FROZEN_FIELDS):
                raise ValidationError(
                    _("%(version)s is loaded and cannot change; write a new version.")
                    % {"version": str(self)}
                )
        super().save(*args, **kwargs)  # type: ignore[arg-type]
