"""The labels package is pure core: it imports without Django."""

from __future__ import annotations

from purity import run_without_django


def test_labels_import_and_sign_without_django() -> None:
    out = run_without_django("""
        from datetime import date
        import yuntan.labels, yuntan.labels.image, yuntan.labels.qr
        from yuntan.labels import generate_key, fingerprint, make_content, sign, verify
        key = generate_key()
        print(yuntan.labels.VALIDITY_YEARS)
    """)
    assert out.splitlines()[0] == "2"
