"""Observers, assignments and acts arrive with the observers issue."""
