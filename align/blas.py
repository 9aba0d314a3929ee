"""The search's matrix products on one BLAS thread, whatever the process's BLAS would use otherwise.

The search multiplies one sentence's vector by a band of the other side's (`Scorer.scores`, `neighbourhoods`):
small products, thousands of them. OpenBLAS splits one that is large enough (about 900 rows of 512 on the 2-core
bench machine: a full search of a long document, the coarse copy of a very long one) over every core, and on a
shared 2-core machine the second thread mostly waits, spinning. Measured by hand once (time.process_time around
the search in-process, vectors from the cache; no bench script repeats it): the 10,000-sentence wmt22 case's
search took 11.3 s of CPU, 4.2 s on one thread. The reproducible figure is a whole run's CPU time: see the
commit that added this module (bilinguator_dev, `align run --no-cache`, 255.6 s user before, 239.8 s after). One
thread also makes the products' last bits the same on any number of cores (OpenBLAS sums a split product's rows
at the split in another order).
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager, nullcontext
from typing import Any

SEARCH_THREADS = 1  # BLAS threads of the search's products


@functools.cache
def controller() -> Any:
    """threadpoolctl's controller of the BLAS libraries loaded (numpy's), made once; None without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS runs on SEARCH_THREADS threads (none changed without threadpoolctl)."""
    found = controller()
    return found.limit(limits=SEARCH_THREADS, user_api="blas") if found is not None else nullcontext()
