"""Cursor pagination on the primary key: stable while rows are added, and cheap at any depth."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages of records in the order they were created, by a cursor on their id."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
