"""Pages of products and studies: register a product, open a study, enter or upload activity
data, attach evidence, compute, read the result, copy a study as a reduction scenario.

Every object is read through the access helper; only the enterprise's own people change
anything (:func:`_editable_by`)."""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntan.accounting import StudyInputs, measure_effects
from yuntan.errors import YuntanLcaError
from yuntan.formats import charts
from yuntan.formats.collection import collection_stages
from yuntan.formats.excel import read_template, template_filename, write_template
from yuntan.formats.excel.collection_reader import InvalidCollectionTemplate
from yuntan.formats.reports import render_html, render_pdf, write_excel
from yuntan.platform.accounts.access import get_or_404, membership_of, visible
from yuntan.platform.factors.models import FactorDataset, Status
from yuntan.platform.jobs.runner import submit
from yuntan.platform.rulepacks.forms import collection_form_class, unit_field_name
from yuntan.platform.studies.access_rules import ENTERPRISE_ROLES
from yuntan.platform.studies.access_rules import enterprise_editor as _editable_by
from yuntan.platform.studies.evidence import evidence_path, store_evidence
from yuntan.platform.studies.forms import (
    EvidenceForm,
    ProductForm,
    ScenarioForm,
    StudyForm,
    SupplierFootprintForm,
    UploadForm,
)
from yuntan.platform.studies.models import (
    Evidence,
    Product,
    Result,
    Study,
    SupplierFootprint,
    UncertaintyRun,
)
from yuntan.platform.studies.reports import result_report_data
from yuntan.platform.studies.services import (
    StudyError,
    activity_data,
    compute_result,
    copy_as_scenario,
    current_data,
    is_stale,
    pack_of,
    recheck,
    set_activity,
    set_link,
)
from yuntan.platform.studies.uncertainty import max_iterations, run_uncertainty
from yuntan.platform.verification.models import Verification
from yuntan.rules import get_pack
from yuntan.units import conversion_factor


def _require_editor(user: Any, organisation_id: int) -> None:
    if not _editable_by(user, organisation_id):
        raise PermissionDenied


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _show_problems(request: HttpRequest, exc: StudyError) -> None:
    messages.error(request, str(exc))
    for problem in exc.problems:
        text = problem.get("message_en") if _english() and problem.get("message_en") \
            else problem.get("message")
        messages.error(request, f"{problem.get('field', '')}: {text}")


# --- products -----------------------------------------------------------------------------

@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    can_create = membership is not None and membership.role in ENTERPRISE_ROLES
    form = ProductForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            product = form.save(commit=False)
            assert membership is not None
            product.organisation = membership.organisation
            product.save()
            messages.success(request, _("Product %(name)s registered.") % {
                "name": product.name_zh})
            return redirect("studies:product", pk=product.pk)
    products = visible(Product, request.user).select_related("organisation")
    return render(request, "studies/product_list.html", {
        "products": products, "form": form if can_create else None,
    }, status=400 if request.method == "POST" else 200)


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(Product, request.user, pk=pk)
    can_edit = _editable_by(request.user, product.organisation_id)
    form = StudyForm(request.POST or None)
    if request.method == "POST":
        _require_editor(request.user, product.organisation_id)
        if form.is_valid():
            latest = get_pack(product.rule_pack_id)
            study = form.save(commit=False)
            study.product = product
            study.rule_pack_id, study.rule_pack_version = latest.id, latest.version
            study.variant = product.variant
            study.illustrative = product.illustrative
            study.created_by_id = request.user.pk
            study.save()
            messages.success(request, _("Study opened with rule pack %(pack)s %(version)s.")
                             % {"pack": latest.id, "version": latest.version})
            return redirect("studies:study", pk=study.pk)
    return render(request, "studies/product_detail.html", {
        "product": product, "pack": get_pack(product.rule_pack_id),
        "studies": visible(Study, request.user).filter(product=product),
        "form": form if can_edit else None,
    }, status=400 if request.method == "POST" else 200)


