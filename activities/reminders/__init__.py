"""Deadline reminders and in-app notifications (DESIGN.md, «Background jobs»; issue 8).

- sources.py: who is owed which reminder on a day (mirrors «Мои задачи»; the registry's sources);
- services.py: the sweep with its exactly-once ledger, notifications and preferences;
- registry.py: the reminder sources of the apps above (observers), registered from their ready();
- lines.py: the digest's lines from the ledger rows;
- digest.py: the digest, the mail, the unsubscribe token;
- approvals.py: the head's plans waiting for his approval;
- views.py, urls.py: the notifications page, the settings page, one-click unsubscribe.
The command `send_reminders` and the tasks of activities.tasks call services.reminders_sweep.
"""
