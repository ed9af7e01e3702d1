"""Who is told about a verification step, in the page header and by e-mail when the
platform has a mail server (``YUNTAN_EMAIL_HOST``); an intranet without one loses nothing."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from yuntan.platform.accounts.models import Role
from yuntan.platform.verification.models import Notification, Verification

log = logging.getLogger(__name__)

# event → (who, Chinese text, English text); who: certifiers, verifier, enterprise
EVENTS: dict[str, tuple[str, str, str]] = {
    "submitted": ("certifiers", "{study} 已提交核查，待分配核查员。",
                  "{study} was submitted for verification and waits for a verifier."),
    "resubmitted": ("verifier", "{study} 已更正并重新提交。",
                    "{study} was corrected and submitted again."),
    "assigned": ("verifier", "您被分配核查 {study}。", "You are assigned to verify {study}."),
    "changes requested": ("enterprise", "{study} 的核查提出了问题，请答复或更正。",
                          "The verification of {study} raised findings: answer or correct."),
    "verified": ("enterprise+certifiers", "{study} 已核查通过。", "{study} is verified."),
    "rejected": ("enterprise", "{study} 未通过核查。", "{study} did not pass verification."),
    "factor update": ("enterprise+verifier+certifiers",
                      "因子更新 {version}：{study} 的足迹按新因子为 {after}"
                      "（核查结果 {before} 不变），由认证机构决定是否重新核查。",
                      "Factor update {version}: {study} would be {after} with it (the verified "
                      "{before} stays); the certification body decides on re-verification."),
    "factor update decided": ("enterprise+verifier",
                              "因子更新 {version}：认证机构决定 {study}{decision}。",
                              "Factor update {version}: for {study} the certification body "
                              "decided: {decision_en}."),
}


def _recipients(verification: Verification, who: str) -> list[Any]:
    users = get_user_model().objects.filter(is_active=True)
    found: list[Any] = []
    if "certifiers" in who:
        found += list(users.filter(membership__role=Role.CERTIFIER))
    if "verifier" in who and verification.verifier_id is not None:
        found += list(users.filter(pk=verification.verifier_id))
    if "enterprise" in who:
        found += list(users.filter(
            membership__organisation_id=verification.study.product.organisation_id,
            membership__role__in=(Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)))
    return found


def notify(verification: Verification, event: str, **details: str) -> int:
    """Tell the people concerned; returns how many were told. Mail goes out only after the
    transaction commits, and a mail failure is logged, never lost in the step itself.
    ``details`` fill the event's text (e.g. a footprint before and after)."""
    who, zh, en = EVENTS[event]
    study = str(verification.study)
    text_zh, text_en = zh.format(study=study, **details), en.format(study=study, **details)
    people = _recipients(verification, who)
    Notification.objects.bulk_create(
        Notification(recipient=user, verification=verification, text_zh=text_zh[:300],
                     text_en=text_en[:300]) for user in people)
    addresses = [u.email for u in people if u.email]
    if settings.EMAIL_HOST and addresses:
        subject = f"云碳 Yuntan: {text_en}"[:200]
        body = f"{text_zh}\n{text_en}"

        def send() -> None:
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
            except OSError:
                log.exception("could not mail the notification of %s", verification.pk)

        transaction.on_commit(send)
    return len(people)
