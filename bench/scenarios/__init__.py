"""Scenario modules: the registry imports every module of this package (bench.registry).
A new scenario is a decorated function in a new or existing module here."""
