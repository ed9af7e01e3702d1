"""The bilingual text of a verification, for the command line (and plain-text pages)."""

from __future__ import annotations

from datetime import date

from yuntan.labels.signing import LabelDocument, Level, VerifyOutcome


def verification_report(doc: LabelDocument, outcome: VerifyOutcome, today: date) -> str:
    """What was checked, against what, and the label's main statements."""
    c = doc.signed.content
    mark = "✓" if outcome.valid else "✗"
    lines = [
        f"{mark} {outcome.message_zh} / {outcome.message_en}",
        f"  验证级别 / level: {outcome.level_zh} / {outcome.level_en}",
        f"  密钥 / key id: {outcome.key_id}",
    ]
    if outcome.level is Level.INTEGRITY:
        lines.append("  提示：用 --keys 对照认证机构公布的公钥以确认来源 / hint: pass --keys "
                     "with the published keys to check the origin")
    lines += [
        f"  证书编号 / certificate: {c.certificate_number}",
        f"  产品 / product: {c.product_name_zh} / {c.product_name_en}",
        f"  企业 / enterprise: {c.enterprise_name_zh} / {c.enterprise_name_en}",
        f"  碳足迹 / footprint: {c.footprint:g} {c.footprint_unit} per "
        f"{c.declared_unit_amount:g} {c.declared_unit}",
        f"  等级 / grade: {c.grade_name_zh} / {c.grade_name_en}"
        + ("（阈值为占位值 / placeholder thresholds）" if c.grade_placeholder else ""),
        f"  有效期 / valid: {c.valid_from.isoformat()} – {c.valid_to.isoformat()}"
        + ("（已过期 / expired）" if c.expired(today) else ""),
        f"  签发 / issued by: {c.issuing_body_zh} / {c.issuing_body_en}",
    ]
    if c.illustrative:
        lines.append("  示例数据，非正式证书 / illustrative data: not a real certificate")
    if doc.verification_url:
        lines.append("  当前状态（暂停、撤销）请在线查看 / current status (suspended, revoked) "
                     f"online: {doc.verification_url}")
    return "\n".join(lines)