# --- studies ------------------------------------------------------------------------------

def _study(request: HttpRequest, pk: int) -> Study:
    return get_or_404(Study.objects.select_related("product__organisation"), request.user,
                      pk=pk)


@login_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    pack = pack_of(study)
    values = {v.field_id: v for v in study.activity.all()}
    evidence: dict[str, list[Evidence]] = {}
    for item in study.evidence.all():
        evidence.setdefault(item.field_id, []).append(item)
    links = {link.field_id: link for link in study.links.select_related(
        "factor_dataset", "supplier_footprint", "source_study")}
    stages = [
        {"stage": collected.stage, "rows": [
            {"field": f, "value": values.get(f.spec.id), "evidence": evidence.get(f.spec.id, []),
             "link": links.get(f.spec.id)}
            for f in collected.fields]}
        for collected in collection_stages(pack, study.variant or None)
    ]
    can_edit = _editable_by(request.user, study.product.organisation_id) and study.editable
    field_choices = [(f.id, f"{f.name_zh} / {f.name_en}") for f in pack.fields]
    results = list(study.results.all())
    current = current_data(study)
    for result in results:  # a result computed before the data changed says so
        result.stale = is_stale(result, current)  # type: ignore[attr-defined]
    return render(request, "studies/study_detail.html", {
        "study": study, "pack": pack, "stages": stages, "can_edit": can_edit,
        "results": results, "scenarios": visible(Study, request.user).filter(
            scenario_of=study),
        "evidence_form": EvidenceForm(field_choices=field_choices) if can_edit else None,
        "upload_form": UploadForm() if can_edit else None,
        "scenario_form": ScenarioForm() if _editable_by(
            request.user, study.product.organisation_id) else None,
        "changes": study.changes.select_related("changed_by")[:50],
        "verifications": visible(Verification, request.user).filter(study=study),
    })


# Problems that do not stop saving a draft: the data is simply not complete yet (computing
# refuses it until it is).
SAVABLE_PROBLEMS = frozenset({"required-missing"})


@login_required
def data_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """The rule pack's data collection form for this study, prefilled; saving keeps what was
    entered (every change recorded) even while required fields are still missing."""
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    pack = pack_of(study)
    form_class = collection_form_class(pack, study.variant or None)
    current = activity_data(study)
    initial: dict[str, Any] = {}
    for field_id, (amount, unit) in current.items():
        initial[field_id] = amount
        initial[unit_field_name(field_id)] = unit
    if request.method != "POST":
        return render(request, "studies/data_entry.html", {
            "study": study, "pack": pack, "form": form_class(initial=initial)})
    if not study.editable:
        raise PermissionDenied
    form = form_class(request.POST, initial=initial)
    valid = form.is_valid()
    blocking = [p for p in form.problems if p.rule not in SAVABLE_PROBLEMS]
    field_errors = [name for name in form.errors if name != "__all__"
                    and not _only_savable(form, name)]
    if not valid and (blocking or field_errors):
        return render(request, "studies/data_entry.html", {
            "study": study, "pack": pack, "form": form}, status=400)
    entered: dict[str, tuple[float, str] | None] = {}
    for stage in form.stages:
        for field in stage.fields:
            field_id = field.spec.id
            value = form.cleaned_data.get(field_id)
            unit = form.cleaned_data.get(unit_field_name(field_id)) or field.spec.unit
            entered[field_id] = (float(value), str(unit)) if value is not None else None
    changes = {k: v for k, v in entered.items() if v is not None or k in current}
    try:
        changed = set_activity(study, changes, request.user, "form")
    except StudyError as exc:
        _show_problems(request, exc)
        return redirect("studies:data", pk=study.pk)
    messages.success(request, _("%(count)s fields changed.") % {"count": changed})
    missing = [p for p in form.problems if p.rule in SAVABLE_PROBLEMS]
    if missing:
        messages.warning(request, _("Saved. Still missing before the footprint can be "
                                    "computed: %(fields)s.")
                         % {"fields": ", ".join(sorted({p.field or "" for p in missing}))})
    for finding in form.findings:
        messages.warning(request, finding.message_en if _english() else finding.message_zh)
    return redirect("studies:study", pk=study.pk)


