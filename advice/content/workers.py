"""Many independent pieces of work shared among the CPUs, in order, a chunk at a time.

An import of a large library parses and renders thousands of files, each on
its own, so both jobs go to worker processes, one per CPU. A small job runs
here instead (starting workers would cost more than it saves), and so does
every job on a machine with one CPU.
"""

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice


@dataclass(frozen=True)
class Workers:
    chunk: int  # items per task of a worker
    at_least: int  # the fewest items worth starting workers for
    start_method: str  # "spawn" (a fresh interpreter) or "fork" (a copy of this process)

    def map(self, function, items):
        """``function`` of each of ``items``, in order, yielded as each chunk is ready.

        Only a few chunks run ahead of the caller, so memory does not grow with
        the number of items. ``function`` must be a module-level function.
        """
        items = list(items)
        cpus = os.cpu_count() or 1
        if (
            cpus < 2
            or len(items) < self.at_least
            or self.start_method not in multiprocessing.get_all_start_methods()
        ):
            yield from map(function, items)
            return
        starts = range(0, len(items), self.chunk)
        chunks = (items[start : start + self.chunk] for start in starts)
        context = multiprocessing.get_context(self.start_method)
        with ProcessPoolExecutor(cpus, mp_context=context) as pool:
            ahead = deque(
                pool.submit(_apply, function, chunk) for chunk in islice(chunks, 2 * cpus)
            )
            while ahead:
                done = ahead.popleft().result()
                ahead.extend(pool.submit(_apply, function, chunk) for chunk in islice(chunks, 1))
                yield from done


def _apply(function, chunk):
    return [function(item) for item in chunk]
