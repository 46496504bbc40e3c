"""The picture in each lab's README (`make pictures`, `./trace --svg`).

Each README shows picture.svg (and lab 10 picture-thread.svg), and its
caption says what the picture holds: how many lanes (a process or a
thread each), zombie bars, fork or pthread_create arrows, handler runs.
Checked twice: on the committed picture, which must be a real run's
(the tracer drew it; its lanes are a run's tasks), and on a picture of a
new run of the same lab drawn now, against that run's own JSON Lines
trace (the oracle for the counts): the captions hold every run.

README.vi.md shows the same pictures drawn in Vietnamese (picture.vi.svg,
picture-thread.vi.svg: `./trace --lang vi --svg`), whose captions claim the
same: checked the same way, and that their words are Vietnamese.
"""

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import tracelab

LABS = Path(__file__).resolve().parents[2] / "labs"

# README -> picture file -> (variant, what its caption claims). blocked:
# whether a lane sleeps in a call (lab 1 does, lab 2's busy loop never).
CLAIMS = {
    "lab01": {"picture.svg": (None, dict(lanes=1, zombies=0, spawns=0, blocked=True))},
    "lab02": {"picture.svg": (None, dict(lanes=1, zombies=0, spawns=0, blocked=False))},
    "lab03": {"picture.svg": (None, dict(lanes=1, zombies=0, spawns=0, blocked=True))},
    "lab04": {"picture.svg": (None, dict(lanes=1, zombies=0, spawns=0, handlers=3))},
    "lab05": {"picture.svg": (None, dict(lanes=4, zombies=3, spawns=3))},
    "lab06": {"picture.svg": (None, dict(lanes=6, zombies=5, spawns=5, merged=5, handlers=1))},
    "lab07": {"picture.svg": (None, dict(lanes=6, zombies=5, spawns=5, reaps=5))},
    "lab08": {"picture.svg": (None, dict(lanes=5, zombies=0, spawns=4))},
    "lab09": {"picture.svg": (None, dict(lanes=7, zombies=0, spawns=6))},
    "lab10": {"picture.svg": (None, dict(lanes=4, zombies=3, spawns=3, reaps=3)),
              "picture-thread.svg": ("thread", dict(lanes=3, zombies=0, spawns=2))},
    "lab11": {"picture.svg": (None, dict(lanes=1, zombies=0, spawns=0))},
    "lab12": {"picture.svg": (None, dict(lanes=3, zombies=0, spawns=2))},
}
VI = ".vi.svg"          # NAME.vi.svg: picture NAME.svg drawn in Vietnamese, in README.vi.md


def vi_name(name):
    return name.removesuffix(".svg") + VI


for _shown in CLAIMS.values():      # the Vietnamese drawings claim what the English ones do
    _shown.update({vi_name(name): claim for name, claim in list(_shown.items())})


def readme_of(name):
    return "README.vi.md" if name.endswith(VI) else "README.md"


def lang_of(name):
    return "vi" if name.endswith(VI) else "en"


# Words of the English picture (its heading, lesson, tree and legend), none
# of which a Vietnamese picture may show; and letters Vietnamese has and
# English has not.
ENGLISH = re.compile(r"\b(tasks|the lesson of this run|what went wrong|exited|reaped by|LEAKED|killed by|"
                     r"running|blocked in a call|in a signal handler|never returned)\b")
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def shown_text(root):
    """The words the picture shows (its text elements; not the tooltips)."""
    return "\n".join("".join(e.itertext()) for e in root.iter(SVG_TEXT))


def language_problems(root, folder):
    """Why a picture is not in Vietnamese; [] if it is."""
    text = shown_text(root)
    english = sorted(set(ENGLISH.findall(text)))
    return ([f"English words: {english}"] if english else []) + \
        ([] if VIETNAMESE_LETTERS.search(text) else ["no Vietnamese letter"]) + \
        ([] if re.search(rf"^{re.escape(folder)}: \d+ tác vụ, ", text, re.M) else ["no heading `LAB: N tác vụ`"])


def lab_dirs():
    return sorted(d for d in LABS.iterdir() if (d / "lab.conf").exists())


