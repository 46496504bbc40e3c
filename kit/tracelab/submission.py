"""A student's submission, built in a copy of the labs so that the tracer
runs it in place of the lab's own program.

    build = prepare("hw/lab07.c")            # or a folder; lab from the name
    build = prepare("hw/", lab="7")
    if build.ok:
        trace = tracelab.run(lab="lab7", labs=build.labs_dir)   # runs the student's program
    else:
        print(build.output)                                     # the compiler's messages

The copy holds every lab folder of the kit (other labs keep the kit's
programs); each submitted lab's .c replaces the lab's own and is compiled
with `gcc -Wall -Wextra -O2 -pthread -Ikit/lib FILE kit/lib/labkit.c`.
The compiler's messages kept are those about the student's own files, a
few lines of them (tracelab.shown): an #include of a file the student was
not given comes back as a count, never as its lines.
"""

import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import _
from .runner import list_labs, REPO
from .shown import compiler_messages

KITLIB = REPO / "kit" / "lib"
# The library every lab links with: its source, its header, and the header
# it shares with the tracer for the labs' language (kit_lang.h).
KITLIB_FILES = ("labkit.c", "labkit.h", "kit_lang.h")
CFLAGS = ["-Wall", "-Wextra", "-O2", "-pthread"]
_LABNUM = re.compile(r"(?:^|[^a-z0-9])lab0*(\d+)(?![0-9])", re.I)
_BUILD_TIMEOUT = 120
# The compiler's address space: a lab's file needs a few tens of MB; an
# #include of /dev/zero would take 2 GiB at once, and more.
_BUILD_MEMORY = 1 << 30


class SubmissionError(ValueError):
    """The submission cannot be graded as given (no file, which lab?)."""


@dataclass
class LabBuild:
    lab: str                 # the lab's folder name: lab07-waitpid-loop
    source: Path             # the student's file
    program: Path            # the binary built in the copy
    ok: bool = False
    output: str = ""         # the compiler's messages


@dataclass
class Build:
    submission: Path
    labs_dir: Path           # the copy: the tracer's TRACELAB_LABS
    workdir: Path            # remove when done (cleanup())
    labs: list = field(default_factory=list)     # LabBuild, one per submitted lab
    error: str = ""          # why nothing could be built, if so

    @property
    def ok(self):
        return not self.error and all(b.ok for b in self.labs)

    @property
    def output(self):
        if self.error:
            return self.error
        return "\n".join(b.output for b in self.labs if b.output)

    def cleanup(self):
        shutil.rmtree(self.workdir, ignore_errors=True)


def labs_root():
    """The labs to grade against: $TRACELAB_LABS if the user set it (the
    tracer reads it too), else the kit's."""
    env = os.environ.get("TRACELAB_LABS")
    return Path(env) if env else REPO / "labs"


def lab_number(text):
    """7 for "lab7", "lab07", "lab07-waitpid-loop", "test_lab07_x.py", "7", "07"."""
    text = str(text)
    if text.isdigit():
        return int(text)
    m = _LABNUM.search(Path(text).name) or _LABNUM.search(text)
    return int(m.group(1)) if m else None


def find_lab(which, root=None):
    """The folder name of a lab given as 7, "lab7", "lab07-waitpid-loop"."""
    root = Path(root or labs_root())
    num = lab_number(which)
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and re.match(r"lab\d\d-", p.name))
    if str(which) in names:
        return str(which)
    hits = [n for n in names if num is not None and int(n[3:5]) == num]
    if not hits:
        raise SubmissionError(_("there is no lab {lab} in {root} (labs: {labs})").format(
            lab=which, root=root, labs=", ".join(names)))
    return hits[0]


def lab_program(lab_dir):
    """The program a lab runs, as its lab.conf says (`program = lab07`).
    The tracer holds the one parser of lab.conf: `./trace --list --json`."""
    lab_dir = Path(lab_dir)
    for lab in list_labs(lab_dir.parent):
        if lab["lab"] == lab_dir.name:
            if not lab["ok"]:
                raise SubmissionError(lab.get("error") or _("{file} cannot be read").format(
                    file=f"{lab_dir}/lab.conf"))
            return lab["program"]
    raise SubmissionError(_("{folder} is not a lab folder with a lab.conf ({pattern})").format(
        folder=lab_dir, pattern="labNN-name/lab.conf"))


def _c_files(folder):
    out = []
    for path in sorted(Path(folder).rglob("*.c")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part == "__MACOSX" for part in rel.parts):
            continue
        if len(rel.parts) <= 4:
            out.append(path)
    return out


def choose_sources(submission, lab=None, root=None):
    """[(lab folder name, student's .c file)] for a file or folder."""
    root = Path(root or labs_root())
    sub = Path(submission)
    if not sub.exists():
        raise SubmissionError(_("no submission at {path}").format(path=sub))
    if sub.is_file():
        which = lab if lab is not None else lab_number(sub.name)
        if which is None:
            raise SubmissionError(_("cannot tell which lab {file} is for: "
                                    "name it like lab07.c, or say which lab (--lab 7)").format(file=sub.name))
        return [(find_lab(which, root), sub)]
    files = _c_files(sub)
    if not files:
        raise SubmissionError(_("the submission {path} holds no .c file").format(path=sub))
    if lab is not None:
        name = find_lab(lab, root)
        return [(name, _pick(files, name, root, sub))]
    # No lab given: each file or folder named for a lab is that lab's.
    by_lab = {}
    for f in files:
        num = lab_number(str(f.relative_to(sub)))
        if num is not None:
            by_lab.setdefault(find_lab(num, root), []).append(f)
    if not by_lab:
        names = ", ".join(str(f.relative_to(sub)) for f in files)
        raise SubmissionError(_("cannot tell which lab these files are for ({files}): "
                                "name the file like lab07.c, or say which lab (--lab 7)").format(files=names))
    return [(name, _pick(cands, name, root, sub)) for name, cands in sorted(by_lab.items())]


