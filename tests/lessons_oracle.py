"""A second reading of a lesson's {holes} (lab.conf's `lesson`), in
Python, independent of the tracer's (tracer/common/holes.c): the oracle
the lesson tests compare the summary's sentence with; and the sentence
as the summary says it, its wrapped lines joined."""

import re


def fill(text, facts):
    """The holes filled, as holes.h says: {name}, {name:one/many}."""
    def one(m):
        v = facts[m[1]]
        if m[2] is None:
            return str(v)
        singular, plural = m[2].split("/")
        return f"{v} {singular if v == 1 else plural}"
    return re.sub(r"\{(\w+)(?::([^}]*))?\}", one, text)


def said(stderr):
    """The lesson's sentence in the summary on stderr, one line."""
    head = "the lesson of this run:\n"
    tail = stderr[stderr.index(head) + len(head):].split("\nyour predictions:")[0]
    return " ".join(line.strip() for line in tail.splitlines())
