"""Fill empty msgstr entries of an app's zh_Hans catalog from a JSON file of translations,
then mark both catalogs as UTF-8 and compile them (developer tool, not shipped).

    python scripts/fill_po.py yuntan/platform/accounts translations.json
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines if line.startswith("\""))


def fill(po: Path, translations: dict[str, str]) -> list[str]:
    """Write translations into ``po``; returns the msgids still untranslated."""
    text = po.read_text(encoding="utf-8")
    text = text.replace("charset=CHARSET", "charset=UTF-8")
    if "zh_Hans" in str(po):
        text = re.sub(r'"Plural-Forms:[^"]*"', r'"Plural-Forms: nplurals=1; plural=0;\\n"', text)
    text = re.sub(r'(Plural-Forms:[^\n]*\n)(?=#)', r'\1\n', text)
    text = text.replace('"Project-Id-Version: PACKAGE VERSION', '"Project-Id-Version: yuntan')
    language = "zh_Hans" if "zh_Hans" in str(po) else "en"
    text = text.replace('"Language: \\n"', f'"Language: {language}\\n"')
    missing: list[str] = []
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        try:
            start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
            end = next(i for i, line in enumerate(lines) if line.startswith("msgstr "))
        except StopIteration:
            out.append(block)
            continue
        msgid = _unquote([lines[start][6:], *lines[start + 1:end]])
        current = _unquote([lines[end][7:], *lines[end + 1:]])
        if not msgid:  # the header: makemessages marks a new catalog's header fuzzy
            lines = [line for line in lines if line != "#, fuzzy"]
        elif any(line.startswith("#,") and "fuzzy" in line for line in lines):
            # msgmerge's guess from a similar message: never trust it, translate afresh.
            lines = [line for line in lines[:end] if not line.startswith("#|")]
            lines = [line.replace(", fuzzy", "").replace("#, fuzzy", "#")
                     if line.startswith("#,") else line for line in lines]
            lines = [line for line in lines if line != "#"]
            start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
            end = len(lines)
            lines.append('msgstr ""')
            current = ""
        if msgid and not current and "zh_Hans" in str(po):
            if msgid in translations:
                lines = [*lines[:end], "msgstr " + json.dumps(translations[msgid],
                                                              ensure_ascii=False)]
            else:
                missing.append(msgid)
        out.append("\n".join(lines))
    po.write_text("\n\n".join(out), encoding="utf-8")
    return missing


def main() -> None:
    app, table = Path(sys.argv[1]), Path(sys.argv[2])
    translations = json.loads(table.read_text(encoding="utf-8"))
    missing = []
    for language in ("zh_Hans", "en"):
        missing += fill(app / "locale" / language / "LC_MESSAGES" / "django.po", translations)
    subprocess.run(["msgfmt", "--check", "-o", str(app / "locale/zh_Hans/LC_MESSAGES/django.mo"),
                    str(app / "locale/zh_Hans/LC_MESSAGES/django.po")], check=True)
    subprocess.run(["msgfmt", "--check", "-o", str(app / "locale/en/LC_MESSAGES/django.mo"),
                    str(app / "locale/en/LC_MESSAGES/django.po")], check=True)
    if missing:
        sys.exit("untranslated: " + json.dumps(missing, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
