"""pytest plugin for tracelab: run labs and commands under the tracer with
safe limits, grade a student's submission, and report scores.

Loaded by tests/conftest.py (`pytest_plugins = ["tracelab.pytest_plugin"]`),
so `make test` and a plain `pytest` from the repository both have it; or
with `-p tracelab.pytest_plugin`. Its parts, one job each, are in
tracelab/plugin/: options.py, fixtures.py, markers.py, grading.py,
scoring.py, budget.py, frame.py (pytest's own words in the kit's
language), and state.py (the session's state, in config.stash).

Fixtures
    trace_lab(name=None, variant=None, hold=None, classes=None, ...) -> Trace
        runs a lab (by default the one the test file is named after:
        test_lab07_x.py -> lab07) under the tracer with limits; a run that a
        limit stopped fails the test with the reason (it scores zero).
    shared_trace_lab(...)             the same, one run per test module
    trace_cmd(argv, ...) -> Trace     the same for a command
    lab_dir(name=None) -> Path        the lab's folder in use (the graded copy)
    tracelab_limits -> Limits         the limits in force
    submission -> Build or None       what was built from --submission

Markers
    @pytest.mark.points(5)      what the test is worth (default 1)
    @pytest.mark.hidden         graded, but shown to students only once
                                published (or @pytest.mark.hidden("hidden"))
    @pytest.mark.repeat(5)      run the test 5 times; it passes only if every
                                run does (with trace_lab(hold="sigchld"),
                                a race that goes the lucky way is no longer luck)

Options
    --submission PATH (or $TRACELAB_SUBMISSION), --lab N: grade a student's
    file or folder: the labs are copied to a temporary folder, the lab's .c
    is replaced by the student's and built, and every run of the tracer in
    the session runs that copy (TRACELAB_LABS in the tracer's environment).
    A build that fails scores zero with the compiler's messages.
    --gradescope PATH: write Gradescope's results.json.
    --score-table: print the score table (it is printed when grading anyway).
    --hidden-visibility: after_published (default), after_due_date or hidden.
    --trace-timeout S, --trace-max-procs N, --trace-max-mem MB,
    --trace-max-output BYTES, --trace-max-tree-mem MB: the limits of every
    run (the last one for a graded run's whole tree, in a cgroup).
    --budget S: what grading one submission may take, its build and all
    its tests (default 480 s with --submission); past it the tests left
    score zero, not run, and a run under way is cut short (budget.py).
"""

# budget before fixtures, which imports it: pytest rewrites the asserts of
# a plugin's module only if it is the first to import it.
pytest_plugins = [
    "tracelab.plugin.options",
    "tracelab.plugin.markers",
    "tracelab.plugin.grading",
    "tracelab.plugin.budget",
    "tracelab.plugin.fixtures",
    "tracelab.plugin.scoring",
    "tracelab.plugin.frame",
]
