"""The benchmark suite: each scenario measures one of our pages or jobs against an anchor (a bare
ceiling of the same work, or the same thing at a smaller scale), both in the same run.

Adding a scenario is one decorated function in a module of `vprplan.bench.scenarios`, which the
registry imports by itself:

    @scenario("plan page (150 activities)", goal_ratio=3.0)
    def plan_page(ctx: Context) -> Case:
        return Case(ours=ctx.page(client, url), anchor=ctx.page(client, ceiling_url), anchor_name="…")

The harness (`vprplan.bench.harness`) does the rest: a database per data scale, warm-up,
repetitions, medians, query counts at two scales, the table and the JSON (`manage.py bench`).
"""

from vprplan.bench.registry import Case, Context, scenario

__all__ = ["Case", "Context", "scenario"]
