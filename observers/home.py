"""What the observers app adds to each role's home page (templates/observers/_home_panel.html)."""


def home_context(user) -> dict:
    return {}
