"""The checker's safety gate on content changes: the clinical vignettes, before and after.

Registered with the content pipeline (``advice.content.gates``), so every
import and every admin save of a symptom, a triage rule or a cause runs the
vignettes on the content as it would be. A change that makes a
safety-critical vignette less urgent than it needs, or leaves the checker
unable to ask it (a red flag it needs unpublished), is refused, naming the
vignette; a change to the likely causes of any vignette is shown first.
"""

from advice.content.gates import GateResult
from advice.content.problems import Problem

from .data import load_checker_data
from .vignettes import VIGNETTES_PATH, run, safety_gate


class VignetteGate:
    kinds = ("symptoms", "triage-rules", "causes")

    def snapshot(self):
        return run(load_checker_data())

    def compare(self, before):
        report = safety_gate(before, run(load_checker_data()))
        refusals = [
            Problem(VIGNETTES_PATH, vignette.line, message)
            for vignette, message in report.refusals()
        ]
        return GateResult(refusals=refusals, notices=report.ranking_messages())


VIGNETTE_GATE = VignetteGate()
