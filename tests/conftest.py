"""The tracelab pytest plugin (kit/tracelab/pytest_plugin.py) for every test
run from this repository: `make test`, `make grade` and a plain `pytest`."""

pytest_plugins = ["tracelab.pytest_plugin"]
