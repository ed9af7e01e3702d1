"""Label content: validity, canonical JSON, reading back."""

from __future__ import annotations

import json
from datetime import date

import pytest
from label_cases import content

from yuntan.labels import (
    InvalidLabelContent,
    LabelContent,
    canonical_json,
    generate_key,
    grade_fields,
    validity,
)

KEY = generate_key()


@pytest.mark.parametrize("issued,until", [
    (date(2025, 6, 1), date(2027, 6, 1)),
    (date(2024, 2, 29), date(2026, 2, 28)),
    (date(2025, 12, 31), date(2027, 12, 31)),
])
def test_validity_runs_two_years_from_the_issue_date(issued: date, until: date) -> None:
    assert validity(issued) == (issued, until)


def test_make_content_fills_in_the_validity() -> None:
    label = content(KEY)
    assert (label.valid_from, label.valid_to) == (date(2025, 6, 1), date(2027, 6, 1))
    assert not label.expired(date(2027, 6, 1))
    assert label.expired(date(2027, 6, 2))


def test_canonical_json_sorts_keys_without_spaces_in_utf8() -> None:
    data = canonical_json(content(KEY))
    parsed = json.loads(data)
    assert list(parsed) == sorted(parsed)
    assert b'"footprint":612.4' in data
    assert b'"declared_unit_amount":1,' in data
    assert "从摇篮到大门".encode() in data
    assert b": " not in data and b", " not in data.replace(b"Co., Ltd", b"")


def test_content_reads_back_to_the_same_canonical_bytes() -> None:
    label = content(KEY)
    again = LabelContent.from_dict(json.loads(json.dumps(label.as_dict())))
    assert again == label
    assert canonical_json(again) == canonical_json(label)


@pytest.mark.parametrize("change", [
    {"extra": 1},
    {"footprint": "612.4"},
    {"grade_placeholder": "yes"},
    {"issue_date": "1 June 2025"},
    {"certificate_number": 7},
])
def test_reading_refuses_wrong_or_unknown_fields(change: dict[str, object]) -> None:
    data = {**content(KEY).as_dict(), **change}
    with pytest.raises(InvalidLabelContent):
        LabelContent.from_dict(data)


def test_reading_refuses_a_missing_field() -> None:
    data = content(KEY).as_dict()
    del data["grade_placeholder"]
    with pytest.raises(InvalidLabelContent, match="grade_placeholder"):
        LabelContent.from_dict(data)


@pytest.mark.parametrize("change", [
    {"footprint": float("nan")},
    {"footprint": float("inf")},
    {"declared_unit_amount": 0},
    {"certificate_number": " "},
    {"result_inputs_sha256": "not a hash"},
    {"key_id": "AB" * 32},
])
def test_content_refuses_impossible_values(change: dict[str, object]) -> None:
    with pytest.raises(InvalidLabelContent):
        content(KEY, **change)


def test_grade_fields_carry_the_placeholder_flag_of_the_packs_grading() -> None:
    from yuntan.accounting import Grade

    pending = Grade(None, "待定（分级阈值尚未发布）", "pending (grading thresholds not yet "
                    "published)", placeholder=True)
    label = content(KEY, **grade_fields(pending))
    assert label.grade_placeholder and label.grade_level is None
    graded = content(KEY, **grade_fields(Grade("l1", "一级", "level 1", placeholder=False)))
    assert (graded.grade_level, graded.grade_placeholder) == ("l1", False)
