"""Shared footprints (what the host serves), customers (data recipients with API
credentials and the footprints granted to them), access tokens, the inbox of footprint
requests and the answers sent back."""

from __future__ import annotations

import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuntan.pact import parse_footprint
from yuntan.pact.model import SupplierPcf
from yuntan.platform.accounts.models import Organisation
from yuntan.platform.labels.models import Label
from yuntan.platform.studies.models import Result, Study


class FootprintStatus(models.TextChoices):
    ACTIVE = "Active", _("active")
    DEPRECATED = "Deprecated", _("deprecated")


class SharedFootprint(models.Model):
    """A ProductFootprint written once from a verified study's result (v3 and, where it can
    be expressed, v2.3). Never changed afterwards except for its deprecation (v3: the only
    change allowed; v2: a new version)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="shared_footprints",
                                     verbose_name=_("data owner"))
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="shared_footprints",
                              verbose_name=_("study"))
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("result"))
    label = models.ForeignKey(Label, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("label"))
    status = models.CharField(_("status"), max_length=16, choices=FootprintStatus.choices,
                              default=FootprintStatus.ACTIVE)
    preceding = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="successors", verbose_name=_("replaces"))
    document_v3 = models.JSONField(_("ProductFootprint (v3)"))
    document_v2 = models.JSONField(_("ProductFootprint (v2.3)"), null=True, blank=True)
    v2_note = models.CharField(_("why there is no v2.3 form"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("shared by"))
    created_at = models.DateTimeField(_("shared at"))
    deprecated_at = models.DateTimeField(_("deprecated at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("shared footprint")
        verbose_name_plural = _("shared footprints")

    def __str__(self) -> str:
        return f"{self.document_v3.get('productNameCompany', '')} ({self.id})"


class Customer(models.Model):
    """A data recipient (a buyer's PACT client) the enterprise gave API credentials. Only
    the SHA-256 of the secret is kept; the secret is shown once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="pact_customers",
                                     verbose_name=_("data owner"))
    name = models.CharField(_("customer"), max_length=200)
    client_id = models.CharField(_("client id"), max_length=64, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    footprints = models.ManyToManyField(SharedFootprint, blank=True, related_name="customers",
                                        verbose_name=_("footprints granted"))
    events_host = models.CharField(
        _("customer's PACT host"), max_length=300, blank=True,
        help_text=_("Where answers to its requests go, e.g. https://pact.buyer.example "
                    "(the request's source must be on this host)."))
    events_client_id = models.CharField(_("our client id at the customer's host"),
                                        max_length=200, blank=True)
    events_secret = models.TextField(_("our secret at the customer's host (encrypted)"),
                                     blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "name", "pk"]
        verbose_name = _("PACT customer")
        verbose_name_plural = _("PACT customers")

    def __str__(self) -> str:
        return self.name


class AccessToken(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="tokens")
    sha256 = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    FULFILLED = "fulfilled", _("fulfilled")
    REJECTED = "rejected", _("rejected")


class DeliveryStatus(models.TextChoices):
    NONE = "", _("not sent")
    PENDING = "pending", _("sending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class FootprintRequest(models.Model):
    """A RequestCreated event a customer sent: in the enterprise's inbox until fulfilled or
    rejected; the answer is sent back to the customer's host asynchronously."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="pact_requests", verbose_name=_("data owner"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="requests",
                                 verbose_name=_("customer"))
    version = models.CharField(_("PACT version"), max_length=4)
    event_id = models.CharField(_("event id"), max_length=200)
    source = models.CharField(_("source"), max_length=500)
    our_source = models.CharField(_("our events source"), max_length=500)
    body = models.JSONField(_("event"))
    comment = models.TextField(_("comment"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.OPEN)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.JSONField(_("answer event"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=16, choices=DeliveryStatus.choices,
                                default=DeliveryStatus.NONE, blank=True)
    attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last delivery error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["customer", "source", "event_id"],
                                               name="one_request_per_event")]
        verbose_name = _("footprint request")
        verbose_name_plural = _("footprint requests")


# --- the client side: our enterprises pull their suppliers' footprints ----------------------

class Supplier(models.Model):
    """A supplier's PACT host and the credentials it gave our enterprise (the secret kept
    encrypted: we must present it)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="pact_suppliers",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("supplier"), max_length=200)
    base_url = models.CharField(_("supplier's PACT host"), max_length=300)
    version = models.CharField(_("PACT version"), max_length=4, default="3",
                               choices=[("3", "v3.0"), ("2", "v2.3")])
    client_id = models.CharField(_("client id"), max_length=200)
    secret = models.TextField(_("client secret (encrypted)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_pulled_at = models.DateTimeField(_("last pulled at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["organisation", "name", "pk"]
        verbose_name = _("PACT supplier")
        verbose_name_plural = _("PACT suppliers")

    def __str__(self) -> str:
        return self.name


class ReceivedSource(models.TextChoices):
    PULL = "pull", _("pulled from the supplier's host")
    EVENT = "event", _("sent with a fulfilled request")
    FILE = "file", _("imported from a PACT JSON file")


class ReceivedFootprint(models.Model):
    """A supplier's ProductFootprint as received (validated against the official schema),
    and the supplier footprint made of it for use as primary data in studies."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="received_footprints",
                                     verbose_name=_("organisation"))
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="footprints", verbose_name=_("supplier"))
    pf_id = models.UUIDField(_("PfId"))
    spec_version = models.CharField(_("spec version"), max_length=32)
    pf_version = models.PositiveIntegerField(_("version (v2)"), default=0)
    document = models.JSONField(_("ProductFootprint"))
    source = models.CharField(_("received"), max_length=16, choices=ReceivedSource.choices)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    supplier_footprint = models.OneToOneField(
        "studies.SupplierFootprint", on_delete=models.PROTECT, related_name="pact",
        verbose_name=_("usable in studies as"))

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["organisation", "pf_id", "pf_version", "spec_version"],
            name="one_copy_per_footprint_version")]
        verbose_name = _("received footprint")
        verbose_name_plural = _("received footprints")

    @cached_property
    def pcf(self) -> SupplierPcf:
        return parse_footprint(self.document, check=False)  # validated when received

    def quality_text(self) -> str:
        """The supplier's data quality and assurance, for whoever uses the footprint."""
        pcf = self.pcf
        parts = [f"PACT {pcf.spec_version}"]
        if pcf.primary_data_share_percent is not None:
            parts.append(gettext("primary data %(share)s %%") % {
                "share": f"{pcf.primary_data_share_percent:.4g}"})
        if pcf.dqi is not None:
            parts.append(gettext("DQR technological/temporal/geographical %(t)s/%(tm)s/%(g)s "
                           "(1 best, %(max)s worst)") % {
                "t": f"{pcf.dqi.technological:.3g}", "tm": f"{pcf.dqi.temporal:.3g}",
                "g": f"{pcf.dqi.geographical:.3g}", "max": pcf.dqi.scale_max})
        provider = pcf.assurance_provider or "?"
        parts.append(gettext("verified by %(provider)s") % {"provider": provider}
                     if pcf.assured else gettext("not verified"))
        return "; ".join(parts)


class OutgoingRequest(models.Model):
    """A footprint request our enterprise sent to a supplier's host, and its answer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="pact_outgoing",
                                     verbose_name=_("organisation"))
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="requests",
                                 verbose_name=_("supplier"))
    event_id = models.CharField(_("event id"), max_length=200, unique=True)
    body = models.JSONField(_("event"))
    status = models.CharField(_("status"), max_length=16, default="sent", choices=[
        ("sent", _("sent")), ("failed", _("not delivered")), ("fulfilled", _("fulfilled")),
        ("rejected", _("rejected"))])
    error = models.TextField(_("error"), blank=True)
    answer = models.JSONField(_("answer event"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("sent by"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("footprint request sent")
        verbose_name_plural = _("footprint requests sent")
