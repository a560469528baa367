import pytest

from advice.content import workers


@pytest.fixture
def worker_pools(monkeypatch):
    """Two CPUs; ``use(module, name, chunk)`` makes the module's ``Workers`` start their
    pool for as few as two items, and returns the worker counts of the pools started."""
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    started = []
    real_pool = workers.ProcessPoolExecutor
    monkeypatch.setattr(
        workers, "ProcessPoolExecutor", lambda *a, **k: started.append(a) or real_pool(*a, **k)
    )

    def use(obj, name, chunk):
        current = getattr(obj, name)
        monkeypatch.setattr(obj, name, workers.Workers(chunk, 2, current.start_method))
        return started

    return use
