"""Unified social credit codes (GB 32100-2015) and Yunnan's prefectures (GB/T 2260)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuntan.identifiers import (
    USCC_ALPHABET,
    normalise_uscc,
    prefecture,
    uscc_check_character,
    uscc_problem,
    yunnan_prefectures,
)

# The worked example used in descriptions of GB 32100-2015.
PUBLISHED_EXAMPLE = "91350100M000100Y43"

bodies = st.tuples(
    st.sampled_from("123456789ANY"),  # registration authority
    st.sampled_from("123459"),  # organisation category
    st.text("0123456789", min_size=6, max_size=6),  # administrative division
    st.text(USCC_ALPHABET, min_size=9, max_size=9),  # organisation code
).map("".join)


def test_the_published_example_is_valid() -> None:
    assert uscc_problem(PUBLISHED_EXAMPLE) is None
    assert uscc_check_character(PUBLISHED_EXAMPLE[:17]) == "3"


@given(bodies)
def test_a_code_with_its_check_character_is_valid(body: str) -> None:
    assert uscc_problem(body + uscc_check_character(body)) is None


@given(bodies, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_every_single_character_typo_is_caught(body: str, position: int, char: str) -> None:
    code = body + uscc_check_character(body)
    typo = code[:position] + char + code[position + 1:]
    if typo != code and typo[2:8].isdigit():
        assert uscc_problem(typo) is not None


@pytest.mark.parametrize("code, problem", [
    ("91350100M000100Y4", "18 characters, this one has 17"),
    ("91350100M000100Y44", "check character should be '3'"),
    ("91350100M000100I43", "character 16 'I' is not allowed"),
    ("9135A100M000100Y43", "administrative division"),
])
def test_bad_codes_say_why(code: str, problem: str) -> None:
    found = uscc_problem(code)
    assert found is not None and problem in found


def test_codes_are_normalised_as_typed() -> None:
    assert normalise_uscc(" 91350100m000100y43 ") == PUBLISHED_EXAMPLE


def test_yunnan_has_sixteen_prefectures_with_sources() -> None:
    prefectures = yunnan_prefectures()
    assert len(prefectures) == 16
    assert all(p.code.startswith("53") and len(p.code) == 6 for p in prefectures)
    assert all(p.source.startswith("Ministry of Civil Affairs") for p in prefectures)
    assert prefecture("530800").name_zh == "普洱市"
    assert prefecture("533400").name_en == "Diqing Tibetan Autonomous Prefecture"
    with pytest.raises(KeyError, match="530200"):
        prefecture("530200")  # no such prefecture
