"""The hook in ``tests/conftest.py``: under ``CI=true`` a skip fails the run, elsewhere it skips."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).parent / "conftest.py").read_text(encoding="utf-8")
SKIPPING = """
import pytest

def test_skips_inside():
    pytest.skip("no corpus here")

@pytest.mark.skipif(True, reason="no store here")
def test_marked():
    pass

@pytest.fixture
def browser():
    pytest.skip("no chromium here")

def test_needs_a_fixture(browser):
    pass

def test_runs():
    pass
"""


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_skip_fails_under_ci_and_skips_elsewhere(
    ci: str, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_skipping=SKIPPING)
    monkeypatch.setenv("CI", ci)
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)  # .ci/run's report is not for these
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    if ci:
        result.assert_outcomes(passed=1, failed=1, errors=2)
        result.stdout.fnmatch_lines(["*skipped under CI=true*no corpus here*"])
        assert result.ret == pytest.ExitCode.TESTS_FAILED
    else:
        result.assert_outcomes(passed=1, skipped=3)
        assert result.ret == pytest.ExitCode.OK


def test_a_module_that_skips_as_a_whole_fails_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_module='import pytest\npytest.skip("no shared", allow_module_level=True)\n'
    )
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*skipped under CI=true*no shared*"])
