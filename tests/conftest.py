from __future__ import annotations

import pytest
from sitebuild import TEST_SITEURL, Build, pelican


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real site, built strictly with publishconf.py, as it will be published."""
    build = pelican(tmp_path_factory.mktemp("site") / "output")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def site_url() -> str:
    return TEST_SITEURL
