"""The site's URLs and /bench/bare/: the least a DRF write can do."""

from django.db import connection
from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

BARE_TABLE = "bench_bare"


class BareInput(serializers.Serializer):
    value = serializers.IntegerField(min_value=0, max_value=10_000)


class BareView(APIView):
    """Validate a tiny body and do one INSERT: the throughput reference."""

    permission_classes = [IsAuthenticated]

    def post(self, request):
        body = BareInput(data=request.data)
        body.is_valid(raise_exception=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {BARE_TABLE} (user_id, value) VALUES (%s, %s) "
                "RETURNING id",
                [request.user.pk, body.validated_data["value"]],
            )
            (row_id,) = cursor.fetchone()
        return Response({"id": row_id}, status=201)


urlpatterns = [
    path("bench/bare/", BareView.as_view()),
    path("", include("config.urls")),
]
