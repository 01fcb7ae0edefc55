"""N_("text") marks a string for the catalogue without translating it: for English values
stored as data (email contexts, constants) and translated where they are shown."""


def N_(text: str) -> str:  # noqa: N802 (gettext's conventional name)
    return text
