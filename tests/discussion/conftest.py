from tests.api.conftest import (  # noqa: F401
    anon,
    client_for,
    fresh_caches,
    staff_api,
    user_api,
)
