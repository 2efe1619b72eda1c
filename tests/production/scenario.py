"""Forecast and resolve a question in a running deployment, then await its scores.

Run as `manage.py shell -c "$(cat scenario.py)"` in the deployment's
environment; it prints the question's result as JSON. It uses the same services
as the site, so the scores come from whichever process runs scoring tasks.
"""

import json
import time
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from forecasts import services
from forecasts.selectors.scores import question_result


def forecast_and_resolve():
    """Create a question, forecast 0.7 and 0.2 on it, resolve it Yes."""
    now = timezone.now()
    question = services.create_question(
        slug="deployment-check",
        title="Does the deployment score resolutions?",
        body="Asked by the production test.",
        resolution_criteria="Resolves Yes when the worker has scored it.",
        kind="binary",
        options=["No", "Yes"],
        open_time=now - timedelta(days=1),
        close_time=now + timedelta(days=1),
        resolve_time=now + timedelta(days=1),
    )
    for name, probability in [("ann", 0.7), ("bob", 0.2)]:
        user = User.objects.create_user(name)
        services.submit_forecast(question=question, user=user, probability=probability)
    staff = User.objects.create_user("staff", is_staff=True)
    services.resolve_question(question=question, user=staff, outcome=1)
    return question


def await_result(question, attempts=600):
    """Return the question's result once scored, or as it stands at the end."""
    for _ in range(attempts):
        result = question_result(question)
        if result.state != "pending":
            break
        time.sleep(0.1)
    return {
        "state": result.state,
        "brier": {s.user.username: round(s.brier, 6) for s in result.scores},
    }


print(json.dumps(await_result(forecast_and_resolve())))
