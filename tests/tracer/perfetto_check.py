"""What the tests of ./trace --perfetto share (test_perfetto.py,
test_perfetto_cases.py): a run with --json and --perfetto at once, times in
exact nanoseconds, and the nesting rule of Perfetto's JSON importer."""

import json
import subprocess
from collections import defaultdict
from decimal import Decimal


def ns(us):
    """A time the file gives in microseconds (three decimals), in ns, exactly."""
    return int(Decimal(us) * 1000)


class Run:
    def __init__(self, trace_bin, tmp, *target, extra=()):
        self.jsonl, self.file = tmp / "run.jsonl", tmp / "run.json"
        self.done = subprocess.run([trace_bin, "-q", "--color", "never", *extra, "--json", str(self.jsonl),
                                    "--perfetto", str(self.file), *target],
                                   capture_output=True, text=True, timeout=120)
        self.events = [json.loads(line) for line in self.jsonl.read_text().splitlines()]
        self.doc = json.loads(self.file.read_text(), parse_float=Decimal)
        self.records = self.doc["traceEvents"]
        self.summary = self.events[-1]
        self.tracer = self.events[0]["tracer_pid"]

    def of(self, ph=None, cat=None, name=None, tid=None):
        return [r for r in self.records if (ph is None or r["ph"] == ph) and (cat is None or r["cat"] == cat)
                and (name is None or r["name"] == name) and (tid is None or r["tid"] == tid)]

    def flows(self):
        """id -> {"s": record, "f": record}"""
        pairs = defaultdict(dict)
        for r in self.of():
            if r["ph"] in "sf":
                assert r["ph"] not in pairs[r["id"]], r
                pairs[r["id"]][r["ph"]] = r
        return pairs

    def anchor(self, flow):
        """The instant a flow event binds to: the record just before it on its track."""
        track = [r for r in self.records if r["ph"] != "M" and (r["pid"], r["tid"]) == (flow["pid"], flow["tid"])]
        return track[track.index(flow) - 1]


def check_nesting(records, layered=True):
    """Slices on a track are nested or apart, never crossing: Perfetto's
    importer drops a complete slice that crosses the end of an open one.
    Its rule: a slice is closed on the left and open on the right, and
    records of the same time are taken in the file's order. The states lie
    at the bottom of each lane, and every call with a length sits in one
    (layered; made-up input may have calls inside calls)."""
    stacks = defaultdict(list)
    for r in records:
        if r["ph"] not in "Xi":
            continue
        start, length = ns(r["ts"]), ns(r.get("dur", 0))
        stack = stacks[r["pid"], r["tid"]]
        while stack:
            top_start, top_len, _ = stack[-1]
            top_end = top_start + top_len
            if top_end < start or (top_end == start and not (top_len == 0 and length == 0)):
                stack.pop()
                continue
            assert start + length <= top_end, f"{r} crosses the end of a slice at {top_end}"
            break
        if r["cat"] == "state" and layered:
            assert stack == [], f"{r} is inside {stack[-1][2]}"
        if r["cat"] == "syscall" and length and layered:
            assert stack and stack[-1][2]["cat"] == "state", r
        stack.append((start, length, r))
