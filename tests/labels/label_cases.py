"""A label for the tests: every field filled, Chinese text with XML specials."""

from __future__ import annotations

from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from yuntan.labels import LabelContent, fingerprint, make_content

URL = "https://yuntan.example/labels/YT-2025-0001/"


def content(key: Ed25519PrivateKey, **changes: Any) -> LabelContent:
    fields: dict[str, Any] = {
        "certificate_number": "YT-2025-0001",
        "product_name_zh": "普通硅酸盐水泥 P·O 42.5 <散装> & \"袋装\"",
        "product_name_en": "Ordinary Portland cement P·O 42.5 <bulk> & 'bagged'",
        "enterprise_name_zh": "云南示例水泥有限公司",
        "enterprise_name_en": "Yunnan Example Cement Co., Ltd.",
        "enterprise_code": "91530000000000000X",
        "footprint": 612.4,
        "footprint_unit": "kg CO2e",
        "declared_unit_amount": 1,
        "declared_unit": "t",
        "system_boundary_zh": "从摇篮到大门",
        "system_boundary_en": "cradle to gate",
        "standard": "GB/T 24067-2024",
        "rule_pack_id": "cement",
        "rule_pack_version": "1.0.0",
        "gwp_set": "AR6",
        "grade_level": None,
        "grade_name_zh": "待定（分级阈值尚未发布）",
        "grade_name_en": "pending (grading thresholds not yet published)",
        "grade_placeholder": True,
        "illustrative": True,
        "verification_body_zh": "示例核查机构",
        "verification_body_en": "Example Verification Body",
        "issuing_body_zh": "示例认证机构",
        "issuing_body_en": "Example Certification Body",
        "result_inputs_sha256": "ab" * 32,
        "key_id": fingerprint(key),
        "issue_date": date(2025, 6, 1),
    }
    fields.update(changes)
    return make_content(**fields)
