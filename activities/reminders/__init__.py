"""Deadline reminders and in-app notifications (DESIGN.md, «Background jobs»; issue 8).

- sources.py: who is owed which reminder on a day (mirrors «Мои задачи»; observers' hooks);
- services.py: the sweep with its exactly-once ledger, notifications and preferences;
- digest.py: the digest's lines, the mail, the unsubscribe token;
- views.py, urls.py: the notifications page, the settings page, one-click unsubscribe.
The command `send_reminders` and the tasks of activities.tasks call services.reminders_sweep.
"""
