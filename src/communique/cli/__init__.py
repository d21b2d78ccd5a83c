"""The ``communique`` command line: parse, make one library call, render a Rich view or JSON.

Heavy imports happen inside commands so that ``communique --help`` starts fast.
"""

from communique.cli.app import app, main

__all__ = ["app", "main"]
