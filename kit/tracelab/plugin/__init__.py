"""The parts of tracelab's pytest plugin, one job each; tracelab.pytest_plugin
loads them all (see its docstring for what the plugin offers)."""