def _pick(files, name, root, sub):
    program = lab_program(root / name) + ".c"
    exact = [f for f in files if f.name == program]
    if exact:
        return exact[0]
    if len(files) == 1:
        return files[0]
    names = ", ".join(str(f.relative_to(sub)) for f in files)
    raise SubmissionError(_("the submission has several .c files ({files}) and none is named "
                            "{program}: rename the one for {lab} to {program}").format(
                                files=names, program=program, lab=name))


def prepare(submission, lab=None, workdir=None, root=None, user=None):
    """Copy the labs, put the submission in, build it. Never raises for the
    student's mistakes: they are in the Build's `error` or `output`. With
    a sandbox.GradingUser the copy is that user's and the compiler runs as
    it (an #include of a file it may not read fails)."""
    root = Path(root or labs_root())
    prefix = user.folder_prefix("grade") if user is not None else "tracelab-grade-"
    workdir = Path(workdir or tempfile.mkdtemp(prefix=prefix))
    labs_dir = workdir / "labs"
    if not labs_dir.exists():
        shutil.copytree(root, labs_dir, symlinks=True)
    if user is not None:
        os.chmod(workdir, 0o755)   # the user enters it; only the copy inside is its own
        # The reference programs' sources stay the grader's: the copy keeps
        # their binaries, and the submitted lab gets the student's file.
        for reference in labs_dir.glob("lab*/*.c"):
            reference.unlink()
    build = Build(Path(submission), labs_dir, workdir)
    try:
        pairs = choose_sources(submission, lab, root)
    except SubmissionError as e:
        build.error = str(e)
        return build
    for name, source in pairs:
        build.error = _not_plain_files(Path(source), _headers(Path(source)), submission) or ""
        if build.error:
            return build
        build.labs.append(_compile(name, Path(source), labs_dir, user))
    return build


def _not_plain_files(source, headers, submission):
    """Why the student's files cannot be taken as they are, or None.
    Copying them follows a symbolic link, with the grader's rights: one to
    a hidden test would bring the test in under the student's name. (A
    file named on the command line is the grader's own choice.)"""
    sub = Path(submission)
    root = os.path.realpath(sub if sub.is_dir() else sub.parent)
    for path in [source] + headers:
        if path == sub and sub.is_file():
            continue
        real = os.path.realpath(path)
        if path.is_symlink() or not path.is_file() or os.path.commonpath([root, real]) != root:
            return _("{file} is a symbolic link or not a plain file: "
                     "submit the file itself").format(file=path.name)
    return None


def _headers(source):
    """The student's own headers next to the file: they come along."""
    return [h for h in sorted(source.parent.glob("*.h")) if h.name not in KITLIB_FILES]


def _limit_compiler():
    resource.setrlimit(resource.RLIMIT_AS, (_BUILD_MEMORY, _BUILD_MEMORY))


def _compile(name, source, labs_dir, user=None):
    folder = labs_dir / name
    program = lab_program(folder)
    dest_c = folder / f"{program}.c"
    binary = folder / program
    lb = LabBuild(name, source, binary)
    headers = _headers(source)
    for stale in (binary, dest_c):
        if stale.exists():
            stale.unlink()
    shutil.copyfile(source, dest_c)
    own = {str(dest_c): source.name}
    for header in headers:
        shutil.copyfile(header, folder / header.name)
        own[str(folder / header.name)] = header.name
    as_user, kitlib = {}, KITLIB
    if user is not None:
        # The compiler runs as the grading user, who may not enter the
        # checkout: the kit's files come into the copy.
        kitlib = labs_dir.parent / "kitlib"
        kitlib.mkdir(exist_ok=True)
        for kit_file in KITLIB_FILES:
            shutil.copyfile(KITLIB / kit_file, kitlib / kit_file)
        user.chown_tree(labs_dir)
        as_user = user.subprocess_args()
    cc = os.environ.get("CC", "gcc")
    cmd = [cc, *CFLAGS, f"-I{kitlib}", "-o", str(binary), str(dest_c), str(kitlib / "labkit.c")]
    try:
        # A session of its own: past the time limit, the compiler's own
        # children (cc1, as, ld) are killed with it, not left reading on.
        proc = subprocess.Popen(cmd, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace",
                                start_new_session=True, preexec_fn=_limit_compiler, **as_user)
    except FileNotFoundError:
        lb.output = _("no C compiler ({cc}) on this machine").format(cc=cc)
        return lb
    try:
        said, _err = proc.communicate(timeout=_BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)   # not reaped yet: the group is still the compiler's
        proc.communicate()
        lb.output = _("the compiler took more than {s} s").format(s=_BUILD_TIMEOUT)
        return lb
    lb.output = compiler_messages(said, own, folder).strip()
    lb.ok = proc.returncode == 0 and binary.exists()
    return lb