@login_required
@require_POST
def data_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check what is typed into the data collection form, without saving (htmx: the form
    posts here as the user types, and the panel of problems and warnings is replaced)."""
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    pack = pack_of(study)
    form = collection_form_class(pack, study.variant or None)(request.POST)
    form.is_valid()
    zh = not _english()
    problems = [(p.field or "", p.message_zh if zh else p.message_en) for p in form.problems
                if p.rule not in SAVABLE_PROBLEMS]
    refused = [(name, str(error)) for name, errors in form.errors.items()
               if name != "__all__" for error in errors
               if name not in {p.field for p in form.problems}]
    warnings = [(f.field or "", f.message_zh if zh else f.message_en) for f in form.findings]
    return render(request, "studies/_data_check.html", {
        "problems": problems + refused, "warnings": warnings,
        "missing": sorted({p.field or "" for p in form.problems if p.rule in SAVABLE_PROBLEMS}),
    })


def _only_savable(form: Any, name: str) -> bool:
    """Whether every error on ``name`` comes from a problem that does not stop saving."""
    savable = {p.message_zh for p in form.problems if p.rule in SAVABLE_PROBLEMS} | {
        p.message_en for p in form.problems if p.rule in SAVABLE_PROBLEMS}
    return all(str(error) in savable for error in form.errors[name])


@login_required
def template_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    study = _study(request, pk)
    pack = pack_of(study)
    buffer = io.BytesIO()
    write_template(pack, buffer, study.variant or None, activity_data(study))
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True,
                        filename=template_filename(pack, study.variant or None))


@login_required
@require_POST
def template_upload(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for problem in form.errors.get("file", [_("Choose the filled template to upload.")]):
            messages.error(request, str(problem))
        return redirect("studies:study", pk=study.pk)
    pack = pack_of(study)
    try:
        collected = read_template(pack, form.cleaned_data["file"])
    except InvalidCollectionTemplate as exc:
        return render(request, "studies/template_problems.html", {
            "study": study, "problems": exc.problems}, status=400)
    if collected.variant != (study.variant or pack.variants[0].id):
        messages.error(request, _("The template was made for another product variant."))
        return redirect("studies:study", pk=study.pk)
    try:
        changed = set_activity(study, dict(collected.activity_data), request.user, "excel")
    except StudyError as exc:
        _show_problems(request, exc)
    else:
        messages.success(request, _("%(count)s fields changed from the template.")
                         % {"count": changed})
        for finding in collected.findings:
            messages.warning(request, finding.message_en if _english() else finding.message_zh)
    return redirect("studies:study", pk=study.pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    field_choices = [(f.id, f.id) for f in pack_of(study).fields]
    form = EvidenceForm(request.POST, request.FILES, field_choices=field_choices)
    if not form.is_valid():
        messages.error(request, _("Choose a field and a file."))
    else:
        try:
            item = store_evidence(study, form.cleaned_data["field_id"],
                                  form.cleaned_data["file"], request.user)
        except StudyError as exc:
            _show_problems(request, exc)
        else:
            messages.success(request, _("%(name)s attached (SHA-256 %(sha)s).")
                             % {"name": item.original_name, "sha": item.sha256[:12]})
    return redirect("studies:study", pk=study.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_or_404(Evidence, request.user, pk=pk)
    return FileResponse(evidence_path(item.sha256).open("rb"), as_attachment=True,
                        filename=item.original_name, content_type=item.content_type)


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    try:
        result = compute_result(study, request.user, _("computed by the enterprise"))
    except StudyError as exc:
        _show_problems(request, exc)
        return redirect("studies:study", pk=study.pk)
    return redirect("studies:result", pk=study.pk, number=result.number)


@login_required
@require_POST
def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    form = ScenarioForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the scenario a title."))
        return redirect("studies:study", pk=study.pk)
    copy = copy_as_scenario(study, request.user, form.cleaned_data["title"],
                            form.cleaned_data["note"])
    messages.success(request, _("Scenario created: change its data and compute it."))
    return redirect("studies:study", pk=copy.pk)


# --- results ------------------------------------------------------------------------------

def _renamed(tree: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The upstream tree with the pack's and factors' names in the current language."""
    return {**tree, "name": names.get(tree["activity"], tree["name"]),
            "children": [_renamed(child, names) for child in tree["children"]]}


