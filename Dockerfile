# One image for web (gunicorn), worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 tot

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# collectstatic only reads settings; these build-time values never reach a running container.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    DATABASE_URL="sqlite:////tmp/build.sqlite3" \
    python manage.py collectstatic --noinput --verbosity 0 \
 && mkdir -p /app/var/celery /app/var/media \
 && chown -R tot:tot /app/var

USER tot
EXPOSE 8000
CMD ["gunicorn", "tot_platform.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
