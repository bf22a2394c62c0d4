# Runnable image: gunicorn serving the platform as a non-root user; static files served by
# WhiteNoise from the image. Configure with DATABASE_URL, REDIS_URL, S3_*, SECRET_KEY, ALLOWED_HOSTS.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=zhanqun.settings.production \
    PYTHONPATH=/app/platform

RUN useradd --create-home --uid 1000 zhanqun
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=zhanqun:zhanqun . .
# collectstatic needs settings but no database: a throwaway key and a dummy URL are enough.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput
USER zhanqun
EXPOSE 8000
# Run migrations and template preparation as a release step: `python manage.py setup_platform`.
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
