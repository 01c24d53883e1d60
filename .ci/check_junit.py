"""Fail a CI run whose test report shows a skip, or none of a group CI must run.

``python .ci/check_junit.py REPORT.xml`` reads pytest's JUnit XML.  Under ``CI=true`` the hook
in ``tests/conftest.py`` already turns skips into failures; this is the second lock, so that
losing the hook, the variable or a folder of tests cannot turn the run green: every group
below must have passed tests, and nothing may be skipped.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

#: group -> the test modules (JUnit class-name prefixes) whose tests must run and pass.
MUST_RUN = {
    "real corpus": ("tests.graph.test_corpus", "tests.exporters.test_corpus"),
    "browser (chromium)": ("tests.browser.",),
    "browser at 100k nodes": ("tests.browser.test_scale",),
    "stores (oxigraph server, LadybugDB, FalkorDB)": (
        "tests.exporters.test_triplestore",
        "tests.stores.",
    ),
    "package doctests": ("tests.test_doctests",),
    "XML schemas (xmllint, JGraphT's XSDs)": ("tests.exporters.test_xml_schemas",),
    "notebooks": ("tests.notebooks.test_notebooks",),
}


def main(path: str) -> int:
    cases = ET.parse(path).getroot().iter("testcase")
    outcomes: list[tuple[str, str]] = []  # (class name.test name, outcome)
    for case in cases:
        name = f"{case.get('classname', '')}.{case.get('name', '')}"
        tags = {child.tag for child in case}
        outcome = next((t for t in ("failure", "error", "skipped") if t in tags), "passed")
        outcomes.append((name, outcome))
    problems = [f"skipped: {name}" for name, outcome in outcomes if outcome == "skipped"]
    for group, prefixes in MUST_RUN.items():
        passed = sum(1 for n, o in outcomes if o == "passed" and n.startswith(prefixes))
        print(f"{group}: {passed} tests passed")
        if not passed:
            problems.append(f"no {group} test ran ({', '.join(prefixes)})")
    for problem in problems:
        print(f"check_junit: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
