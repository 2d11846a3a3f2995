"""What the flow does between batches to Prefect's own per-run state."""

from __future__ import annotations

from prefect import flow, task
from prefect.context import FlowRunContext

from flows.runners import forget_task_results


class Draft:
    """Stands for a record type: weak-referenceable, like the pipeline's dataclasses."""


@task
def make_batch(size: int) -> list[Draft]:
    return [Draft() for _ in range(size)]


@flow
def two_batches() -> tuple[int, int, int]:
    make_batch(5)
    context = FlowRunContext.get()
    assert context is not None
    linked = len(context.run_results)
    forget_task_results()
    forgotten = len(context.run_results)
    kept = make_batch(3)  # the flow goes on working after the map is emptied
    return linked, forgotten, len(kept)


def test_task_result_links_are_dropped_between_batches(prefect_api: str) -> None:
    linked, forgotten, kept = two_batches()
    assert linked >= 5, "Prefect no longer links list items to task states: drop the helper"
    assert forgotten == 0
    assert kept == 3
