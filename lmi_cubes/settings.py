"""Every deployment setting in one object, read from the environment in one place.

Each setting is an `LMI_CUBES_*` environment variable (documented in docs/settings.md) and a
config key of the same name without the prefix, which `create_app(config)` and the
warehouse layer accept, so a test or an embedding application can set any of them, the
DuckDB memory limit and the staging directory included, without touching the environment.
This module sits under every layer and imports nothing of the project's.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

PREFIX = "LMI_CUBES_"


def flag(text: object) -> bool:
    return str(text).strip().lower() not in ("", "0", "false", "no", "off")


def _rollups(text: object) -> bool:  # on unless explicitly turned off; empty leaves it on
    return str(text).strip().lower() not in ("0", "false", "no")


def _optional(value: Any) -> Any:
    """A path or URL as given (config may pass a Path or an open warehouse), None if empty."""
    return value if value not in (None, "") else None


def _setting(env: str, parse: Callable[[Any], Any], default: Any, key: str | None = None) -> Any:
    """A field read from `env`, set by config key `key` (default: `env` without the prefix);
    the whole name is written out so a search of the source finds every variable read."""
    key = key or env.removeprefix(PREFIX)
    return field(default=default, metadata={"env": env, "key": key, "parse": parse})


@dataclass(frozen=True)
class Settings:
    # where the data and the model are
    warehouse: Any = _setting("LMI_CUBES_WAREHOUSE", _optional, None)  # a path, URL or Warehouse
    model_dir: Any = _setting("LMI_CUBES_MODEL_DIR", _optional, None)
    staging_dir: Any = _setting("LMI_CUBES_STAGING_DIR", _optional, None)
    spark_exchange_dir: Any = _setting("LMI_CUBES_SPARK_EXCHANGE_DIR", _optional, None)
    # how the server reads the warehouse
    threads: int = _setting("LMI_CUBES_THREADS", int, 8, key="POOL_SIZE")
    query_timeout_s: float = _setting("LMI_CUBES_QUERY_TIMEOUT_S", float, 30.0)
    duckdb_memory: str = _setting("LMI_CUBES_DUCKDB_MEMORY", str, "1GB")
    version_check_s: float = _setting("LMI_CUBES_VERSION_CHECK_S", float, 1.0)
    cache_mb: float = _setting("LMI_CUBES_CACHE_MB", float, 16.0)
    rollups: bool = _setting("LMI_CUBES_ROLLUPS", _rollups, True, key="USE_ROLLUPS")
    # per request (docs/limits.md)
    request_cells: int = _setting("LMI_CUBES_REQUEST_CELLS", int, 120_000)
    report_queries: int = _setting("LMI_CUBES_REPORT_QUERIES", int, 32)
    max_body_bytes: int = _setting("LMI_CUBES_MAX_BODY_BYTES", int, 1 << 20)
    max_form_bytes: int = _setting("LMI_CUBES_MAX_FORM_BYTES", int, 256 << 10)
    max_url_bytes: int = _setting("LMI_CUBES_MAX_URL_BYTES", int, 8190)
    max_json_depth: int = _setting("LMI_CUBES_MAX_JSON_DEPTH", int, 32)
    max_response_mb: float = _setting("LMI_CUBES_MAX_RESPONSE_MB", float, 32.0)
    request_timeout_s: float = _setting("LMI_CUBES_REQUEST_TIMEOUT_S", float, 60.0)
    # how `serve` reads requests (cube_server/worker.py)
    client_timeout_s: float = _setting("LMI_CUBES_CLIENT_TIMEOUT_S", float, 30.0)
    max_connections: int = _setting("LMI_CUBES_MAX_CONNECTIONS", int, 1000)
    max_header_bytes: int = _setting("LMI_CUBES_MAX_HEADER_BYTES", int, 16384)
    trusted_proxy: str = _setting("LMI_CUBES_TRUSTED_PROXY", str, "")
    # per client (cube_server/clients.py): "" and 0 turn a limit off
    client_rate: str = _setting("LMI_CUBES_CLIENT_RATE", str, "")
    client_concurrency: int = _setting("LMI_CUBES_CLIENT_CONCURRENCY", int, 0)
    api_keys: str = _setting("LMI_CUBES_API_KEYS", str, "")
    require_api_key: bool = _setting("LMI_CUBES_REQUIRE_API_KEY", flag, False)
    # `lmi-cubes serve --demo`: the size of the generated data
    demo_scale: str = _setting("LMI_CUBES_DEMO_SCALE", str, "small")
    # not ours: where the default warehouse goes (the XDG base directory convention)
    data_home: str = field(
        default="", metadata={"env": "XDG_DATA_HOME", "key": "DATA_HOME", "parse": str}
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives, the default for every one it leaves out."""
        env = os.environ if environ is None else environ
        return cls().with_config(
            {
                f.metadata["key"]: env[f.metadata["env"]]
                for f in FIELDS
                if env.get(f.metadata["env"])
            }
        )

    def with_config(self, config: Mapping[str, Any]) -> Settings:
        """These settings with those a config mapping names (by key) replaced; other keys
        are left for their owner (Flask's own configuration, for one)."""
        changes = {
            f.name: f.metadata["parse"](config[f.metadata["key"]])
            for f in FIELDS
            if f.metadata["key"] in config
        }
        return dataclasses.replace(self, **changes)

    def as_config(self) -> dict[str, Any]:
        """Config key -> value, the form Flask's `app.config` holds them in."""
        return {f.metadata["key"]: getattr(self, f.name) for f in FIELDS}


FIELDS = dataclasses.fields(Settings)
