"""URL patterns (filled in by the owning app)."""

urlpatterns: list = []
