import pytest

# Set by test_relevance.py, printed at the end of the run (pytest captures test output).
RELEVANCE = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    line = config.stash.get(RELEVANCE, None)
    if line:
        terminalreporter.write_sep("-", "search relevance")
        terminalreporter.write_line(line)
