"""The kit's test project with the benchmark's URLs."""

from tests.project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.test_overhead.urls"