def _named(mapping: dict[str, float], names: dict[str, str]) -> list[dict[str, Any]]:
    rows = [{"key": k, "name": names.get(k, k), "value": v} for k, v in mapping.items()]
    return sorted(rows, key=lambda r: -abs(r["value"]))


@login_required
def result_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    study = _study(request, pk)
    # The big JSON columns are read only when the page body is not cached yet.
    result = get_or_404(Result.objects.defer("inputs", "outcome"), request.user, study=study,
                        number=number)
    english = _english()
    language: charts.Language = "en" if english else "zh"
    # A result never changes, so its rendered body (charts, tables) is cached per language.
    key = f"yuntan:result-body:{result.pk}:{language}"
    cached = cache.get(key)
    if cached is None:
        cached = _result_body(request, result, language)
        cache.set(key, cached, timeout=None)
    pack = get_pack(cached["pack"][0], cached["pack"][1])
    effects = None
    base = study.scenario_of.latest_result() if study.scenario_of else None
    if base is not None:
        # Both results are immutable, so their comparison is too: computed once, cached.
        effects_key = f"yuntan:effects:{base.pk}:{result.pk}"
        found = cache.get(effects_key)
        if found is None:
            found = measure_effects(pack, StudyInputs.from_dict(base.inputs),
                                    StudyInputs.from_dict(result.inputs))
            cache.set(effects_key, found, timeout=None)
        total, items = found
        effects = {"base": base, "total": total, "items": items}
    run = visible(UncertaintyRun, request.user).filter(result=result).first()
    histogram = mark_safe(charts.histogram(  # our own SVG, every text escaped
        run.samples, title=_("Monte Carlo: footprint per declared unit"), unit="kg CO2e",
        language=language, chart_id="monte-carlo")) if run is not None else None
    return render(request, "studies/result_detail.html", {
        "run": run, "histogram": histogram,
        "can_edit": _editable_by(request.user, study.product.organisation_id),
        "study": study, "result": result, "pack": pack, "summary": cached["summary"],
        "stale": is_stale(result),
        "body": mark_safe(cached["body"]),  # rendered from our own template
        "effects": effects, "declared_unit": pack.declared_unit,
    })


