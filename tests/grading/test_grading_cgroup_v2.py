"""cgroup v2, as kit/tracelab/cgroup.py uses it where the grader's cgroup
can give the memory and pids controllers (a Gradescope container may).
This machine has none to give (its controllers are all on cgroup v1),
so a folder stands in for the cgroup2 file system: what is checked here
is which files are read and written with what, not what the kernel does
with them (tests/grading/test_grading_enclosure.py does that, on v1)."""

import pytest

from tracelab import cgroup


def _fake_cgroup2(folder, offered, given=""):
    (folder / "cgroup.controllers").write_text(offered + "\n")
    (folder / "cgroup.subtree_control").write_text(given + "\n")
    return [("cgroup2", str(folder), "/", {"rw"})], {"": "/"}


def test_v2_is_used_once_the_controllers_are_given_to_children(tmp_path, monkeypatch):
    monkeypatch.setattr(cgroup, "_try_place", lambda place: place)   # a folder is no kernel
    mounts, own = _fake_cgroup2(tmp_path, "cpuset cpu io memory pids")
    place = cgroup._v2_place(mounts, own)
    # CPU time is counted in every v2 group (cpu.stat): no cpu controller to give
    assert place == cgroup.Place("v2", ("memory", "pids", "cpuacct"), tmp_path)
    assert (tmp_path / "cgroup.subtree_control").read_text() == "+memory +pids\n"


def test_v2_without_the_controllers_says_why(tmp_path):
    mounts, own = _fake_cgroup2(tmp_path, "cpu io")
    with pytest.raises(cgroup._NotHere, match="the grader's cgroup v2 has no memory and pids controllers"):
        cgroup._v2_place(mounts, own)


def test_a_v2_run_group_is_one_folder_with_both_limits_and_its_counters(tmp_path):
    where = cgroup.Support((cgroup.Place("v2", ("memory", "pids", "cpuacct"), tmp_path),))
    group = cgroup.RunGroup(where, 61999, mem_mb=100, tasks=30)
    [folder] = group.folders()
    assert folder.parent == tmp_path and folder.name.startswith("tracelab-u61999-")
    assert group.tracer_options() == ["--cgroup", str(folder)]
    assert (folder / "memory.max").read_text() == f"{100 << 20}\n"
    assert (folder / "pids.max").read_text() == "30\n"
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n")
    (folder / "pids.events").write_text("max 5\n")
    (folder / "memory.peak").write_text(f"{300 << 20}\n")
    (folder / "cpu.stat").write_text("usage_usec 2504321\nuser_usec 2000000\nsystem_usec 504321\n")
    assert group.cpu_s() == 2.5043              # kept to 0.1 ms
    assert group._facts() == {"oom_kills": 2, "tasks_refused": 5, "peak_mb": 300.0, "cpu_s": 2.5043}


def test_the_default_tree_limit_is_half_of_a_small_container(tmp_path, monkeypatch):
    """A Gradescope container of 768 MB (its cgroup's memory.max): the
    tree gets 384 MB; on a big machine, 1024 MB."""
    from tracelab import enclosure
    mounts, _ = _fake_cgroup2(tmp_path, "memory pids")
    (tmp_path / "memory.max").write_text(f"{768 << 20}\n")
    monkeypatch.setattr(cgroup, "_mounts", lambda: mounts)
    monkeypatch.setattr(cgroup, "_own_paths", lambda: {"": "/"})
    assert cgroup.grader_room_mb() == 768
    assert enclosure.default_tree_mem_mb() == 384
    (tmp_path / "memory.max").write_text("max\n")
    assert enclosure.default_tree_mem_mb() == enclosure.TREE_MEM_MB   # this machine: 24 GiB
