"""Provider linking: default provider, single producer, unlinked with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonld_fixtures import Package, chain_package, uid

from yuntan.formats.jsonld import LinkStatus, read_jsonld


def _statuses(package: Package, tmp_path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    imported = read_jsonld(package.write(tmp_path / "links.zip"))
    return {(link.process_name, link.flow_name): (link.status, link.reason)
            for link in imported.linking.links}


def test_the_chain_links_by_default_provider_and_single_producer(tmp_path: Path) -> None:
    package, _ = chain_package()
    imported = read_jsonld(package.write(tmp_path / "chain.zip"))
    found = {(link.process_name, link.flow_name): (link.status, link.provider)
             for link in imported.linking.links}
    assert found == {
        ("steel mill", "electricity"): (LinkStatus.DEFAULT_PROVIDER, uid("process",
                                                                         "power plant")),
        ("steel mill", "steel scrap"): (LinkStatus.SINGLE_PRODUCER, uid("process",
                                                                        "scrap treatment")),
        ("part maker", "steel"): (LinkStatus.SINGLE_PRODUCER, uid("process", "steel mill")),
        ("part maker", "electricity"): (LinkStatus.SINGLE_PRODUCER, uid("process",
                                                                        "power plant")),
    }
    assert imported.linking.counts == {LinkStatus.DEFAULT_PROVIDER: 1,
                                       LinkStatus.SINGLE_PRODUCER: 3, LinkStatus.UNLINKED: 0}
    assert imported.linking.summary() == ("4 linkable exchanges: 1 default provider, "
                                          "3 single producer, 0 unlinked")


@pytest.fixture
def two_producers() -> tuple[Package, dict[str, str]]:
    """Cement from two kilns; consumers with and without a default provider."""
    package, ids = chain_package()
    ids["cement"] = package.flow("cement")
    ids["kiln a"] = package.process("kiln A", [package.exchange(ids["cement"], 1,
                                                                reference=True)])
    ids["kiln b"] = package.process("kiln B", [package.exchange(ids["cement"], 1,
                                                                reference=True)])
    return package, ids


def test_several_producers_without_a_default_stay_unlinked(
    two_producers: tuple[Package, dict[str, str]], tmp_path: Path,
) -> None:
    package, ids = two_producers
    package.process("concrete", [
        package.exchange(package.flow("concrete"), 1, reference=True),
        package.exchange(ids["cement"], 0.3, is_input=True),
    ])
    status, reason = _statuses(package, tmp_path)[("concrete", "cement")]
    assert status is LinkStatus.UNLINKED
    assert reason.startswith("several producers: ")
    assert "'kiln A'" in reason and "'kiln B'" in reason
    assert "set a default provider" in reason


def test_a_default_provider_chooses_among_several(
    two_producers: tuple[Package, dict[str, str]], tmp_path: Path,
) -> None:
    package, ids = two_producers
    package.process("mortar", [
        package.exchange(package.flow("mortar"), 1, reference=True),
        package.exchange(ids["cement"], 0.2, is_input=True, provider=ids["kiln b"]),
    ])
    assert _statuses(package, tmp_path)[("mortar", "cement")] == (
        LinkStatus.DEFAULT_PROVIDER, "")


def test_a_default_provider_outside_the_package_falls_back_and_says_so(
    tmp_path: Path,
) -> None:
    package, ids = chain_package()
    exchange = package.get("processes", ids["maker"])["exchanges"][1]
    exchange["defaultProvider"] = {"@id": "ecoinvent-steel"}
    status, reason = _statuses(package, tmp_path)[("part maker", "steel")]
    assert status is LinkStatus.SINGLE_PRODUCER
    assert reason == "default provider ecoinvent-steel is not in the package"


def test_a_default_provider_that_makes_something_else_is_not_used(tmp_path: Path) -> None:
    package, ids = chain_package()
    package.get("processes", ids["maker"])["exchanges"][1]["defaultProvider"] = {
        "@id": ids["plant"]}
    status, reason = _statuses(package, tmp_path)[("part maker", "steel")]
    assert status is LinkStatus.SINGLE_PRODUCER
    assert "'power plant'" in reason and "does not provide 'steel'" in reason


def test_missing_producers_and_treatments_are_named(tmp_path: Path) -> None:
    package, _ = chain_package()
    package.process("painter", [
        package.exchange(package.flow("painted part"), 1, reference=True),
        package.exchange(package.flow("paint"), 0.1, is_input=True),
        package.exchange(package.flow("paint sludge", kind="WASTE_FLOW"), 0.02),
    ])
    found = _statuses(package, tmp_path)
    assert found[("painter", "paint")] == (LinkStatus.UNLINKED, "no producer in the package")
    assert found[("painter", "paint sludge")] == (
        LinkStatus.UNLINKED, "no treatment process for this waste in the package")


def test_waste_inputs_and_product_outputs_are_not_linked(tmp_path: Path) -> None:
    """The treatment's waste input and the producers' outputs provide; they link nothing."""
    package, _ = chain_package()
    imported = read_jsonld(package.write(tmp_path / "chain.zip"))
    assert all(link.process_name != "scrap treatment" for link in imported.linking.links)
    assert {link.flow_name for link in imported.linking.links} == {"electricity", "steel",
                                                                    "steel scrap"}


def test_an_avoided_product_is_linked_like_an_input(tmp_path: Path) -> None:
    package, ids = chain_package()
    package.process("recycler", [
        package.exchange(ids["scrap"], 1, is_input=True, reference=True),
        package.exchange(ids["steel"], 0.9, avoided=True),
    ])
    imported = read_jsonld(package.write(tmp_path / "chain.zip"))
    link = next(link for link in imported.linking.links if link.process_name == "recycler")
    assert link.avoided and link.status is LinkStatus.SINGLE_PRODUCER
    # The scrap now has two treatments: the mill's scrap output cannot choose.
    unlinked = imported.linking.unlinked
    assert [(u.process_name, u.flow_name) for u in unlinked] == [("steel mill", "steel scrap")]
    assert "several producers" in unlinked[0].describe()