def _result_body(request: HttpRequest, result: Result, language: charts.Language
                 ) -> dict[str, Any]:
    """The immutable part of a result page: charts and tables of both electricity methods,
    the factor versions, the traceability line; and the summary the page's head needs."""
    pack = get_pack(result.inputs["pack"]["id"], result.inputs["pack"]["version"])
    english = language == "en"
    stage_names = {s.id: (s.name_en if english else s.name_zh) for s in pack.stages}
    process_names = {p.id: (p.name_en if english else p.name_zh) for p in pack.processes}
    factors = result.inputs["factors"]
    factor_names = {code: (f["name_en"] if english and f["name_en"] else f["name_zh"])
                    for code, f in factors.items()}
    names = {**factor_names, **process_names}
    outcome = result.outcome
    methods = []
    for method, data in outcome["results"].items():
        methods.append({
            "method": method, "headline": method == outcome["headline"], "data": data,
            "by_stage": _named(data["by_stage"], stage_names),
            "by_gas": _named(data["by_gas"], {}),
            "by_process": _named(data["by_process"], names),
            "by_input": _named(data["by_input"], names),
        })
    methods.sort(key=lambda m: not m["headline"])
    unit = "kg CO2e"
    for m in methods:
        method = m["method"]
        m["charts"] = [mark_safe(svg) for svg in (  # our own SVG, every text escaped
            charts.bar_chart([(r["name"], r["value"]) for r in m["by_stage"]],
                             title=_("By life-cycle stage"), unit=unit, language=language,
                             chart_id=f"stage-{method}"),
            charts.donut([(r["name"], r["value"]) for r in m["by_gas"]], title=_("By gas"),
                         unit=unit, language=language, chart_id=f"gas-{method}"),
            charts.bar_chart([(r["name"], r["value"]) for r in m["by_process"]],
                             title=_("By process (direct)"), unit=unit, language=language,
                             chart_id=f"process-{method}"),
            charts.bar_chart([(r["name"], r["value"]) for r in m["by_input"]],
                             title=_("By input (with its supply chain)"), unit=unit,
                             language=language, chart_id=f"input-{method}"),
            charts.tree_diagram(_renamed(m["data"]["tree"], names), title=_("Supply chain"),
                                unit=unit, language=language, chart_id=f"tree-{method}"),
        )]
    # Rows that are factor datasets link to the dataset's page (its source and history).
    linkable = {code for code in factors if not code.startswith(("supplier-", "own-study-"))}
    body = render_to_string("studies/_result_body.html", {
        "result": result, "methods": methods, "factors": sorted(factors.items()),
        "linkable": linkable,
    }, request=request)
    return {"pack": (pack.id, pack.version), "body": body,
            "summary": {"placeholders": outcome["placeholders"], "grade": outcome["grade"]}}


