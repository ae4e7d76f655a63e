"""The benchmark suite: each scenario measures one of our pages or jobs against an anchor (a bare
ceiling of the same work, or the same thing at a smaller scale), both in the same run.

Adding a scenario is one decorated function (`bench.registry`'s `scenario`, `Case`, `Context`) in
a module of `bench.scenarios`, which the registry imports by itself:

    @scenario("plan page (150 activities)", goal_ratio=3.0)
    def plan_page(ctx: Context) -> Case:
        return Case(ours=ctx.page(client, url), anchor=ctx.page(client, ceiling_url), anchor_name="…")

The harness (`bench.harness`) does the rest: a database per data scale, warm-up,
repetitions, medians, query counts at two scales, the table and the JSON (`manage.py bench`).

`bench` is a Django app (INSTALLED_APPS) for its management commands only: this package imports
nothing at its top, since apps load before models do.
"""

