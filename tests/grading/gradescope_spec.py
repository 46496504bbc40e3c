"""The fields of Gradescope's results.json (the autograder specification at
gradescope-autograders.readthedocs.io, "Output format"), to check ours."""

import numbers

TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
       "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
       "leaderboard"}
TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
        "output_format", "tags", "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
STATUS = {"passed", "failed"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def problems(results):
    """What in `results` (a parsed results.json) breaks the spec; [] if nothing."""
    out = []
    if not isinstance(results, dict):
        return ["results.json is not an object"]
    out += [f"unknown top-level field {k!r}" for k in set(results) - TOP]
    tests = results.get("tests")
    if "score" not in results and not (tests and all("score" in t for t in tests)):
        out.append("a score is needed at the top level or on every test")
    if "score" in results and not isinstance(results["score"], numbers.Number):
        out.append("score is not a number")
    for key in ("visibility", "stdout_visibility"):
        if key in results and results[key] not in VISIBILITY:
            out.append(f"{key} {results[key]!r} is not one of {sorted(VISIBILITY)}")
    for key in ("output_format", "test_output_format", "test_name_format"):
        if key in results and results[key] not in FORMATS:
            out.append(f"{key} {results[key]!r} is not a known format")
    if "output" in results and not isinstance(results["output"], str):
        out.append("output is not a string")
    if tests is not None and not isinstance(tests, list):
        return out + ["tests is not a list"]
    for i, t in enumerate(tests or []):
        where = f"tests[{i}]"
        if not isinstance(t, dict):
            out.append(f"{where} is not an object")
            continue
        out += [f"{where}: unknown field {k!r}" for k in set(t) - TEST]
        for key in ("score", "max_score"):
            if key in t and not isinstance(t[key], numbers.Number):
                out.append(f"{where}.{key} is not a number")
        if "score" in t and "max_score" in t and not 0 <= t["score"] <= t["max_score"]:
            out.append(f"{where}: score {t['score']} is outside 0..{t['max_score']}")
        if "status" in t and t["status"] not in STATUS:
            out.append(f"{where}.status {t['status']!r} is not passed/failed")
        if "visibility" in t and t["visibility"] not in VISIBILITY:
            out.append(f"{where}.visibility {t['visibility']!r} is not one of {sorted(VISIBILITY)}")
        for key in ("name", "output"):
            if key in t and not isinstance(t[key], str):
                out.append(f"{where}.{key} is not a string")
        if "tags" in t and not (isinstance(t["tags"], list) and all(isinstance(x, str) for x in t["tags"])):
            out.append(f"{where}.tags is not a list of strings")
    # Not the spec's rule (a top-level score overrides the tests'), but ours.
    if isinstance(results.get("score"), numbers.Number) and tests and \
            all(isinstance(t.get("score"), numbers.Number) for t in tests):
        if abs(results["score"] - sum(t["score"] for t in tests)) > 1e-9:
            out.append("the top-level score is not the sum of the tests' scores")
    return out
