"""django-tenants' PostgreSQL backend, made to set the schema only when it changes (see ``base``)."""
