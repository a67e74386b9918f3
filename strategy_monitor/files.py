"""Stored files: removing a record's file from whichever storage holds it, without failing."""

import logging
from functools import partial

from django.core.files.storage import Storage
from django.db import transaction

logger = logging.getLogger(__name__)


def stored_file_delete(*, storage: Storage, name: str) -> bool:
    """Remove the file `name` from `storage`; log and return False if the storage fails.

    The record is already gone when this runs: a storage that is down or refuses must not
    turn a committed deletion into an error page. The file left behind is logged by name, so
    that it can be removed by hand.
    """
    try:
        storage.delete(name)
    except Exception:  # any backend's error: a local disk, Azure Blob Storage or S3
        logger.exception(
            "Could not remove the stored file %s; the record is deleted, the file is left over.",
            name,
        )
        return False
    return True


def stored_file_delete_on_commit(*, storage: Storage, name: str, using: str | None = None) -> None:
    """Remove the file `name` from `storage` once the current transaction commits.

    A rolled-back deletion keeps its record, and so must keep its file. Outside a transaction
    the file goes at once.
    """
    if name:
        transaction.on_commit(partial(stored_file_delete, storage=storage, name=name), using=using)
