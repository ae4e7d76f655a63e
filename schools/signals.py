"""What the schools app tells the apps above it; they connect their receivers in their apps.py."""

from django.dispatch import Signal

# A session of the VPR schedule was changed (sent with `session`, inside the saving transaction).
# A receiver refuses the change by raising DomainError: observers check that its assignments hold.
session_changed = Signal()
