"""A plain single-site Wagtail 8 project, for the portal bench only (never deployed)."""
