"""Scaffold a new lab: `make new-lab NAME=lab12-prefork`, or
`python3 -m tracelab.scaffold lab12-prefork [--repo DIR]`.

Writes labs/lab12-prefork/ (lab12.c, lab.conf, README.md and its
Vietnamese README.vi.md, with the same headings, commands and exercises)
and tests/labs/test_lab12_prefork.py from kit/templates/lab/. The template program is
a small echo server on kit/lib that builds (`make lab12`) and passes its
tests out of the box; the instructor then makes it the lab.
"""

import argparse
import re
import sys
from pathlib import Path

from .i18n import _
from .runner import REPO

TEMPLATES = REPO / "kit" / "templates" / "lab"
NAME_RE = re.compile(r"^lab(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$")


class ScaffoldError(ValueError):
    pass


def plan(name, repo=REPO):
    """{destination path: text} for lab `name`; raises ScaffoldError."""
    m = NAME_RE.match(name)
    if not m:
        raise ScaffoldError(_("a lab's name is labNN-topic, two digits and lower-case words "
                              "joined by '-' (like lab12-prefork), not {name!r}").format(name=name))
    nn, topic = m.group(1), m.group(2)
    repo = Path(repo)
    labs = repo / "labs"
    taken = [p.name for p in labs.glob(f"lab{nn}-*")] if labs.is_dir() else []
    if taken:
        raise ScaffoldError(_("lab {n} exists already: {folder}; pick another number").format(
            n=int(nn), folder=f"labs/{taken[0]}"))
    test_name = f"test_lab{nn}_{topic.replace('-', '_')}.py"
    old_tests = list((repo / "tests" / "labs").glob(f"test_lab{nn}_*.py"))
    if old_tests:
        raise ScaffoldError(_("{file} exists already: pick another number").format(
            file=f"tests/labs/{old_tests[0].name}"))
    words = {
        "NAME": name,
        "N": str(int(nn)),
        "NN": nn,
        "PROGRAM": f"lab{nn}",
        "SHORT": f"lab{int(nn)}",
        "TITLE": topic.replace("-", " ").capitalize(),
        "TESTFILE": test_name,
    }
    folder = labs / name
    return {
        folder / f"lab{nn}.c": _fill("program.c", words),
        folder / "lab.conf": _fill("lab.conf", words),
        folder / "README.md": _fill("README.md", words),
        folder / "README.vi.md": _fill("README.vi.md", words),
        repo / "tests" / "labs" / test_name: _fill("test_lab.py", words),
    }


def _fill(template, words):
    text = (TEMPLATES / template).read_text()
    for key, val in words.items():
        text = text.replace("{{" + key + "}}", val)
    left = re.findall(r"\{\{[A-Z]+\}\}", text)
    if left:
        raise ScaffoldError(_("template {template} has unknown placeholders {left}").format(
            template=template, left=left))
    return text


def create(name, repo=REPO):
    """Write the new lab's files; returns their paths."""
    files = plan(name, repo)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x") as f:      # never overwrite
            f.write(text)
    return list(files)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m tracelab.scaffold",
                                 description="Scaffold a new lab from kit/templates/lab/.")
    ap.add_argument("name", help="labNN-topic, like lab12-prefork")
    ap.add_argument("--repo", default=str(REPO), help="the kit's root (default: this one)")
    args = ap.parse_args(argv)
    try:
        paths = create(args.name, args.repo)
    except (ScaffoldError, FileExistsError) as e:
        print(f"new-lab: {e}", file=sys.stderr)
        return 2
    repo = Path(args.repo)
    for p in paths:
        print(_("created {file}").format(file=p.relative_to(repo)))
    n = int(args.name[3:5])
    print(_("next: {commands}").format(commands=f"make lab{n} && ./trace lab{n}; "
                                        f"make test PYTEST_ARGS={paths[-1].relative_to(repo)}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
