"""./trace --predict LAB: the questions of the lab's lab.conf (predict =
fact: question) are asked before the run, the answers are read from
stdin, and the summary puts each beside what the run did, which is the
run's fact of that name in the JSON trace (itself checked against the
events in test_lesson.py and test_diagnoses.py)."""

import json
import os
import re
import shutil
import subprocess

import pytest

import tracelab

LAB6 = "lab06-sigchld-wait"
QUESTIONS = ["leaked: How many zombies will be left when the server ends?",
             "sigchld: How many SIGCHLD signals will the server get?"]


def lab_with(tmp_path, lines, variant_lines=()):
    labs = tmp_path / "labs"
    shutil.copytree(tracelab.REPO / "labs" / LAB6, labs / LAB6)
    conf = labs / LAB6 / "lab.conf"
    # the lab's questions go, their translations (predict.vi) with them
    text = re.sub(r"^predict(\.\w+)? *=.*\n", "", conf.read_text(encoding="utf-8"), flags=re.M)
    text = text.replace("\nhold    = sigchld\n",
                        "\nhold    = sigchld\n" + "".join(f"predict = {l}\n" for l in lines), 1)
    if variant_lines:
        text += "\n[guess]\n" + "".join(f"predict = {l}\n" for l in variant_lines)
    conf.write_text(text, encoding="utf-8")
    return labs


def trace(labs, *args, answers=""):
    return subprocess.run([str(tracelab.trace_binary()), *args], input=answers, capture_output=True,
                          text=True, env={**os.environ, "TRACELAB_LABS": str(labs)}, timeout=60)


def said(stderr):
    tail = stderr[stderr.index("your predictions:\n"):].splitlines()[1:]
    return " ".join(l.strip() for l in tail)


def test_each_answer_is_put_beside_what_the_run_did(tmp_path):
    labs = lab_with(tmp_path, QUESTIONS)
    out = tmp_path / "run.jsonl"
    run = trace(labs, "--predict", "lab6", "-q", "--json", str(out), answers="0\n1\n")
    assert run.returncode == 0, run.stderr
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    asked = lines[0]["predict"]
    assert [(q["fact"], q["answer"]) for q in asked] == [("leaked", 0), ("sigchld", 1)]
    facts = lines[-1]["facts"]
    text = said(run.stderr)
    for q in asked:
        verdict = "right" if facts[q["fact"]] == q["answer"] else "not this time"
        assert f"{q['question']} You said {q['answer']}; the run: {facts[q['fact']]} ({verdict}" in text
    right = sum(facts[q["fact"]] == q["answer"] for q in asked)
    assert f"{right} of 2 right" in text
    # the questions come before the run, each with the answer read
    assert run.stderr.index("How many zombies will be left when the server ends? 0\n") < run.stderr.index("== summary")
    again = subprocess.run([str(tracelab.trace_binary()), "-q", "--replay", str(out)],
                           capture_output=True, text=True, timeout=60)
    assert said(again.stderr) == text


def test_a_variant_asks_its_own_questions(tmp_path):
    labs = lab_with(tmp_path, QUESTIONS, ["reaped: How many children will the handler reap?"])
    out = tmp_path / "run.jsonl"
    run = trace(labs, "--predict", "lab6", "guess", "-q", "--json", str(out), answers="1\n")
    assert run.returncode == 0, run.stderr
    assert [q["fact"] for q in json.loads(out.read_text().splitlines()[0])["predict"]] == ["reaped"]


@pytest.mark.parametrize("args, answers, lines, says", [
    (["lab6"], "many\n", QUESTIONS, "'many' is not a count"),
    (["lab6"], "", QUESTIONS, "needs an answer to each question"),
    (["lab6"], "\n", QUESTIONS, "'' is not a count"),
    (["lab6"], "", [], "has no questions to predict"),
    (["lab6"], "", ["zombies: How many?"], "asks about 'zombies', which is not a fact"),
    (["lab6"], "", ["How many zombies?"], "write the fact it asks about, a colon"),
    (["lab6"], "", QUESTIONS * 2, "more than 3 predict lines"),
])
def test_what_cannot_be_asked_or_answered_gets_one_line(tmp_path, args, answers, lines, says):
    run = trace(lab_with(tmp_path, lines), "--predict", *args, "-q", answers=answers)
    assert run.returncode == 2
    errors = [l for l in run.stderr.splitlines() if l.startswith("trace: ")]
    assert len(errors) == 1 and says in errors[0], run.stderr


def test_predict_is_for_a_lab():
    run = subprocess.run([str(tracelab.trace_binary()), "--predict", "--", "true"],
                         capture_output=True, text=True, timeout=10)
    assert run.returncode == 2 and "give a lab" in run.stderr