@login_required
@require_POST
def result_recheck(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    study = _study(request, pk)
    result = get_or_404(Result, request.user, study=study, number=number)
    check = recheck(result)
    if check.same:
        messages.success(request, _("Recomputed from the stored inputs: every number is the "
                                    "same."))
    else:
        where = list(check.differences[:10]) + list(check.ledger_disagreements[:3])
        messages.error(request, _("Recomputing gives different numbers at: %(where)s.")
                       % {"where": ", ".join(where) or "inputs"})
    return redirect("studies:result", pk=study.pk, number=result.number)


@login_required
@require_POST
def result_uncertainty(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    result = get_or_404(Result, request.user, study=study, number=number)
    try:
        raw = request.POST.get("iterations", "1000").strip()
        iterations = int(raw) if len(raw) <= 9 else 0  # int() would read 4,000 digits
    except ValueError:
        iterations = 0
    if not 10 <= iterations <= max_iterations():
        messages.error(request, _("Choose between 10 and %(max)s iterations.")
                       % {"max": max_iterations()})
        return redirect("studies:result", pk=study.pk, number=result.number)
    job = submit(run_uncertainty, _("Monte Carlo, %(n)s iterations: %(study)s #%(number)s")
                 % {"n": iterations, "study": study, "number": result.number},
                 {"result_id": result.pk, "iterations": iterations,
                  "seed": secrets.randbelow(2**31), "user_id": request.user.pk},
                 user=request.user)
    return redirect("jobs:detail", job_id=job.pk)


REPORT_FORMATS = ("html", "pdf", "xlsx")


@login_required
def result_report(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponseBase:
    """The report of a result: ``html``, ``pdf`` or ``xlsx``; ``?lang=en`` for English."""
    study = _study(request, pk)
    result = get_or_404(Result, request.user, study=study, number=number)
    if fmt not in REPORT_FORMATS:
        raise Http404("unknown report format")
    language: charts.Language = "en" if request.GET.get("lang") == "en" else "zh"
    data = result_report_data(result)
    name = f"footprint-{study.pk}-{result.number}-{language}"
    if fmt == "html":
        return HttpResponse(render_html(data, language), content_type="text/html; charset=utf-8")
    if fmt == "pdf":
        return FileResponse(io.BytesIO(render_pdf(data, language)), as_attachment=True,
                            filename=f"{name}.pdf", content_type="application/pdf")
    buffer = io.BytesIO()
    write_excel(data, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{name}.xlsx")


LINK_CHOICES_SHOWN = 30


@login_required
def input_link(request: HttpRequest, pk: int, field_id: str) -> HttpResponse:
    """Where one input comes from: the pack's default factor dataset, another dataset
    (searched, with its source), a supplier's footprint, or another own study."""
    study = _study(request, pk)
    _require_editor(request.user, study.product.organisation_id)
    pack = pack_of(study)
    spec = {f.id: f for f in pack.fields}.get(field_id)
    if spec is None or spec.factor_dataset is None:
        raise Http404("not an input that takes a factor dataset")
    organisation_id = study.product.organisation_id
    supplier_form = SupplierFootprintForm(request.POST if request.POST.get(
        "action") == "add_supplier" else None, initial={"unit": spec.unit})
    if request.method == "POST":
        action = request.POST.get("action", "")
        target: Any = None
        try:
            if action == "dataset":
                # Only datasets anyone may see: a draft-only code answers like an unknown one.
                target = get_object_or_404(FactorDataset.objects.filter(
                    versions__status__in=(Status.PUBLISHED, Status.PLACEHOLDER)).distinct(),
                    code=request.POST.get("code", ""))
            elif action == "supplier":
                target = get_or_404(SupplierFootprint, request.user,
                                    pk=request.POST.get("id", "0"))
            elif action == "study":
                target = get_or_404(Study, request.user, pk=request.POST.get("id", "0"))
            elif action == "add_supplier":
                if not supplier_form.is_valid():
                    raise StudyError(_("Check the supplier footprint."))
                target = supplier_form.save(commit=False)
                target.organisation_id = organisation_id
                target.created_by = request.user
                target.save()
            elif action != "default":
                raise Http404("unknown action")
            set_link(study, field_id, target, request.user)
        except StudyError as exc:
            _show_problems(request, exc)
        else:
            messages.success(request, _("The source of %(field)s is saved.")
                             % {"field": spec.name_en if _english() else spec.name_zh})
            return redirect("studies:study", pk=study.pk)
    query = request.GET.get("q", "").strip()
    datasets = FactorDataset.objects.filter(
        versions__status__in=(Status.PUBLISHED, Status.PLACEHOLDER)).distinct()
    if query:
        datasets = datasets.filter(Q(code__icontains=query) | Q(name_zh__icontains=query)
                                   | Q(name_en__icontains=query))
    compatible = [d for d in datasets.order_by("code")[:200] if _converts(spec.unit, d.unit)]
    current = study.links.select_related("factor_dataset", "supplier_footprint",
                                         "source_study").filter(field_id=field_id).first()
    own = [s for s in visible(Study, request.user).filter(
        product__organisation_id=organisation_id).exclude(pk=study.pk)
        .select_related("product") if s.latest_result() is not None
        and _converts(spec.unit, get_pack(s.rule_pack_id, s.rule_pack_version)
                      .declared_unit.unit)]
    return render(request, "studies/input_link.html", {
        "study": study, "spec": spec, "current": current, "query": query,
        "datasets": [(d, d.versions.filter(status__in=(Status.PUBLISHED, Status.PLACEHOLDER))
                      .order_by("-reference_year", "-pk").first())
                     for d in compatible[:LINK_CHOICES_SHOWN]],
        # (select "pact": a footprint received through PACT shows the supplier's data
        # quality and verification.)
        "suppliers": [f for f in visible(SupplierFootprint, request.user).filter(
            organisation_id=organisation_id).select_related("pact")
            if _converts(spec.unit, f.unit)],
        "own_studies": own, "supplier_form": supplier_form,
    }, status=400 if request.method == "POST" else 200)


def _converts(unit: str, other: str) -> bool:
    try:
        conversion_factor(unit, other)
    except YuntanLcaError:
        return False
    return True
