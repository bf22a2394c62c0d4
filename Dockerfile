# Runnable image: gunicorn serving the platform as a non-root user; static files served by
# WhiteNoise from the image. Configure with DATABASE_URL, REDIS_URL, S3_*, SECRET_KEY, ALLOWED_HOSTS.
# The same image runs the web pods, the task worker, the scheduler and the release job
# (deploy/k8s, docker-compose.yml): only the command differs.
FROM python:3.11-slim-bookworm

# pg_dump of the database server's major version (site template, closure archives, backups:
# tenants.lib.schema_dump picks the client matching the server). Debian bookworm ships 15; for a
# newer server build with --build-arg PG_MAJOR=16 (or 17, 18): the client then comes from the
# PostgreSQL project's apt repository (apt.postgresql.org), signed by its key.
# fonts-wqy-zenhei: the CJK font embedded in the annual reports' PDF (ZQ_REPORT_FONT, annualreports.exports).
ARG PG_MAJOR=15
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends fonts-wqy-zenhei; \
    if [ "$PG_MAJOR" = "15" ]; then \
      apt-get install -y --no-install-recommends postgresql-client-15; \
    else \
      apt-get install -y --no-install-recommends ca-certificates curl gnupg; \
      curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor -o /usr/share/keyrings/pgdg.gpg; \
      echo "deb [signed-by=/usr/share/keyrings/pgdg.gpg] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list; \
      apt-get update; \
      apt-get install -y --no-install-recommends "postgresql-client-$PG_MAJOR"; \
    fi; \
    rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=zhanqun.settings.production \
    PYTHONPATH=/app/platform \
    ZQ_LOG_FORMAT=json \
    PROMETHEUS_MULTIPROC_DIR=/tmp/zq-metrics

RUN useradd --create-home --uid 1000 zhanqun
WORKDIR /app
# requirements.txt only: the embedded PostgreSQL (requirements-dev.txt) never enters this image.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=zhanqun:zhanqun . .
# collectstatic needs settings but no database: a throwaway key and a dummy URL are enough.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput
USER zhanqun
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
# Run migrations and template preparation as a release step: `python manage.py setup_platform`.
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
