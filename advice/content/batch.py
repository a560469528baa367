"""Many content writes as one batch: work that follows each save waits for the end.

Other subsystems keep things in step with the content on every save (the
search index, the content version). That is right for one admin save, and
wasteful for an import of thousands of items, each of which would redo the
work. Such a subsystem registers a *deferrer* here (the way a gate registers
with ``gates``): a function returning a context manager. ``deferred()``
enters every registered deferrer; inside it, saves only note what they ask
for, and each deferrer does it all at once, in bulk, when the block ends
without an error (inside the same transaction). When the block raises,
what was noted is dropped, as the transaction's writes are. Outside a batch
everything happens at once, as before. The content pipeline does not need to
know what a deferrer keeps in step. ``Noted`` builds such a deferrer for a
subsystem that notes its work in a collection (the index, the history and
the version all do).
"""

from contextlib import ExitStack, contextmanager
from contextvars import ContextVar

_deferrers = []


def register(deferrer):
    """``deferrer()`` returns a context manager that defers its work inside it and
    does it when the block ends without an error."""
    if deferrer not in _deferrers:
        _deferrers.append(deferrer)


@contextmanager
def deferred():
    """Run the block as one batch of content writes."""
    with ExitStack() as stack:
        for deferrer in _deferrers:
            stack.enter_context(deferrer())
        yield


class Noted:
    """What one subsystem notes during a batch, and the deferrer that does it.

    ``current()`` is the batch's collection (made by ``new()``), or None outside
    a batch: a save then adds to it instead of doing its work. ``deferred`` is
    the deferrer to register; when the outermost batch ends without an error,
    it calls ``flush(collection)`` (a nested batch leaves that to the outer one).
    """

    def __init__(self, name, new, flush):
        self._collection = ContextVar(name, default=None)
        self._new, self._flush = new, flush

    def current(self):
        return self._collection.get()

    @contextmanager
    def deferred(self):
        if self._collection.get() is not None:  # inside another batch: that one does it
            yield
            return
        collection = self._new()
        token = self._collection.set(collection)
        try:
            yield
        finally:
            self._collection.reset(token)
        self._flush(collection)
