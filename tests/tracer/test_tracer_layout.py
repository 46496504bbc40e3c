"""The tracer's layout, as shared/DESIGN.md draws it, checked on its
sources: one folder per stage, and the dependency rule between them.

    output/ and model/ include only event/ (and common/, the helpers
    everyone may use); nothing outside core/ includes core/; decode/ does
    not include output/. The loop alone resumes a stopped task.
"""

import re

import tracelab

TRACER = tracelab.REPO / "tracer"
STAGES = {"core", "decode", "model", "event", "output", "lab", "common"}
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)

# What each folder may include besides itself. core/ may include anything.
ALLOWED = {
    "common": set(),
    "event": {"common"},
    "model": {"event", "common"},
    "output": {"event", "common"},
    "decode": {"event", "common", "model"},
    "lab": {"event", "common", "model", "decode", "output"},
    "core": STAGES,
}


def sources():
    return sorted(p for p in TRACER.rglob("*.[ch]"))


def includes(path):
    """The tracer folders that path includes (system headers left out)."""
    found = []
    for name in INCLUDE.findall(path.read_text()):
        if name.startswith(".."):
            # outside the tracer: the hook's marker (kit/hook/tlhook.h), the
            # choice of language shared with the labs (kit/lib/kit_lang.h)
            continue
        assert (TRACER / name).is_file(), f"{path.relative_to(TRACER)} includes {name}, which is not tracer/{name}"
        found.append(name.split("/")[0])
    return found


def test_every_source_file_is_in_a_stage_folder():
    stray = [p.relative_to(TRACER) for p in sources() if p.parent.name not in STAGES or p.parent.parent != TRACER]
    assert stray == [], f"files outside the stage folders: {stray}"
    assert {p.parent.name for p in sources()} == STAGES


def test_the_dependency_rule():
    broken = []
    for path in sources():
        folder = path.parent.name
        for dep in includes(path):
            if dep != folder and dep not in ALLOWED[folder]:
                broken.append(f"{path.relative_to(TRACER)} includes {dep}/")
    assert broken == [], "the dependency rule (shared/DESIGN.md) is broken:\n" + "\n".join(broken)


def test_the_model_is_opaque():
    """Its structures are in model_int.h, which only model/ includes."""
    users = [p.relative_to(TRACER) for p in sources()
             if '"model/model_int.h"' in p.read_text() and p.parent.name != "model"]
    assert users == []
    assert "struct proc {" not in (TRACER / "model/model.h").read_text()


def test_the_loop_alone_resumes_a_task():
    """Handlers return what to do; only core/loop.c names a ptrace request
    that restarts a stopped task, and only in resume() and follow(), the
    two functions that do what a handler returned."""
    restart = re.compile(r"\b(PTRACE_CONT|PTRACE_SYSCALL|PTRACE_LISTEN|PTRACE_DETACH)\b")
    users = sorted(str(p.relative_to(TRACER)) for p in sources() if restart.search(p.read_text()))
    assert users == ["core/loop.c"]
    function, where = None, set()
    for line in (TRACER / "core/loop.c").read_text().splitlines():
        head = re.match(r"^(?:static )?[a-z].*?\b(\w+)\(", line)
        if head and not line.startswith((" ", "\t")):
            function = head.group(1)
        if restart.search(line):
            where.add(function)
    assert where == {"resume", "follow"}


def test_renderers_never_see_the_model_or_the_loop():
    for path in (TRACER / "output").glob("*.[ch]"):
        text = path.read_text()
        assert "struct model" not in text and "struct tracer" not in text, path.name


def test_includes_have_no_circle():
    """Between headers: a header never includes, through others, itself."""
    graph = {}
    for path in sources():
        if path.suffix == ".h":
            graph[str(path.relative_to(TRACER))] = [n for n in INCLUDE.findall(path.read_text())
                                                     if not n.startswith("..")]
    def visit(node, stack):
        assert node not in stack, "include circle: " + " -> ".join(stack + [node])
        for nxt in graph.get(node, []):
            visit(nxt, stack + [node])
    for node in graph:
        visit(node, [])
