"""The return-to-running planner: which stage a reader is at, from the checks they pass.

The stages and their checks are content (``RunningStage``, from
``content/running-stages/``). A reader's answers are in the URL, one
parameter per stage named by its slug, whose values are the ids of the checks
they pass (``?walking=normal-walking&walking=everyday-activities``). Nothing
is stored.
"""

from dataclasses import dataclass

ASKED = "plan"  # the submit button's name: the reader has answered, even with nothing ticked


@dataclass(frozen=True)
class StageView:
    stage: object  # RunningStage
    number: int  # 1-based position
    met: frozenset  # ids of the stage's checks the reader passes
    passed: bool  # every check met

    @property
    def checks(self):
        """(check, met) pairs, in the stage's order."""
        return [(check, check["id"] in self.met) for check in self.stage.checks]


@dataclass(frozen=True)
class Plan:
    stages: tuple  # StageView, in order
    answered: bool
    current: StageView | None  # the first stage not passed; None when all are, or unanswered

    @property
    def next_stage(self):
        if self.current is None or self.current.number >= len(self.stages):
            return None
        return self.stages[self.current.number]


def plan_for(stages, params):
    """The plan for ``stages`` (in order) and the query string ``params``.

    A stage is passed when every one of its checks is ticked; the reader is at
    the first stage not passed, whatever they ticked further on (the stages
    are done in order).
    """
    views = []
    for number, stage in enumerate(stages, start=1):
        met = _met(stage, params)
        views.append(StageView(stage, number, frozenset(met), _passes(stage, met)))
    views = tuple(views)
    answered = ASKED in params or any(view.met for view in views)
    current = next((view for view in views if not view.passed), None) if answered else None
    return Plan(stages=views, answered=answered, current=current)


def _met(stage, params):
    ids = {check["id"] for check in stage.checks}
    return {value for value in params.getlist(stage.slug) if value in ids}


def _passes(stage, met):
    return bool(stage.checks) and all(check["id"] in met for check in stage.checks)
