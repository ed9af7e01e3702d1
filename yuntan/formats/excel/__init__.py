"""Excel workbooks of the platform: the data collection template of a rule pack (written
and read back) and the shared cell helpers (the factor workbook is ``factor_excel``)."""

from yuntan.formats.excel.collection_reader import (
    CollectedTemplate,
    InvalidCollectionTemplate,
    PackLoader,
    TemplateProblem,
    read_template,
)
from yuntan.formats.excel.collection_template import (
    CollectionTemplateError,
    sheet_names,
    template_filename,
    write_template,
)

__all__ = [
    "CollectedTemplate",
    "CollectionTemplateError",
    "InvalidCollectionTemplate",
    "PackLoader",
    "TemplateProblem",
    "read_template",
    "sheet_names",
    "template_filename",
    "write_template",
]
