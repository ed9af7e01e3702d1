"""The charts and reports are pure: a study is computed and reported in all three formats
with Django (and ninja and psycopg) unavailable."""

from __future__ import annotations

from purity import run_without_django


def test_reports_need_no_django() -> None:
    out = run_without_django("""
        import io
        sys.path.insert(0, "tests/formats/reports")
        from report_fixtures import coffee_outcome, report_for
        from yuntan.formats.reports import render_html, render_pdf, write_excel

        data = report_for(coffee_outcome())
        assert render_html(data, "en").startswith("<!DOCTYPE html>")
        assert render_pdf(data, "zh").startswith(b"%PDF-")
        write_excel(data, io.BytesIO())
        print("pure")
    """)
    assert out.splitlines()[0] == "pure"
