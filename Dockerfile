# The vprplan image for docker-compose.yml (web, worker and beat run the same image with different
# commands). Written for Debian bookworm's Python 3.11; not built here (no Docker engine on the
# development machines): see README «Several servers».
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries (Pango, HarfBuzz) and the fonts the orders are set in.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libffi8 fonts-paratype fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --home-dir /srv/vprplan --shell /usr/sbin/nologin vprplan
WORKDIR /srv/vprplan
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir . \
 && DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost SITE_URL=https://build.invalid \
      python manage.py collectstatic --noinput -v0 \
 && mkdir -p /srv/vprplan/media /tmp/prometheus \
 && chown -R vprplan /srv/vprplan/media /tmp/prometheus

USER vprplan
ENV PYTHONUNBUFFERED=1 LOG_FORMAT=json
EXPOSE 8000
CMD ["gunicorn", "vprplan.wsgi", "-w", "4", "-b", "0.0.0.0:8000", "--access-logfile", "-"]
