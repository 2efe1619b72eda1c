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
        lambda q: ["No", "Yes"] if q.kind == "binary" else ["A", "B", "C"]
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