def counts(svg_path):
    """What the picture draws, the legend's samples left out."""
    root = ET.parse(svg_path).getroot()
    legend = {id(e) for g in root.iter() if "legend" in (g.get("class") or "").split() for e in g.iter()}
    seen = {"lanes": 0, "zombies": 0, "spawns": 0, "reaps": 0, "handlers": 0, "blocked": 0, "merged": []}
    for e in root.iter():
        if id(e) in legend:
            continue
        cls = (e.get("class") or "").split()
        if cls == ["lane"]:
            seen["lanes"] += 1
        elif cls[:1] == ["bar"] and len(cls) > 1:
            key = {"zombie": "zombies", "handler": "handlers", "blocked": "blocked"}.get(cls[1])
            if key:
                seen[key] += 1
        elif cls[:1] == ["arrow"] and len(cls) > 1:
            if cls[1] in ("spawn", "reap"):
                seen[cls[1] + "s"] += 1
            if e.get("data-merged"):
                seen["merged"].append(int(e.get("data-merged")))
    return root, seen


def agrees(seen, claim):
    """The claims the caption makes that this picture breaks."""
    wrong = []
    for key, want in claim.items():
        got = seen[key]
        if key == "blocked":
            got = got > 0
        elif key == "merged":
            got = max(got, default=0)
        if got != want:
            wrong.append(f"{key}: the caption says {want}, the picture has {got}")
    return wrong


def test_every_lab_has_its_claims_here():
    assert sorted(d.name.split("-")[0] for d in lab_dirs()) == sorted(CLAIMS)


@pytest.mark.parametrize("lab", sorted(CLAIMS))
def test_the_readme_shows_its_pictures(lab):
    (folder,) = [d for d in lab_dirs() if d.name.split("-")[0] == lab]
    for readme in ("README.md", "README.vi.md"):
        text = (folder / readme).read_text()
        shown = set(re.findall(r"\]\((picture[-a-z0-9.]*\.svg)\)", text))
        assert shown == {n for n in CLAIMS[lab] if readme_of(n) == readme}, \
            f"{folder.name}/{readme} shows {sorted(shown)}"
    for name in CLAIMS[lab]:
        root, seen = counts(folder / name)
        assert root.get("class") == "picture" and folder.name in "".join(root.itertext())
        assert agrees(seen, CLAIMS[lab][name][1]) == [], f"{folder.name}/{name} (run make pictures)"
        if lang_of(name) == "vi":
            assert language_problems(root, folder.name) == [], f"{folder.name}/{name} (run make pictures)"


@pytest.mark.parametrize("lab,name", [(lab, name) for lab in sorted(CLAIMS) for name in CLAIMS[lab]])
def test_a_new_run_draws_what_the_caption_says(lab, name, tmp_path):
    variant, claim = CLAIMS[lab][name]
    svg, jsonl = tmp_path / name, tmp_path / "run.jsonl"
    done = subprocess.run([str(tracelab.trace_binary()), "-q", "-o", "/dev/null", "--lang", lang_of(name),
                           "--svg", svg, "--json", jsonl, lab, *([variant] if variant else [])],
                          capture_output=True, text=True, timeout=120)
    assert svg.exists(), done.stderr
    events = [json.loads(line) for line in jsonl.read_text().splitlines()]
    tasks = {e["tid"] for e in events if e["type"] == "state"}
    zombies = {e["tid"] for e in events if e["type"] == "state" and e["to"] == "zombie"}
    spawns = [e for e in events if e["type"] == "spawn" and e.get("syscall") != "unreported"]
    root, seen = counts(svg)
    # the oracle: the run's own events
    assert (seen["lanes"], seen["zombies"], seen["spawns"]) == (len(tasks), len(zombies), len(spawns))
    assert agrees(seen, claim) == []
    folder = next(d.name for d in lab_dirs() if d.name.split("-")[0] == lab)
    if lang_of(name) == "vi":
        assert language_problems(root, folder) == []
    else:
        assert language_problems(root, folder) != []


@pytest.mark.parametrize("lab,name", [(lab, name) for lab in sorted(CLAIMS) for name in CLAIMS[lab]
                                      if lang_of(name) == "en"])
def test_the_language_check_can_fail(lab, name):
    """The committed English picture is found not Vietnamese, by its words."""
    (folder,) = [d for d in lab_dirs() if d.name.split("-")[0] == lab]
    root, _ = counts(folder / name)
    problems = language_problems(root, folder.name)
    assert len(problems) == 3 and problems[0].startswith("English words: "), problems
