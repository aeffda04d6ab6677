"""The slow suites' figures (p99 per endpoint, ...) are shown by `make test-slow` although
pytest captures print(): the terminal summary prints them and bench/slow-report.txt keeps them."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")


def test_recorded_figures_are_in_the_summary_and_the_file(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(CONFTEST.parents[1]))  # config, spinta
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makepyfile(
        test_inner="""
        def test_load(slow_report):
            print("swallowed by pytest's capture")
            slow_report("load: p50/p99 per endpoint", ["  login  p99=  12.5 ms"])
        """
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*load: p50/p99 per endpoint*", "  login  p99=  12.5 ms"])
    assert "swallowed" not in result.stdout.str()
    report = pytester.path.parent / "bench" / "slow-report.txt"
    assert "login  p99=  12.5 ms" in report.read_text()
