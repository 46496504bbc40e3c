"""docs/instructors.md's table of default limits ("Default limits, and
why") against the code's defaults, and the facts the table gives for its
values against real runs: what every lab's reference program needs, what a
trace at the size limit costs the grader, and the caps on what a student
reads."""

import dataclasses
import json
import subprocess

from grading.nested import GRADING, PYTHON, REPO, clean_env
from tracelab import autograder, shown, submission
from tracelab.enclosure import TASKS_PER_PROCESS, TREE_MEM_MB, tree_tasks
from tracelab.guard import DEFAULT_LIMITS, Limits
from tracelab.plugin import budget
from tracelab.plugin.budget import DEFAULT_BUDGET
from tracelab.runner import list_labs, run

DOC = REPO / "docs" / "instructors.md"
TEMPLATE = REPO / "kit" / "templates" / "autograder" / "run_autograder"
# Each field of Limits, by its row's option column.
OPTION_OF = {"timeout": "`--trace-timeout S`", "max_procs": "`--trace-max-procs N`",
             "max_mem_mb": "`--trace-max-mem MB`", "max_tree_mem_mb": "`--trace-max-tree-mem MB`",
             "max_cpu_s": "`--trace-max-cpu S`",
             "max_output": "`--trace-max-output BYTES`", "max_trace": "`Limits(max_trace=...)`"}
UNITS = {"timeout": "s", "max_mem_mb": "MB", "max_tree_mem_mb": "MB", "max_cpu_s": "s"}


def section():
    text = DOC.read_text()
    start = text.index("## Default limits, and why")
    return text[start:text.index("\n## ", start + 1)]


def table():
    """{limit: (default, option, stops, why)} from the section's table."""
    rows = {}
    for line in section().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("limit", "---"):
            rows[cells[0]] = tuple(cells[1:])
    return rows


def size(n):
    return f"{n >> 30} GiB" if n >= 1 << 30 else f"{n >> 20} MB"


def said(value, field):
    if field in ("max_output", "max_trace"):
        return size(value)
    return f"{value} {UNITS[field]}" if field in UNITS else str(value)


def test_every_limit_is_in_the_table_with_the_codes_default():
    fields = {f.name for f in dataclasses.fields(Limits)} - {"user"}
    assert fields == set(OPTION_OF), "a limit was added or taken away: say it in the table and here"
    rows = table()
    for field, option in OPTION_OF.items():
        [row] = [r for r in rows.values() if r[1] == option]
        assert row[0].split(",")[0] == said(getattr(DEFAULT_LIMITS, field), field), (field, row)
        assert row[2] and row[3], f"{field}: say what it stops and why this value"
    # the tree's memory: the default, or half the grader's own room if less
    assert rows["memory of the whole tree (graded as root, in a cgroup)"][0] == \
        f"{TREE_MEM_MB} MB, or half the grader's own memory if less"
    tasks = rows["processes and threads of the whole tree (graded as root, in a cgroup)"]
    assert tasks[:2] == (f"{TASKS_PER_PROCESS} x the processes limit: {tree_tasks(DEFAULT_LIMITS)}",
                         "follows `--trace-max-procs`")
    assert rows["CPU time of the whole tree (graded as root, in a cgroup)"][:2] == \
        (f"{DEFAULT_LIMITS.max_cpu_s} s", "`--trace-max-cpu S`")
    # below the time limit, so that busy loops stop before it on 2 CPUs
    assert DEFAULT_LIMITS.max_cpu_s < DEFAULT_LIMITS.timeout
    assert rows["time of one submission"][:2] == (f"{DEFAULT_BUDGET} s", "`--budget S`")
    assert rows["the compiler's time"][0] == f"{submission._BUILD_TIMEOUT} s"
    assert rows["the compiler's memory"][0] == size(submission._BUILD_MEMORY)


