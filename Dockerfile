# The production image of every Spinta process: the API (gunicorn), the job worker and beat
# (compose.yaml runs all three from it). Build: docker build -t spinta .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPINTA_ENV=production \
    FLASK_APP=wsgi:app \
    HOST=0.0.0.0 \
    PORT=8000

# Pango for WeasyPrint's PDF reports (requirements.txt), and one font family to draw them with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The pinned requirements first: this layer is rebuilt only when they change.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN useradd --system --uid 10001 --home-dir /app spinta
USER spinta

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health/ready', timeout=4)"]
# gunicorn.conf.py: HOST, PORT, WEB_CONCURRENCY, gevent workers, JSON logs, database check.
CMD ["gunicorn", "wsgi:app"]
