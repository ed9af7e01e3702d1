"""What can be done to a study: enter activity data (every change kept), pin factor versions,
compute an immutable result, check that a result recomputes, copy a study as a scenario.

Views, API endpoints, the Excel import and background jobs all go through these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from yuntan.accounting import (
    PinnedFactor,
    StudyInputs,
    compute,
    needed_factors,
    outcome_as_dict,
)
from yuntan.errors import YuntanLcaError
from yuntan.platform.factors.models import FactorDataset, FactorVersion, Status
from yuntan.platform.ledger import hooks as ledger
from yuntan.platform.ledger.reconcile import result_disagreements
from yuntan.platform.studies.models import (
    ActivityChange,
    ActivityValue,
    FactorPin,
    InputLink,
    Result,
    Study,
    SupplierFootprint,
)
from yuntan.rules import IncompleteActivityData, RulePack, get_pack
from yuntan.rules.errors import RulePackError
from yuntan.units import conversion_factor


class StudyError(YuntanLcaError):
    """Something the user can fix, with every problem (``problems``: field and message)."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message)


def pack_of(study: Study) -> RulePack:
    """The rule pack version the study was opened with."""
    try:
        return get_pack(study.rule_pack_id, study.rule_pack_version)
    except RulePackError as exc:
        raise StudyError(str(exc)) from exc


def require_editable(study: Study) -> None:
    """Refuse any change to a study that is with the verifiers or verified."""
    if not study.editable:
        raise StudyError(_("This study is %(status)s and can no longer be changed.")
                         % {"status": study.get_status_display()})


def activity_data(study: Study) -> dict[str, tuple[float, str]]:
    return {v.field_id: (v.amount, v.unit) for v in study.activity.all()}


def factor_overrides(study: Study) -> dict[str, str]:
    """``{field_id: dataset code}`` of the inputs linked away from the pack's default."""
    return {link.field_id: link.code
            for link in study.links.select_related("factor_dataset")}


def linked_factors(study: Study) -> dict[str, PinnedFactor]:
    """The pinned figures of supplier footprints and of the enterprise's own studies that
    the study's inputs are linked to (by the code the calculation sees)."""
    found: dict[str, PinnedFactor] = {}
    for link in study.links.select_related("supplier_footprint", "source_study"):
        if link.supplier_footprint is not None:
            footprint = link.supplier_footprint
            found[link.code] = PinnedFactor(
                code=link.code, version=f"{footprint.pk}", unit=footprint.unit,
                name_zh=f"{footprint.supplier}：{footprint.product}（供应商数据）",
                name_en=f"{footprint.supplier}: {footprint.product} (supplier data)",
                values=(("CO2e", "fossil", footprint.kg_co2e_per_unit),),
                gwp_set=footprint.gwp_set)
        elif link.source_study is not None:
            found[link.code] = own_study_factor(link.source_study, link.code)
    return found


def own_study_factor(source: Study, code: str) -> PinnedFactor:
    """Another study's latest result as a factor: its inventory per 1 unit of the declared
    unit's unit (gas by gas, so fossil and biogenic stay apart)."""
    result = source.latest_result()
    if result is None:
        raise StudyError(_("%(study)s has no result yet; compute it first.")
                         % {"study": source})
    pack = get_pack(result.inputs["pack"]["id"], result.inputs["pack"]["version"])
    declared = pack.declared_unit
    outcome = result.outcome["results"][result.outcome["headline"]]
    return PinnedFactor(
        code=code, version=f"result-{result.number}", unit=declared.unit,
        name_zh=f"{source}（本企业核算 #{result.number}）",
        name_en=f"{source} (own study, result #{result.number})",
        values=tuple((gas, origin, kg / declared.amount)
                     for gas, origin, kg in outcome["inventory_kg"] if kg != 0.0),
        gwp_set=result.gwp_set)


Entry = tuple[float, str] | None  # (amount, unit), or None to clear the field


