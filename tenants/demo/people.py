"""Demo accounts (filled in once identity lands)."""


def describe_logins() -> list[str]:
    return []
