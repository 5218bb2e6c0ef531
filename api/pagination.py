"""Page-number pagination with a hard maximum page size.

``?page=2&page_size=50``: pages count from 1; ``page_size`` is at most
``MAX_PAGE_SIZE`` (a larger one is refused with a 422 naming the field, not
silently cut, so a client never believes it has everything when it has not).
A page past the end is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil

from ninja import Field, Schema
from pydantic import create_model

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, counting from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
    )


def paged(item_schema: type[Schema]) -> type[Schema]:
    """The schema of one page of ``item_schema`` items, e.g. ``MedicineSummaryPage``."""
    return create_model(
        f"{item_schema.__name__}Page",
        __base__=Schema,
        items=(list[item_schema], ...),
        count=(int, Field(..., description="Items on all pages.")),
        page=(int, ...),
        page_size=(int, ...),
        pages=(int, Field(..., description="How many pages there are.")),
    )


def page_of(items, query: PageQuery, represent: Callable[[list], list]) -> dict:
    """One page of ``items`` (a queryset, search results or a list): counted, sliced, and each item represented."""
    count = len(items) if isinstance(items, list) else items.count()
    start = (query.page - 1) * query.page_size
    rows = list(items[start : start + query.page_size]) if start < count else []
    return {
        "items": represent(rows),
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": ceil(count / query.page_size),
    }
