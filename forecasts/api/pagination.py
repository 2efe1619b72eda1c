"""Page-number pagination: count, next, previous, results, and a 400 for bad pages."""

import re

from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

# ASCII digits only: str.isdigit() also takes "²" and "١", which int() refuses
# or reads. Past 18 digits no page exists, and int() of 4,300 digits raises.
WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
LONG_NUMBER = re.compile(r"[0-9]{19,}")
NOT_A_NUMBER = "Enter a whole number from 1."


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of PAGE_SIZE (50) by default; ?page_size= up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param, "1")
        if LONG_NUMBER.fullmatch(number):
            raise NotFound("No such page.")
        _whole_number(number, self.page_query_param)
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not LONG_NUMBER.fullmatch(size):
            _whole_number(size, self.page_size_query_param)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound("No such page.") from None

    def get_page_size(self, request):
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and LONG_NUMBER.fullmatch(size):
            return self.max_page_size  # larger than any cap, so the cap
        return super().get_page_size(request)

    def get_paginated_response(self, data, **extra):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                **extra,
                "results": data,
            }
        )


def _whole_number(text: str, field: str) -> int:
    """Return text as a number from 1, or refuse it with a 400 naming the field."""
    if not WHOLE_NUMBER.fullmatch(text) or int(text) < 1:
        raise ValidationError({field: [NOT_A_NUMBER]})
    return int(text)


def paginated(view, queryset, serializer_class, **extra) -> Response:
    """Return one page of the queryset, serialized, with extra top-level keys."""
    paginator = view.paginator
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    data = serializer_class(page, many=True, context={"request": view.request}).data
    return paginator.get_paginated_response(data, **extra)
