"""The plugin's state for one pytest session, kept in the session's
config.stash (not in module globals or os.environ, so two sessions in one
process, or a test's nested pytest, never see each other's).

    session = session_of(config)      # the Session of this pytest run
"""

import os
import time
from pathlib import Path

import pytest

from .. import enclosure, runner, sandbox
from .. import submission as _sub
from ..guard import DEFAULT_LIMITS
from ..i18n import _

# What the plugin knows about a test item: points, visibility, title.
ITEM_INFO = pytest.StashKey[dict]()


class Session:
    """What one pytest session grades, and with which limits."""

    def __init__(self, config):
        o = config.option
        self.config = config
        self.submission = o.submission
        self.lab = o.lab
        self.limits = DEFAULT_LIMITS.but(timeout=o.trace_timeout, max_procs=o.trace_max_procs,
                                         max_mem_mb=o.trace_max_mem, max_output=o.trace_max_output,
                                         max_tree_mem_mb=o.trace_max_tree_mem
                                         or enclosure.default_tree_mem_mb(),
                                         max_cpu_s=o.trace_max_cpu)
        self.build = None           # the submission's Build, once built
        self.build_error = None     # why it scores zero, if it cannot be built
        self.user = None            # the sandbox.GradingUser it runs as, when root
        self._saved_env = {}   # what this session set: name -> the value before (None: unset)
        self.started = time.time()

    @property
    def grading(self):
        o = self.config.option
        return bool(self.submission or o.gradescope or o.score_table)

    @property
    def labs_dir(self):
        """The labs the tracer runs: the student's copy when grading."""
        if self.build is not None and self.build.ok:
            return self.build.labs_dir
        return _sub.labs_root()

    def prepare(self, items):
        """Build the submission once the tests are known (they may say the lab)."""
        if not self.submission or self.build is not None or self.build_error:
            return
        lab = self.lab
        if lab is None:
            # The submission's names say the lab (lab07.c); if they do not,
            # the tests' names do (test_lab07_*.py), when they name one.
            nums = {_sub.lab_number(Path(str(it.fspath)).name) for it in items} - {None}
            try:
                _sub.choose_sources(self.submission)
            except _sub.SubmissionError:
                if len(nums) == 1:
                    lab = nums.pop()
        # Root grades as a user of its own (sandbox.py): the build and
        # every run of the student's program.
        self.user = sandbox.claim()
        if self.user is not None:
            self.limits = self.limits.but(user=self.user.uid)
        try:
            self.build = _sub.prepare(self.submission, lab, user=self.user)
        except _sub.SubmissionError as e:
            self.build_error = str(e)
            return
        if len(self.build.labs) == 1:
            self.lab = self.build.labs[0].lab
        if self.build.ok:
            # Every run of the tracer in this process, a test's own call of
            # tracelab.run included, runs the student's copy with limits.
            runner.use_for_every_run(labs=self.build.labs_dir, limits=self.limits)
            if self.user is not None:
                # The preloaded hook, from where the grading user can read it.
                self._set_env("TRACELAB_HOOK", sandbox.hook_copy(self.build.workdir))
                # The catalogs too: the lab's own lines in the student's language.
                self._set_env("TRACELAB_LOCALEDIR", sandbox.locale_copy(self.build.workdir))
        elif self.build.error:
            self.build_error = self.build.error
        else:
            self.build_error = _("Your program did not compile:") + "\n\n" + self.build.output

    def _set_env(self, name, value):
        self._saved_env.setdefault(name, os.environ.get(name))
        os.environ[name] = str(value)

    def close(self):
        if self.user is not None:
            self.user.kill_all()   # whatever of the submission still runs
        if self.build is not None:
            runner.use_for_every_run()
            self.build.cleanup()
        if self.user is not None:
            self.user.release()
            for name, was in self._saved_env.items():
                if was is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = was
            self._saved_env = {}


SESSION = pytest.StashKey[Session]()


def session_of(config):
    return config.stash[SESSION]
