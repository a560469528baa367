"""Checks that every content change must pass, whoever makes it.

Another subsystem registers a *gate* (the checker registers its clinical
vignettes, in ``AdviceConfig.ready``); the import and the admin call
``before_change()`` before they write and ``after_change()`` after, inside
the same transaction. A gate's refusals stop the change (the transaction is
rolled back); its notices are shown to the editor. The content pipeline does
not need to know what a gate checks.
"""

from dataclasses import dataclass, field

from django.db import transaction

_gates = []


@dataclass
class GateResult:
    refusals: list = field(default_factory=list)  # Problem(path, line, message)
    notices: list = field(default_factory=list)  # plain messages


def register(gate):
    """``gate`` has ``kinds`` (the kinds it cares about), ``snapshot()`` and
    ``compare(before)`` returning a GateResult."""
    if gate not in _gates:
        _gates.append(gate)


def before_change(kind_names):
    return [(gate, gate.snapshot()) for gate in _gates if set(gate.kinds) & set(kind_names)]


def after_change(snapshots):
    result = GateResult()
    for gate, before in snapshots:
        verdict = gate.compare(before)
        result.refusals += verdict.refusals
        result.notices += verdict.notices
    return result


def trial(kind_names, change):
    """The gates' verdict on ``change()`` (a callable that writes it), which is then undone.

    For the admin, which asks before it saves or deletes anything.
    """
    with transaction.atomic():
        snapshots = before_change(kind_names)
        if not snapshots:
            return GateResult()
        change()
        verdict = after_change(snapshots)
        transaction.set_rollback(True)
    return verdict
