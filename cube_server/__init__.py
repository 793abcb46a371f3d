"""The slice-and-dice HTTP API over the cube engine."""

from importlib import metadata

try:  # the one version, pyproject.toml's, as `lmi-cubes --version` also reports it
    VERSION = metadata.version("lmi-cubes")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    VERSION = "0+unknown"
