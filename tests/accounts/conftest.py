# Each test counts failed log-ins in a cache of its own (autouse).
from tests.api.conftest import fresh_caches  # noqa: F401
