"""Page-number pagination: count, next, previous, results, and a 400 for bad pages."""

from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of PAGE_SIZE (50) by default; ?page_size= up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param, "1")
        if not number.isdigit() or int(number) < 1:
            raise ValidationError({"page": ["Enter a whole number from 1."]})
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and (not size.isdigit() or int(size) < 1):
            raise ValidationError({"page_size": ["Enter a whole number from 1."]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound("No such page.") from None

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


def paginated(view, queryset, serializer_class, **extra) -> Response:
    """Return one page of the queryset, serialized, with extra top-level keys."""
    paginator = view.paginator
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    data = serializer_class(page, many=True, context={"request": view.request}).data
    return paginator.get_paginated_response(data, **extra)
