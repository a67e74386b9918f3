"""Issued briefs stored without rendering a PDF, for tests of lists, downloads and permissions.

The service that issues a brief (and renders it) has its own tests in test_issued.py; pages
that only list or serve issued briefs need the record and a stored file, not WeasyPrint.
"""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import IssuedBrief, issued_brief_reference


def issued_brief_store(
    *,
    strategy,
    user,
    year: int = 2024,
    meeting=None,
    content: bytes | None = None,
    **fields,
) -> IssuedBrief:
    """Store an issued brief of `strategy` with `content` as its file, numbered as issuing does."""
    number = IssuedBrief.objects.filter(strategy=strategy, year=year).count() + 1
    reference = issued_brief_reference(
        acronym=strategy.organisation.acronym, year=year, number=number
    )
    if content is None:
        content = f"%PDF-1.7 brief {reference} \x00\xff\n".encode("latin-1")
    brief = IssuedBrief(
        strategy=strategy,
        year=year,
        meeting=meeting,
        as_of=fields.pop("as_of", datetime.date(year + 1, 3, 1)),
        number=number,
        reference=reference,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        issued_by=user,
        issued_at=fields.pop("issued_at", timezone.now()),
        **fields,
    )
    brief.file.save("brief.pdf", ContentFile(content), save=False)
    brief.save()
    return brief
