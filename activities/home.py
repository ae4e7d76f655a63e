"""What the activities app adds to each role's home page (templates/activities/_home_panel.html)."""


def home_context(user) -> dict:
    return {}
