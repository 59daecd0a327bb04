"""What each CLI command does, as plain library calls (no Click here).

One module per command group. Each function takes plain arguments, decides
defaults through :mod:`toolkit.core.config`, and returns a result object that
knows its JSON form; :mod:`toolkit.cli` only parses arguments and reports.
"""
