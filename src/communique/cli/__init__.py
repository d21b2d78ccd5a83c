"""The ``communique`` command line: parse, make one library call, render a Rich view or JSON.

Heavy imports happen inside commands so that ``communique --help`` starts fast.
"""

import os

# one BLAS thread per process: the query-time encoder runs small matrices, where a thread pool only
# contends for the cores (set the variable to override)
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from communique.cli.app import app, main

__all__ = ["app", "main"]