@transaction.atomic
def set_activity(study: Study, values: Mapping[str, Entry], user: Any, source: str) -> int:
    """Store activity data (None clears a field); returns how many fields changed. Every
    change is recorded with who, when, old and new value and how it was entered."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    require_editable(study)
    pack = pack_of(study)
    specs = {f.id: f for f in pack.fields}
    problems = [{"field": field_id, "message": _("%(field)s is not a field of this rule pack.")
                 % {"field": field_id}} for field_id in values if field_id not in specs]
    for field_id, entry in values.items():
        if entry is not None and field_id in specs:
            try:
                conversion_factor(entry[1], specs[field_id].unit)
            except YuntanLcaError as exc:  # unknown unit or wrong dimension
                problems.append({"field": field_id, "message": str(exc)})
    if problems:
        raise StudyError(_("Nothing was saved."), problems)
    current = {v.field_id: v for v in study.activity.all()}
    changed = 0
    who = user if getattr(user, "is_authenticated", False) else None
    for field_id, entry in sorted(values.items()):
        old = current.get(field_id)
        old_pair = (old.amount, old.unit) if old is not None else None
        new_pair = (float(entry[0]), entry[1]) if entry is not None else None
        if old_pair == new_pair:
            continue
        if new_pair is None:
            assert old is not None
            old.delete()
        elif old is None:
            ActivityValue.objects.create(study=study, field_id=field_id, amount=new_pair[0],
                                         unit=new_pair[1], updated_by=who)
        else:
            old.amount, old.unit, old.updated_by = new_pair[0], new_pair[1], who
            old.save(update_fields=["amount", "unit", "updated_by", "updated_at"])
        ActivityChange.objects.create(
            study=study, field_id=field_id,
            old_amount=old_pair[0] if old_pair else None, old_unit=old_pair[1] if old_pair else "",
            new_amount=new_pair[0] if new_pair else None, new_unit=new_pair[1] if new_pair else "",
            source=source, changed_by=who,
        )
        ledger.activity_changed(study, field_id, old_pair, new_pair, source, user)
        changed += 1
    return changed


def choose_version(dataset: FactorDataset, year: int) -> FactorVersion | None:
    """The version a study of ``year`` uses: the published one for the latest reference year
    not after ``year`` (else the earliest later one, else an undated one), or a placeholder."""
    published = dataset.versions.filter(status=Status.PUBLISHED)
    return (
        published.filter(reference_year__lte=year).order_by("-reference_year",
                                                             "-published_at").first()
        or published.filter(reference_year__isnull=True).order_by("-published_at").first()
        or published.order_by("reference_year", "-published_at").first()
        or dataset.versions.filter(status=Status.PLACEHOLDER).first()
    )


def pin_factors(study: Study, codes: frozenset[str] | set[str]) -> dict[str, FactorVersion]:
    """The pinned version of each dataset in ``codes``, pinning those not pinned yet."""
    pins = {p.dataset.code: p.version
            for p in study.pins.select_related("dataset", "version")}
    missing: list[str] = []
    for code in sorted(set(codes) - set(pins)):
        dataset = FactorDataset.objects.filter(code=code).first()
        version = choose_version(dataset, study.reference_year) if dataset else None
        if dataset is None or version is None:
            missing.append(code)
            continue
        FactorPin.objects.create(study=study, dataset=dataset, version=version)
        pins[code] = version
    if missing:
        raise StudyError(_("The factor database has no usable version of: %(codes)s.")
                         % {"codes": ", ".join(missing)},
                         [{"field": code, "message": _("no published or placeholder version")}
                          for code in missing])
    return {code: pins[code] for code in codes}


def pinned_factor(version: FactorVersion) -> PinnedFactor:
    pedigree = (version.pedigree_reliability, version.pedigree_completeness,
                version.pedigree_temporal, version.pedigree_geographical,
                version.pedigree_technological)
    return PinnedFactor(
        code=version.dataset.code, version=version.version, unit=version.dataset.unit,
        name_zh=version.dataset.name_zh, name_en=version.dataset.name_en,
        values=tuple((v.gas, v.origin, v.amount_kg_per_unit)
                     for v in version.values.order_by("gas", "origin")),
        placeholder=version.status == Status.PLACEHOLDER, gwp_set=version.gwp_set,
        default=version.conservative_default,
        pedigree=pedigree if all(s is not None for s in pedigree) else None,  # type: ignore[arg-type]
        gsd=version.uncertainty_gsd,
    )


def _incomplete(exc: IncompleteActivityData) -> StudyError:
    return StudyError(_("The activity data is not complete yet."), [
        {"field": f.field or "", "rule": f.rule, "message": f.message_zh,
         "message_en": f.message_en} for f in exc.findings])


def gather_inputs(study: Study, replace: Mapping[str, FactorVersion] | None = None
                  ) -> tuple[RulePack, StudyInputs]:
    """The rule pack and the exact inputs of the study, pinning factor versions as needed;
    ``replace`` (dataset code → version) computes with other versions than the pinned ones
    without moving the pins."""
    pack = pack_of(study)
    data = activity_data(study)
    overrides = factor_overrides(study)
    variant = study.variant or None
    try:
        codes = needed_factors(pack, data, variant, overrides)
    except IncompleteActivityData as exc:
        raise _incomplete(exc) from exc
    linked = linked_factors(study)
    versions = pin_factors(study, codes - set(linked))
    versions.update({code: v for code, v in (replace or {}).items() if code in versions})
    factors = {code: pinned_factor(version) for code, version in versions.items()}
    factors.update({code: factor for code, factor in linked.items() if code in codes})
    return pack, StudyInputs(pack.id, pack.version, variant, data, factors, study.gwp_set,
                             overrides)


@transaction.atomic
def compute_result(study: Study, user: Any, reason: str, *,
                   replace: Mapping[str, FactorVersion] | None = None,
                   proposed: bool = False) -> Result:
    """Compute the study and store the result (immutable, numbered per study). With
    ``proposed`` (a recomputation of a submitted or verified study after a factor update,
    using the ``replace`` versions) the result stands beside the study's result and does
    not replace it."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    pack, inputs = gather_inputs(study, replace)
    try:
        outcome = compute(pack, inputs)
    except IncompleteActivityData as exc:
        raise _incomplete(exc) from exc
    data = outcome_as_dict(outcome)
    last = study.results.aggregate(last=Max("number"))["last"] or 0
    result = Result.objects.create(
        study=study, number=last + 1, reason=reason[:200], inputs=inputs.as_dict(),
        inputs_sha256=inputs.sha256, outcome=data, total_kg_co2e=outcome.result.total,
        headline_method=outcome.headline.value, gwp_set=inputs.gwp_set,
        engine_version=data["engine"], complete=outcome.complete, proposed=proposed,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    ledger.result_created(result, user)
    return result


def current_data(study: Study) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """The study's activity data and input links as a result's inputs record them."""
    return ({k: [float(a), u] for k, (a, u) in sorted(activity_data(study).items())},
            dict(sorted(factor_overrides(study).items())))


def is_stale(result: Result, current: tuple[dict[str, list[Any]], dict[str, str]] | None = None
             ) -> bool:
    """Whether ``result`` was computed before the study's data (values or links) changed:
    it no longer shows the study as it stands."""
    activity, overrides = current if current is not None else current_data(result.study)
    return bool(result.inputs["activity"] != activity or result.inputs["overrides"] != overrides)


@dataclass(frozen=True)
class Recheck:
    same: bool
    inputs_intact: bool
    differences: tuple[str, ...]
    ledger_disagreements: tuple[str, ...] = ()


def recheck(result: Result) -> Recheck:
    """Recompute ``result`` from its stored inputs alone and compare every number it shows
    (the outcome and the stored total, method, GWP set and completeness), and compare the
    stored result with its ledger entry."""
    inputs = StudyInputs.from_dict(result.inputs)
    intact = inputs.sha256 == result.inputs_sha256
    fresh = compute(get_pack(inputs.pack_id, inputs.pack_version), inputs)
    outcome = outcome_as_dict(fresh)
    shown = {"total_kg_co2e": result.total_kg_co2e, "headline_method": result.headline_method,
             "gwp_set": result.gwp_set, "complete": result.complete}
    computed = {"total_kg_co2e": fresh.result.total, "headline_method": fresh.headline.value,
                "gwp_set": inputs.gwp_set, "complete": fresh.complete}
    differences = tuple(_differences(result.outcome, outcome)
                        + _differences(shown, computed, "/result"))
    against_ledger = tuple(str(d) for d in result_disagreements(result))
    return Recheck(same=not differences and intact and not against_ledger,
                   inputs_intact=intact, differences=differences,
                   ledger_disagreements=against_ledger)


def _differences(stored: Any, fresh: Any, path: str = "") -> list[str]:
    if isinstance(stored, dict) and isinstance(fresh, dict):
        found = []
        for key in sorted(set(stored) | set(fresh)):
            found += _differences(stored.get(key), fresh.get(key), f"{path}/{key}")
        return found
    if isinstance(stored, list) and isinstance(fresh, list) and len(stored) == len(fresh):
        found = []
        for i, (a, b) in enumerate(zip(stored, fresh, strict=True)):
            found += _differences(a, b, f"{path}[{i}]")
        return found
    return [] if stored == fresh else [path or "/"]


@transaction.atomic
def copy_as_scenario(study: Study, user: Any, title: str, note: str) -> Study:
    """A new draft study with the same rule pack, activity data and factor versions, to
    change and compare (a reduction scenario)."""
    scenario = Study.objects.create(
        product=study.product, title=title, period_start=study.period_start,
        period_end=study.period_end, rule_pack_id=study.rule_pack_id,
        rule_pack_version=study.rule_pack_version, variant=study.variant,
        gwp_set=study.gwp_set, scenario_of=study, scenario_note=note,
        illustrative=study.illustrative,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    for pin in study.pins.all():
        FactorPin.objects.create(study=scenario, dataset_id=pin.dataset_id,
                                 version_id=pin.version_id)
    for value in study.activity.all():
        ActivityValue.objects.create(study=scenario, field_id=value.field_id,
                                     amount=value.amount, unit=value.unit, note=value.note)
        # Chained like any entry, so the ledger knows every current activity value.
        ledger.activity_changed(scenario, value.field_id, None, (value.amount, value.unit),
                                "scenario", user, detail=f"copied from study {study.pk}")
    for link in study.links.all():
        InputLink.objects.create(study=scenario, field_id=link.field_id,
                                 factor_dataset_id=link.factor_dataset_id,
                                 supplier_footprint_id=link.supplier_footprint_id,
                                 source_study_id=link.source_study_id)
    return scenario


Target = FactorDataset | SupplierFootprint | Study | None  # None: back to the pack's default


def _describe(link: InputLink | None, default: str) -> str:
    if link is None:
        return default
    if link.factor_dataset is not None:
        return link.factor_dataset.code
    if link.supplier_footprint is not None:
        return f"supplier footprint {link.supplier_footprint}"
    return f"own study {link.source_study}"


@transaction.atomic
def set_link(study: Study, field_id: str, target: Target, user: Any) -> None:
    """Link an input to another source (or back to the pack's default); recorded."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    require_editable(study)
    pack = pack_of(study)
    spec = {f.id: f for f in pack.fields}.get(field_id)
    if spec is None or spec.factor_dataset is None:
        raise StudyError(_("%(field)s is not an input that takes a factor dataset.")
                         % {"field": field_id})
    unit = (target.unit if isinstance(target, (FactorDataset, SupplierFootprint))
            else get_pack(target.rule_pack_id, target.rule_pack_version).declared_unit.unit
            if isinstance(target, Study) else spec.unit)
    try:
        conversion_factor(spec.unit, unit)
    except YuntanLcaError as exc:
        raise StudyError(_("The field is measured in %(unit)s; this source is per %(other)s.")
                         % {"unit": spec.unit, "other": unit}) from exc
    if isinstance(target, SupplierFootprint) and (
            target.organisation_id != study.product.organisation_id):
        raise StudyError(_("That supplier footprint belongs to another organisation."))
    if isinstance(target, Study):
        if target.product.organisation_id != study.product.organisation_id:
            raise StudyError(_("That study belongs to another organisation."))
        if target.pk == study.pk:
            raise StudyError(_("A study cannot supply itself."))
        if target.latest_result() is None:
            raise StudyError(_("%(study)s has no result yet; compute it first.")
                             % {"study": target})
    old = study.links.select_related("factor_dataset", "supplier_footprint",
                                     "source_study").filter(field_id=field_id).first()
    before = _describe(old, spec.factor_dataset)
    if old is not None:
        old.delete()
    new = None
    if target is not None:
        new = InputLink.objects.create(
            study=study, field_id=field_id,
            factor_dataset=target if isinstance(target, FactorDataset) else None,
            supplier_footprint=target if isinstance(target, SupplierFootprint) else None,
            source_study=target if isinstance(target, Study) else None)
    after = _describe(new, spec.factor_dataset)
    if before != after:
        ActivityChange.objects.create(
            study=study, field_id=field_id, source="link", detail=f"{before} → {after}"[:500],
            changed_by=user if getattr(user, "is_authenticated", False) else None)
        ledger.activity_changed(study, field_id, before, after, "link", user,
                                detail=f"{before} → {after}")
