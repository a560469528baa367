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
know what a deferrer keeps in step.
"""

from contextlib import ExitStack, contextmanager

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
