"""Import of a monitoring workbook: a whole strategy and its data, all or nothing."""

from ._common import CHANGE_REASON
from .reading import (
    CENT,
    FIGURE,
    MAX_ROWS,
    Parsed,
    Progress,
    Row,
    convert,
    unneutralise,
    workbook_read,
)
from .results import ImportResult, Problem, WorkbookRefused
from .strategy import IMPORT_RESERVED_SLUGS
from .upload import MAX_MEMBERS, MAX_RATIO, MAX_UNCOMPRESSED_BYTES, MAX_UPLOAD_BYTES, file_problems
from .writer import workbook_import

__all__ = [
    "CENT",
    "CHANGE_REASON",
    "FIGURE",
    "IMPORT_RESERVED_SLUGS",
    "ImportResult",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "Parsed",
    "Problem",
    "Progress",
    "Row",
    "WorkbookRefused",
    "convert",
    "file_problems",
    "unneutralise",
    "workbook_import",
    "workbook_read",
]
