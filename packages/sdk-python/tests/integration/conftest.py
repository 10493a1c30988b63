"""One real server per store (Postgres, PGlite) for the whole session; see server_harness.py."""

import pytest

from server_harness import WEB, Server, Store, postgres_available

_postgres = None


def _stores():
    global _postgres
    if _postgres is None:
        _postgres = postgres_available()
    return (["postgres"] if _postgres else []) + ["pglite"]


def pytest_generate_tests(metafunc):
    if "server" in metafunc.fixturenames:
        metafunc.parametrize("server", _stores(), indirect=True, scope="session")


@pytest.fixture(scope="session")
def server(request):
    if not (WEB / ".next" / "BUILD_ID").exists():
        pytest.fail("the web app is not built: npx turbo run build --filter=@runtrail/web (npm test does it)")
    store = Store(request.param)
    srv = Server(store)
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()
        store.cleanup()