def test_a_class_run_grades_half_as_many_at_once_as_there_are_cpus():
    done = subprocess.run([PYTHON, "-m", "tracelab.grade", "--help"], capture_output=True, text=True,
                          env=clean_env(PYTHONPATH=REPO / "kit"))
    assert "(default: half the CPUs)" in " ".join(done.stdout.split())
    assert "runs `--jobs` 1 there: half the CPUs" in " ".join(section().split())


def test_the_budget_is_80_percent_of_gradescopes_timeout_as_said():
    assert "BUDGET_PERCENT=@BUDGET_PERCENT@\n" in TEMPLATE.read_text()
    assert autograder.BUDGET_PERCENT == 80 and autograder.GRADESCOPE_TIMEOUT == 600
    assert DEFAULT_BUDGET == autograder.GRADESCOPE_TIMEOUT * autograder.BUDGET_PERCENT // 100
    text = " ".join(section().split())
    assert "80% of Gradescope's 10 minutes; run_autograder passes 80% of the assignment's timeout" in text
    assert (f"A submission's grading goes past its budget only by what the run under way was given "
            f"(what was left, at least {budget._MIN_RUN_S} s)") in text


def test_what_a_student_reads_is_as_said():
    text = " ".join(section().split())
    assert f"at most {shown.SHOWN_LINES} lines, then `... (N more lines of the compiler's messages left out)`" in text
    assert f"at most {shown.MESSAGE_LINES} lines, then `... (N more lines left out)`" in text
    assert "the first 5 lines of it, 120 characters each" in text     # test_grading_hostile.py checks it


def test_every_lab_needs_far_less_than_the_limits():
    """The bounds the table's reasons give: at most 6 processes, under
    64 MB at the peak, under 2 KB printed, a trace under 0.5 MB, for every
    lab and variant, run under the default limits, none of which stopped
    it. (How long each run takes is the benchmark's: `make bench`.)"""
    for lab in list_labs():
        for variant in [None, *(lab.get("variants") or [])]:
            trace = run(lab=lab["lab"], variant=variant, limits=DEFAULT_LIMITS)
            where = f"{lab['lab']} {variant or ''}"
            assert trace.stopped is None, (where, trace.stopped)
            assert len(trace.processes) <= 6, where
            assert trace.peak_mem_mb < 64, (where, trace.peak_mem_mb)
            assert len(trace.stdout) + len(trace.stderr) < 2 << 10, where
            assert sum(len(json.dumps(e)) + 1 for e in trace.events) < 512 << 10, where


LOAD = """
import resource, sys
import tracelab
from tracelab.guard import DEFAULT_LIMITS
trace = tracelab.run([sys.argv[1]], limits=DEFAULT_LIMITS)
print(trace.stopped)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10)
"""


def test_a_trace_at_the_size_limit_is_stopped_and_fits_beside_the_program(tmp_path):
    """An endless loop of traced calls is stopped at 16 MB of trace, and
    the test runner that loads that trace stays under 256 MB (175 MB
    here): room beside a program in a 768 MB container."""
    prog = tmp_path / "syscalls"
    subprocess.run(["gcc", "-O1", "-o", prog, GRADING / "misbehave" / "syscalls.c"], check=True)
    done = subprocess.run([PYTHON, "-c", LOAD, prog], capture_output=True, text=True, timeout=120,
                          env=clean_env(PYTHONPATH=REPO / "kit"))
    stopped, peak_mb = done.stdout.splitlines()
    assert stopped == ("its trace grew past 16 MB, the limit (an endless loop of system calls?)"), \
        done.stdout + done.stderr
    assert int(peak_mb) < 256, peak_mb


def test_a_lab_builds_within_the_compilers_limits(tmp_path):
    """A lab builds under the compiler's time and memory limits, cleanly:
    nothing stopped it, and it said nothing. (How long a build takes is
    not timed here.)"""
    build = submission.prepare(REPO / "labs" / "lab07-waitpid-loop" / "lab07.c", workdir=tmp_path / "w")
    assert build.ok and build.output == "", build.output
    assert [b.program.is_file() for b in build.labs] == [True]
