# syntax=docker/dockerfile:1
# boardsheet: one uvicorn worker per container; scale with replicas on PostgreSQL, not with workers.

# tests/packaging/ rebuild this stage without Docker (these COPYs into a temp directory, a fresh venv, this
# very pip install) and drive the installed commands: keep the install one plain command, no extras.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH" \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY app ./app
COPY connectors ./connectors
# pip compiles every module's bytecode here: the runtime user cannot write /opt/venv, so an image without
# it compiled ~1,000 modules from source at every start (a sync's CPU to its first request 4.8 s, not
# 1.3 s: docs/benchmarks.md, issue 13).
RUN pip install .

FROM python:3.11-slim AS runtime
RUN groupadd --system --gid 10001 boardsheet \
    && useradd --system --uid 10001 --gid boardsheet --home-dir /data --shell /usr/sbin/nologin boardsheet \
    && mkdir -p /data /config \
    && chown boardsheet:boardsheet /data
COPY --from=build /opt/venv /opt/venv
COPY config/example.yaml /config/boardsheet.yaml
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    BOARDSHEET_CONFIG=/config/boardsheet.yaml \
    BOARDSHEET_DATABASE_URL=sqlite:////data/boardsheet.db \
    BOARDSHEET_LOG_FORMAT=json
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["boardsheet", "serve", "--host", "0.0.0.0", "--port", "8000"]
