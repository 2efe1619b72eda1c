from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from forecasts import services
from forecasts.models import Question


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"forecaster{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse 42")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True


class QuestionFactory(factory.Factory):
    """Build questions through the same service that staff and seeds use."""

    class Meta:
        model = Question

    slug = factory.Sequence(lambda n: f"question-{n}")
    title = factory.Sequence(lambda n: f"Will thing {n} happen?")
    body = "Background."
    resolution_criteria = "Resolves Yes if the thing happens."
    kind = "binary"
    options = factory.LazyAttribute(
        lambda q: {"binary": ["No", "Yes"], "numeric": [], "date": []}.get(
            q.kind, ["A", "B", "C"]
        )
    )
    ordered = False
    open_time = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    close_time = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    resolve_time = factory.LazyAttribute(lambda q: q.close_time)

    @classmethod
    def _create(cls, model_class, *args, tags=(), publish=True, **kwargs):
        return services.create_question(tags=tags, publish=publish, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, tags=(), publish=True, **kwargs):
        return model_class(**kwargs)


def admin_question_form(**overrides) -> dict:
    """Return the Django admin's add-question form data for a binary question."""
    data = {
        "slug": "admin-made",
        "title": "Made in the admin?",
        "body": "Body.",
        "resolution_criteria": "Criteria.",
        "kind": "binary",
        "options": '["No", "Yes"]',
        "scale": "linear",
        "open_time_0": "2026-01-01",
        "open_time_1": "00:00:00",
        "close_time_0": "2030-01-01",
        "close_time_1": "00:00:00",
        "resolve_time_0": "2030-01-01",
        "resolve_time_1": "00:00:00",
        "created_at_0": "2026-01-01",
        "created_at_1": "00:00:00",
        "clarifications-TOTAL_FORMS": "0",
        "clarifications-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}
